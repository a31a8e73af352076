import type { Frame, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it, onTestFailed } from 'vitest';
import { type Stack, startStack } from '../support/e2e-stack.ts';
import { shadowFocus } from '../support/shadow-dom.ts';
import {
  ECHO_ROW,
  FINISHED,
  openPanelFromRow,
  type PanelSummary,
  shadowClick,
  waitForPanelState,
} from './analyst.ts';

/**
 * Plugin output is shown in an extension-origin frame inside the panel (docs/security.md, "Plugin output
 * stays out of the page"): a console page, even a compromised one, cannot read what the panel shows. The
 * analyst types a marker into echo-row's form, the plugin prints it back, and then the page's own script
 * searches everything it can reach for it, while the frame, read through the DevTools protocol, shows it.
 */

let stack: Stack;
let page: Page;

const LOG_ROWS = '#logs-grid .ag-row[row-index]';
const FRAME_PATH = '/src/pages/output-frame/index.html';
const MARKER = `gridside-secret-${Date.now().toString(36)}`;
/**
 * Ahead of the marker: more than the 2 KB of stdout the demo build's test accessor (`data-gridside-state`,
 * compiled out of production builds) carries, so the page's whole DOM, accessor included, can be searched.
 */
const PADDING = 'p'.repeat(2200);

beforeAll(async () => {
  stack = await startStack({ logs: 200, alarms: 10 });
  page = await stack.openConsole('/analyzer.html#logs', LOG_ROWS);
});

afterAll(async () => {
  await stack?.stop();
});

/** The panel's output frame, once it shows `text`. */
async function outputFrame(text: string): Promise<Frame> {
  const deadline = Date.now() + 20_000;
  for (;;) {
    for (const frame of page.frames()) {
      if (!frame.url().includes(FRAME_PATH)) continue;
      const shows = await inFrame(frame, (t) => document.body?.textContent?.includes(t) ?? false, text).catch(
        () => false,
      );
      if (shows) return frame;
    }
    if (Date.now() > deadline) throw new Error(`no output frame shows ${text.slice(0, 40)}…`);
    await page.waitForTimeout(50);
  }
}

/** The steps under way, named, for the report of a test that runs out of time between them. */
const underWay = new Set<string>();

/**
 * `work`, failing with `what` in the message when it has not settled within `ms`. A test that waits on the
 * browser step by step then reports the step that hung, not only that the test ran out of time.
 */
async function step<T>(what: string, ms: number, work: () => Promise<T>): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: no answer in ${ms} ms`)), ms);
  });
  underWay.add(what);
  try {
    return await Promise.race([work(), late]);
  } finally {
    clearTimeout(timer);
    underWay.delete(what);
  }
}

/**
 * A frame evaluation that settles within 5 s: an out-of-process frame the browser is busy with can leave
 * an evaluation unanswered, and a test should fail with a message rather than hang.
 */
function inFrame<T, A = undefined>(frame: Frame, fn: (arg: A) => T, arg?: A): Promise<T> {
  return step('the output frame', 5_000, () => frame.evaluate(fn as never, arg as never) as Promise<T>);
}

/** Everything the console page's own script can reach, searched for `marker`. */
function searchFromThePage(marker: string) {
  return page.evaluate((marker) => {
    const found: string[] = [];
    const check = (where: string, text: string | null | undefined) => {
      if (text?.includes(marker)) found.push(where);
    };
    // The whole document as markup (every attribute, the test accessor's included) and as text.
    check('document markup', document.documentElement.outerHTML);
    check('document text', document.documentElement.textContent);
    // biome-ignore lint/performance/useDomNodeTextContent: what the page renders, as a script reads it
    check('rendered text', document.body.innerText);
    // Open shadow roots anywhere, and what any iframe the page can open holds.
    for (const element of document.querySelectorAll('*')) {
      if (element.shadowRoot)
        check(`open shadow root of <${element.localName}>`, element.shadowRoot.innerHTML);
    }
    for (let i = 0; i < window.frames.length; i++) {
      try {
        check(`window.frames[${i}]`, window.frames[i]!.document.documentElement.outerHTML);
      } catch {
        // Cross-origin: nothing to read, which is the point.
      }
    }
    for (const iframe of document.querySelectorAll('iframe'))
      check('an iframe of the page', iframe.contentDocument?.documentElement.outerHTML);
    // The browser's find and select-all reach text a closed shadow root shows.
    check('window.find', (window as { find?: (text: string) => boolean }).find?.(marker) ? marker : '');
    const selection = window.getSelection();
    selection?.selectAllChildren(document.documentElement);
    check('select all', selection?.toString());
    selection?.removeAllRanges();
    return found;
  }, marker);
}

describe('run output in an extension-origin frame', () => {
  it('shows the output in the frame and nowhere the console page can read', async () => {
    await openPanelFromRow(page, page.locator(`${LOG_ROWS}[row-index="0"] [col-id="LogId"]`).first());
    await waitForPanelState<PanelSummary>(page, (s) => s.open && s.catalog === 'ready');
    await shadowClick(page, 'input[type="search"]');
    await page.keyboard.type(ECHO_ROW);
    await shadowClick(page, 'button.action', { text: ECHO_ROW });
    await waitForPanelState<PanelSummary>(page, (s) => s.step === 'form');
    // The analyst types the value (the row's own values are on the page already): the marker reaches the
    // page only if the plugin's output does.
    await shadowClick(page, 'form input[type="text"]');
    await page.keyboard.press('ControlOrMeta+A');
    await page.keyboard.insertText(`${PADDING}${MARKER}`);
    await page.keyboard.press('Enter');
    const done = await waitForPanelState<PanelSummary>(
      page,
      (s) => s.step === 'run' && s.status !== null && FINISHED.includes(s.status),
      45_000,
    );
    expect(done.status).toBe('succeeded');

    const frame = await outputFrame(MARKER);
    expect(new URL(frame.url()).protocol).toBe('chrome-extension:');
    // The demo build's accessor got the frame's summary, through the worker: the first 2 KB, not the marker.
    const state = await waitForPanelState<PanelSummary>(page, (s) => s.stdout !== null, 10_000);
    expect(state.stdout).toContain(PADDING.slice(0, 100));
    expect(state.stdout).not.toContain(MARKER);

    expect(await searchFromThePage(MARKER)).toEqual([]);
    // The search itself can find what the page shows: the row's log id is on the page.
    const logId = await page.locator(`${LOG_ROWS}[row-index="0"] [col-id="LogId"]`).first().textContent();
    expect(await searchFromThePage(logId ?? 'no log id')).toEqual(
      expect.arrayContaining(['document text', 'window.find']),
    );
  });

  it('cannot be loaded by the console page itself, even knowing the extension id', async () => {
    // The frame is web-accessible only through Chrome's per-session random host (use_dynamic_url).
    const probe = `chrome-extension://${stack.browser.extensionId}${FRAME_PATH}#view=pageprobe0&job=x`;
    await page.evaluate((src) => {
      const iframe = document.createElement('iframe');
      iframe.id = 'page-probe';
      iframe.src = src;
      document.body.append(iframe);
    }, probe);
    const probeFrame = await (await page.$('#page-probe'))!.contentFrame();
    await expect.poll(() => probeFrame?.url(), { timeout: 10_000 }).toMatch(/^chrome-error:/);
    await page.evaluate(() => document.getElementById('page-probe')?.remove());
  });

  it('lets Tab into the frame and out again, and Escape inside it closes the panel', async () => {
    onTestFailed(() => {
      if (underWay.size) console.error(`output-frame: still waiting on ${[...underWay].join(', ')}`);
    });
    const state = await step('the finished run in the panel', 20_000, () =>
      waitForPanelState<PanelSummary>(page, (s) => s.open && s.status === 'succeeded', 15_000),
    );
    expect(state.open).toBe(true);
    const frame = await step('the output frame', 25_000, () => outputFrame(MARKER));
    const frameHasFocus = () => inFrame(frame, () => document.hasFocus()).catch(() => false);
    /**
     * Where focus is inside the frame: the focused control's place in its document, or -1 once no control
     * in the frame has focus. Focus leaving an out-of-process frame reaches that frame a moment after the key
     * press is answered, so each Tab waits for this to change before looking again: a stale "still in
     * the frame" would send one Tab too many, past the panel's next control.
     */
    const focusInFrame = () =>
      inFrame(frame, () =>
        document.hasFocus() && document.activeElement !== document.body
          ? [...document.querySelectorAll('*')].indexOf(document.activeElement!)
          : -1,
      );

    // From the panel's close button, Tab goes through the body's controls: the frame comes first.
    await step('focusing the close button', 20_000, () => shadowFocus(page, 'header button.icon'));
    await step('pressing Tab', 5_000, () => page.keyboard.press('Tab'));
    await step('focus entering the frame', 12_000, () =>
      expect.poll(frameHasFocus, { timeout: 5_000 }).toBe(true),
    );
    expect(await inFrame(frame, () => document.activeElement?.localName)).toMatch(/^(summary|button)$/);

    // Tab on through the frame's controls and out to the panel's next control, the panel still open.
    let where = await focusInFrame();
    for (let i = 0; i < 20 && where !== -1; i++) {
      const before = where;
      await step(`pressing Tab (${i + 1} in the frame)`, 5_000, () => page.keyboard.press('Tab'));
      await step(`focus moving on from control ${before} of the frame`, 12_000, () =>
        expect.poll(async () => (where = await focusInFrame()), { timeout: 5_000 }).not.toBe(before),
      );
    }
    expect(where).toBe(-1);
    const open = await step('the panel state after Tab', 10_000, () =>
      waitForPanelState<PanelSummary>(page, (s) => s.open, 5_000),
    );
    expect(open.open).toBe(true);

    // Back in (Shift+Tab), then Escape from inside the frame closes the panel.
    await step('pressing Shift+Tab', 5_000, () => page.keyboard.press('Shift+Tab'));
    await step('focus entering the frame again', 12_000, () =>
      expect.poll(frameHasFocus, { timeout: 5_000 }).toBe(true),
    );
    await step('pressing Escape', 5_000, () => page.keyboard.press('Escape'));
    const closed = await step('the panel closing', 10_000, () =>
      waitForPanelState<PanelSummary>(page, (s) => !s.open, 5_000),
    );
    expect(closed.open).toBe(false);
  });
});
