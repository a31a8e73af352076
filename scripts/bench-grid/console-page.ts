import type { CDPSession, Page } from 'playwright-core';
import { HOVER_MARK, SHOWN_MARK } from './hover-trace.ts';

/**
 * Measurements taken on the demo console's Logs tab (50,000 rows, ag-Grid 36), the same way with and
 * without Gridside loaded. Everything the bench adds to the page is installed from here, through
 * Playwright or the DevTools protocol: the extension carries no code for it.
 */

const GRID = '#logs-grid';
/** ag-Grid 36 scrolls its rows in this element (checked in Chromium: the only vertical scroller). */
const SCROLLER = `${GRID} .ag-grid-viewport`;
const HOST = '[data-gridside]';

export interface ScrollFigures {
  scriptMs: number;
  taskMs: number;
  longTasks: number;
  longTaskMs: number[];
  scrolledPx: number;
}

export interface HoverFigures {
  /** pointerover timeStamp → start of the first animation frame after it: the floor for any rAF-based UI. */
  frameMs: number[];
  /** pointerover timeStamp → the content script marks the button shown (in that frame, before its paint). */
  shownMs: number[];
  missed: number;
}

type Metrics = Record<string, number>;

async function metrics(cdp: CDPSession): Promise<Metrics> {
  const { metrics: list } = (await cdp.send('Performance.getMetrics')) as {
    metrics: { name: string; value: number }[];
  };
  return Object.fromEntries(list.map((m) => [m.name, m.value]));
}

const nextFrame = (page: Page) =>
  page.evaluate(() => new Promise<void>((resolve) => requestAnimationFrame(() => resolve())));

/** Waits for the grid to hold its data, and for Gridside's host element when the extension is loaded. */
export async function openLogs(page: Page, url: string, withExtension: boolean): Promise<void> {
  await page.goto(`${url}/analyzer.html#logs`, { timeout: 120_000 });
  await page.waitForFunction(
    () => {
      const api = (window as unknown as { gridApi?: { logs?: { getDisplayedRowCount(): number } } }).gridApi;
      return (api?.logs?.getDisplayedRowCount() ?? 0) > 0;
    },
    null,
    { timeout: 120_000, polling: 250 },
  );
  await page.waitForSelector(`${GRID} .ag-row`, { timeout: 60_000 });
  if (withExtension) {
    // Registered at document_idle after the worker seeded its settings: may need one reload on a cold profile.
    const found = await page.waitForSelector(HOST, { state: 'attached', timeout: 30_000 }).catch(() => null);
    if (!found) {
      await page.reload({ timeout: 120_000 });
      await page.waitForSelector(HOST, { state: 'attached', timeout: 60_000 });
      await page.waitForSelector(`${GRID} .ag-row`, { timeout: 60_000 });
    }
  } else if ((await page.$(HOST)) !== null) {
    throw new Error('baseline browser has Gridside on the page');
  }
}

async function gridBody(page: Page): Promise<{ x: number; y: number; width: number; height: number }> {
  const box = await page.locator(SCROLLER).boundingBox();
  if (!box) throw new Error(`${SCROLLER} is not rendered`);
  return box;
}

/** `steps` wheel steps with the mouse over the grid, one per animation frame, then a short settle. */
export async function wheelOverGrid(page: Page, steps: number, stepPx: number): Promise<void> {
  for (let i = 0; i < steps; i += 1) {
    await page.mouse.wheel(0, stepPx);
    await nextFrame(page);
  }
  // Let the last frames, ag-Grid's debounced row rendering and Chromium's post-scroll hover update land.
  await page.waitForTimeout(300);
  await nextFrame(page);
}

/** 120 wheel steps of 250 px over the grid, one per animation frame. */
export async function measureScroll(page: Page, cdp: CDPSession, steps = 120, stepPx = 250) {
  const body = await gridBody(page);
  await page.mouse.move(body.x + Math.min(300, body.width / 2), body.y + body.height / 2);
  await page.waitForTimeout(500);
  await page.evaluate(() => {
    const w = window as unknown as { __gridBenchLongTasks: number[] };
    w.__gridBenchLongTasks = [];
    new PerformanceObserver((list) => {
      for (const entry of list.getEntries()) w.__gridBenchLongTasks.push(entry.duration);
    }).observe({ type: 'longtask' });
  });
  const scrollTop = () => page.$eval(SCROLLER, (el) => el.scrollTop);
  const startTop = await scrollTop();
  await nextFrame(page);
  const before = await metrics(cdp);
  await wheelOverGrid(page, steps, stepPx);
  const after = await metrics(cdp);
  const longTaskMs = await page.evaluate(
    () => (window as unknown as { __gridBenchLongTasks: number[] }).__gridBenchLongTasks,
  );
  return {
    scriptMs: ((after.ScriptDuration ?? 0) - (before.ScriptDuration ?? 0)) * 1000,
    taskMs: ((after.TaskDuration ?? 0) - (before.TaskDuration ?? 0)) * 1000,
    longTasks: longTaskMs.length,
    longTaskMs,
    scrolledPx: (await scrollTop()) - startTop,
  } satisfies ScrollFigures;
}

interface DomNode {
  nodeId: number;
  backendNodeId: number;
  nodeName: string;
  attributes?: string[];
  children?: DomNode[];
  shadowRoots?: DomNode[];
}

/** The floating button, found through the CLOSED shadow root with `DOM.getDocument({ pierce: true })`. */
async function findRowButton(cdp: CDPSession): Promise<DomNode> {
  const { root } = (await cdp.send('DOM.getDocument', { depth: -1, pierce: true })) as { root: DomNode };
  const stack: Array<{ node: DomNode; inOverlay: boolean }> = [{ node: root, inOverlay: false }];
  while (stack.length > 0) {
    const { node, inOverlay } = stack.pop()!;
    const attrs = node.attributes ?? [];
    const isHost = attrs.includes('data-gridside');
    if (inOverlay && node.nodeName === 'BUTTON') {
      const cls = attrs[attrs.indexOf('class') + 1] ?? '';
      if (cls.split(' ').includes('row-button')) return node;
    }
    for (const child of [...(node.children ?? []), ...(node.shadowRoots ?? [])])
      stack.push({ node: child, inOverlay: inOverlay || isHost });
  }
  throw new Error('no Gridside row button inside [data-gridside]');
}

const HOVER_PROBE = `function () {
  if (window.__gridBenchHover) return;
  const bench = { over: null, frame: null, shown: null };
  window.__gridBenchHover = bench;
  window.addEventListener('pointerover', (e) => {
    const t = e.composedPath()[0];
    if (!(t instanceof Element) || !t.closest('#logs-grid .ag-row') || bench.over !== null) return;
    bench.over = e.timeStamp;
    // The frame's start time, not "now": independent of which rAF callback (ours, the extension's) runs first.
    requestAnimationFrame((frameStart) => { bench.frame = frameStart; });
  }, { capture: true, passive: true });
  const button = this;
  if (!(button instanceof Element)) return;
  // Not gated on bench.over: the content script may show the button from its own pointerover listener,
  // which can run before this page's one (both capture on window); the sample needs all three anyway.
  new MutationObserver(() => {
    if (!button.hasAttribute('data-shown') || bench.shown !== null) return;
    bench.shown = performance.now();
    // For the traced pass (hover-trace.ts): where in the trace the button was shown.
    performance.mark('${SHOWN_MARK}');
  }).observe(button, { attributes: true, attributeFilter: ['data-shown'] });
}`;

interface HoverSample {
  over: number;
  frame: number;
  shown: number | null;
}

/**
 * Hover-to-button latency on `count` different rows (without the extension: only the frame floor). The
 * button lives in a closed shadow root and nothing outside it changes when it shows, so the bench
 * resolves the button node through the protocol (`DOM.getDocument({ pierce: true })`) and attaches,
 * from the page's main world, a MutationObserver to it: the callback runs in the microtask checkpoint
 * right after the content script's callback that sets `data-shown` (its pointer listener, or an
 * after-layout callback of the frame), i.e. in the frame that paints the button. The pointer side is the `pointerover` timeStamp seen by a capture listener on
 * window. Between hovers the mouse leaves the grid, so the button hides.
 */
export async function measureHover(
  page: Page,
  cdp: CDPSession,
  count: number,
  withExtension: boolean,
  /** Marks each hover's start with `performance.mark` for a traced pass (hover-trace.ts). */
  { markHovers = false } = {},
): Promise<HoverFigures> {
  if (withExtension) {
    const button = await findRowButton(cdp);
    const { object } = (await cdp.send('DOM.resolveNode', { backendNodeId: button.backendNodeId })) as {
      object: { objectId: string };
    };
    await cdp.send('Runtime.callFunctionOn', { objectId: object.objectId, functionDeclaration: HOVER_PROBE });
  } else {
    await page.evaluate(`(${HOVER_PROBE}).call(null)`);
  }

  const body = await gridBody(page);
  const rowBoxes = await page.$$eval(`${GRID} .ag-row`, (rows) =>
    rows.map((r) => {
      const b = r.getBoundingClientRect();
      return { top: b.top, bottom: b.bottom };
    }),
  );
  const visible = rowBoxes
    .filter((b) => b.top >= body.y && b.bottom <= body.y + body.height)
    .sort((a, b) => a.top - b.top);
  if (visible.length === 0) throw new Error('no fully visible rows to hover');
  // Every other row, then the ones between: consecutive hovers never land on the same or a neighbouring row.
  const order = [...visible.filter((_, i) => i % 2 === 0), ...visible.filter((_, i) => i % 2 === 1)];

  const frameMs: number[] = [];
  const shownMs: number[] = [];
  let missed = 0;
  for (let i = 0; i < count; i += 1) {
    // Away from the grid (page header): the content script hides the button on a non-row pointerover.
    await page.mouse.move(20, 10);
    await nextFrame(page);
    await nextFrame(page);
    await page.evaluate(
      ([mark, name]) => {
        const b = (window as unknown as { __gridBenchHover: Record<string, number | null> }).__gridBenchHover;
        b.over = null;
        b.frame = null;
        b.shown = null;
        if (mark) performance.mark(name);
      },
      [markHovers, HOVER_MARK] as const,
    );
    const row = order[i % order.length]!;
    await page.mouse.move(body.x + 200 + (i % 5) * 40, (row.top + row.bottom) / 2);
    const sample = await page
      .waitForFunction(
        (needShown) => {
          const b = (window as unknown as { __gridBenchHover: Record<string, number | null> })
            .__gridBenchHover;
          return b.over !== null && b.frame !== null && (!needShown || b.shown !== null) ? { ...b } : null;
        },
        withExtension,
        { timeout: 5_000, polling: 'raf' },
      )
      .then(async (handle) => (await handle.jsonValue()) as unknown as HoverSample)
      .catch(() => null);
    if (!sample) {
      missed += 1;
      continue;
    }
    frameMs.push(sample.frame - sample.over);
    if (sample.shown !== null) shownMs.push(sample.shown - sample.over);
  }
  return { frameMs, shownMs, missed };
}

/**
 * Confirms, through the protocol, that the button is shown (`data-shown`) and has a layout box. The button
 * is always laid out, hidden by its opacity, so the box alone would not tell.
 */
export async function rowButtonRendered(cdp: CDPSession): Promise<boolean> {
  const button = await findRowButton(cdp);
  if (!(button.attributes ?? []).includes('data-shown')) return false;
  return cdp
    .send('DOM.getBoxModel', { backendNodeId: button.backendNodeId })
    .then(() => true)
    .catch(() => false);
}
