import type { Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type Stack, startStack } from '../support/e2e-stack.ts';
import { shadowClickPoint, shadowHitTest } from '../support/shadow-dom.ts';
import {
  closePanel,
  ECHO_ROW,
  openPanelFromRow,
  type PanelSummary,
  panelState,
  runShown,
  shadowBox,
  shadowClick,
  waitForPanelState,
} from './analyst.ts';

/**
 * The panel beside its row in a short window (a laptop's 1280×720 page): a row in the middle of the grid
 * leaves room for the whole panel neither below nor above it. The panel must not cover the row it is about:
 * it takes the side with more room, is no taller than that room, and its content scrolls inside it, every
 * action and the Run button still within reach. Its place settles at once, however its content changes.
 */

let stack: Stack;
let page: Page;

const LOG_ROWS = '#logs-grid .ag-row[row-index]';

type Rect = { top: number; bottom: number; left: number; right: number };

beforeAll(async () => {
  stack = await startStack();
  page = await stack.openConsole('/analyzer.html#logs', LOG_ROWS);
  await page.setViewportSize({ width: 1280, height: 720 });
  await page.waitForFunction(() => 'gridApi' in window);
});

afterAll(async () => {
  await stack?.stop();
});

afterEach(async () => {
  if ((await panelState<PanelSummary>(page))?.open) await closePanel(page).catch(() => undefined);
});

/** Scrolls the logs grid so that row `index` is at `where` of its viewport, through the page's API. */
async function showRow(index: number, where: 'top' | 'middle' | 'bottom'): Promise<void> {
  await page.evaluate(
    ([index, where]) => {
      // biome-ignore lint/suspicious/noExplicitAny: the demo console exposes its ag-Grid API for tests
      const api = (window as any).gridApi.logs;
      api.ensureIndexVisible(index, where);
      api.ensureColumnVisible('SIP');
    },
    [index, where] as const,
  );
  await page.waitForSelector(`#logs-grid .ag-row[row-index="${index}"] [col-id="SIP"]`);
}

/** The row's box on screen: every part of it the grid drew (pinned parts included). */
async function rowRect(index: number): Promise<Rect> {
  return page.evaluate((index) => {
    const parts = [...document.querySelectorAll(`#logs-grid .ag-row[row-index="${index}"]`)].map((el) =>
      el.getBoundingClientRect(),
    );
    return {
      top: Math.min(...parts.map((b) => b.top)),
      bottom: Math.max(...parts.map((b) => b.bottom)),
      left: Math.min(...parts.map((b) => b.left)),
      right: Math.max(...parts.map((b) => b.right)),
    };
  }, index);
}

function intersects(a: Rect, b: Rect): boolean {
  return a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom;
}

const frames = (n: number) =>
  page.evaluate(
    (n) =>
      new Promise<void>((resolve) => {
        const step = (left: number) => (left === 0 ? resolve() : requestAnimationFrame(() => step(left - 1)));
        step(n);
      }),
    n,
  );

/**
 * The panel's box once it stopped moving, and how often it changed over the 30 frames after that: placed
 * from the row and the window alone, it settles in the frame it is shown and then never moves again.
 */
async function settledPanel(): Promise<{ box: Rect; changes: number }> {
  let box = await shadowBox(page, 'section.panel');
  for (let i = 0; i < 30; i++) {
    await frames(1);
    const now = await shadowBox(page, 'section.panel');
    if (JSON.stringify(now) === JSON.stringify(box)) break;
    box = now;
  }
  let changes = 0;
  for (let i = 0; i < 30; i++) {
    await frames(1);
    const now = await shadowBox(page, 'section.panel');
    if (JSON.stringify(now) !== JSON.stringify(box)) changes++;
    box = now;
  }
  return { box: box!, changes };
}

async function openOn(index: number): Promise<Rect> {
  await page.locator('#tab-logs').click();
  const cell = page.locator(`#logs-grid .ag-row[row-index="${index}"] [col-id="SIP"]`).first();
  const opened = await openPanelFromRow(page, cell);
  expect(opened.catalog).toBe('ready');
  return rowRect(index);
}

describe('The panel in a short window', () => {
  it('leaves a row in the middle of the grid uncovered, its actions and Run button within reach', async () => {
    const index = 300;
    await showRow(index, 'middle');
    const row = await openOn(index);
    const viewport = page.viewportSize()!;
    // The window is too short for the whole panel on either side of this row.
    expect(row.top).toBeGreaterThan(150);
    expect(viewport.height - row.bottom).toBeGreaterThan(150);

    const { box, changes } = await settledPanel();
    expect(intersects(box, row), `panel ${JSON.stringify(box)} over its row ${JSON.stringify(row)}`).toBe(
      false,
    );
    expect(changes).toBe(0);
    expect(box.top).toBeGreaterThanOrEqual(0);
    expect(box.bottom).toBeLessThanOrEqual(viewport.height);
    // Not squeezed to nothing: the header, the filter box and some actions.
    expect(box.bottom - box.top).toBeGreaterThanOrEqual(200);

    // The last action of the list is reached by scrolling inside the panel, not by moving it.
    const last = await shadowClickPoint(page, 'li:last-child > button.action');
    expect(last.y).toBeGreaterThan(box.top);
    expect(last.y).toBeLessThan(box.bottom);
    expect((await shadowHitTest(page, 'li:last-child > button.action .name')).onTop).toBe(true);

    // Echo Row's form, and its Run button clicked with the mouse: the run completes.
    await shadowClick(page, 'button.action', { text: ECHO_ROW });
    await waitForPanelState<PanelSummary>(page, (s) => s.step === 'form');
    const run = await shadowClickPoint(page, 'form button[type="submit"].primary');
    const form = await settledPanel();
    expect(form.changes).toBe(0);
    expect(intersects(form.box, row)).toBe(false);
    expect(run.y).toBeGreaterThan(form.box.top);
    expect(run.y).toBeLessThan(form.box.bottom);
    expect((await shadowHitTest(page, 'form button[type="submit"].primary')).onTop).toBe(true);
    await page.mouse.click(run.x, run.y);
    const done = await waitForPanelState<PanelSummary>(page, runShown);
    expect(done.status).toBe('succeeded');
    // The output arrived and the panel did not grow over the row.
    const after = await settledPanel();
    expect(after.changes).toBe(0);
    expect(intersects(after.box, await rowRect(index))).toBe(false);
  });

  it('still opens below a row near the top and above a row near the bottom, clear of the row', async () => {
    // Row 498 with row 500 at the grid's bottom edge: whole on screen, so opening it scrolls nothing.
    for (const [index, where, side] of [
      [40, 'top', 'below'],
      [498, 'bottom', 'above'],
    ] as const) {
      await showRow(where === 'bottom' ? index + 2 : index, where);
      const row = await openOn(index);
      const { box, changes } = await settledPanel();
      expect(changes).toBe(0);
      expect(intersects(box, row)).toBe(false);
      if (side === 'below') expect(box.top).toBeGreaterThanOrEqual(row.bottom);
      else expect(box.bottom).toBeLessThanOrEqual(row.top);
      await closePanel(page);
    }
  });

  it('rises into its place as it opens, and never slides across the page to get there', async () => {
    await showRow(3, 'top');
    await page.mouse.move(1, 1);
    await page.locator(`#logs-grid .ag-row[row-index="3"] [col-id="SIP"]`).hover();
    // The page's animations played ten times slower, so the 120 ms opening can be read several times over.
    const cdp = await page.context().newCDPSession(page);
    await cdp.send('Animation.enable');
    await cdp.send('Animation.setPlaybackRate', { playbackRate: 0.1 });
    const seen: Rect[] = [];
    try {
      await shadowClick(page, '.row-button[data-shown]');
      const until = Date.now() + 1_000;
      while (Date.now() < until) {
        const box = await shadowBox(page, 'section.panel');
        if (box) seen.push(box);
      }
    } finally {
      await cdp.send('Animation.setPlaybackRate', { playbackRate: 1 });
      await cdp.detach();
    }
    await page.mouse.move(1, 1);
    const final = (await shadowBox(page, 'section.panel'))!;
    expect(seen.length, 'the panel was read while it opened').toBeGreaterThan(2);
    for (const box of seen) {
      const where = `read ${JSON.stringify(box)}, settled ${JSON.stringify(final)}`;
      expect(Math.abs(box.left - final.left), `no slide sideways: ${where}`).toBeLessThanOrEqual(1);
      expect(Math.abs(box.top - final.top), `a rise of a few pixels at most: ${where}`).toBeLessThanOrEqual(
        5,
      );
    }
  });

  it('stays where the analyst drags it, at the size it had, as the grid scrolls beneath it', async () => {
    const index = 320;
    await showRow(index, 'middle');
    await openOn(index);
    const { box } = await settledPanel();
    const grip = { x: box.left + 60, y: box.top + 12 };
    await page.mouse.move(grip.x, grip.y);
    await page.mouse.down();
    await page.mouse.move(grip.x - 300, grip.y + 20, { steps: 5 });
    await page.mouse.up();
    const dropped = await settledPanel();
    expect(dropped.box.left).toBeCloseTo(box.left - 300, 0);
    expect(dropped.box.top).toBeCloseTo(box.top + 20, 0);
    expect(dropped.box.bottom - dropped.box.top).toBeCloseTo(box.bottom - box.top, 0);

    // The grid scrolls: the panel stays where the analyst put it.
    const scrollTop = () =>
      page.evaluate(
        () => document.querySelector('#logs-grid .ag-grid-viewport, #logs-grid .ag-body-viewport')!.scrollTop,
      );
    const before = await scrollTop();
    await page.mouse.move(640, 500);
    await page.mouse.wheel(0, 600);
    await expect.poll(scrollTop).toBeGreaterThan(before + 300);
    await frames(20);
    const scrolled = await settledPanel();
    expect(scrolled.box).toEqual(dropped.box);
  });
});
