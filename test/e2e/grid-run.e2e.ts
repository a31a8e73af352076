import { readFileSync } from 'node:fs';
import type { Page, Request } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Stack, startStack } from '../support/e2e-stack.ts';
import { type ListedRun, listedRuns } from '../support/orchestrator-process.ts';
import { shadowClickPoint } from '../support/shadow-dom.ts';
import {
  argAfter,
  closePanel,
  ECHO_ROW,
  echoedArgv,
  openPanelFromRow,
  type PanelSummary,
  panelState,
  panelText,
  panelTitle,
  runAction,
  runShown,
  shadowBox,
  shadowClick,
  shadowText,
  shadowWaitFor,
  waitForPanelState,
} from './analyst.ts';

/**
 * The analyst's main path on the Analyzer grid (ag-Grid 36, 50,000 virtualized logs): hover a row, click
 * "Run SmartResponse", run an action, and the plugin receives THIS row's values — also after scrolling
 * far away (row elements are recycled), after moving a column, on the Alarms tab, and with a verdict.
 */

let stack: Stack;
let page: Page;

const LOG_ROWS = '#logs-grid .ag-row[row-index]';

beforeAll(async () => {
  stack = await startStack();
  page = await stack.openConsole('/analyzer.html#logs', LOG_ROWS);
  await page.waitForFunction(() => 'gridApi' in window);
});

afterAll(async () => {
  await stack?.stop();
});

type Grid = 'logs' | 'alarms';

/** Brings a row and columns into view through the page's ag-Grid API (as the analyst's scrolling would). */
async function showRow(grid: Grid, index: number, ...columns: string[]): Promise<void> {
  await page.evaluate(
    ([grid, index, columns]) => {
      // biome-ignore lint/suspicious/noExplicitAny: the demo console exposes its ag-Grid API for tests
      const api = (window as any).gridApi[grid];
      api.ensureIndexVisible(index, 'middle');
      for (const column of columns) api.ensureColumnVisible(column);
    },
    [grid, index, columns] as const,
  );
  for (const column of columns)
    await page.waitForSelector(`#${grid}-grid .ag-row[row-index="${index}"] [col-id="${column}"]`);
}

/** One cell of the row at `index`. */
function cell(grid: Grid, index: number, column: string) {
  return page.locator(`#${grid}-grid .ag-row[row-index="${index}"] [col-id="${column}"]`).first();
}

/** The text the grid shows in a cell of that row (the cell must be on screen: see showRow). */
async function cellText(grid: Grid, index: number, column: string): Promise<string> {
  return (await cell(grid, index, column).textContent({ timeout: 5_000 })) ?? '';
}

/** Hover → button → panel → echo-row → the argv the plugin got. */
async function echoRow(grid: Grid, index: number, column: string): Promise<string[]> {
  const opened = await openPanelFromRow(page, cell(grid, index, column));
  expect(opened.catalog).toBe('ready');
  const done = await runAction(page, ECHO_ROW);
  const argv = echoedArgv(done);
  await closePanel(page);
  return argv;
}

describe('Run SmartResponse from a log row', () => {
  it('sends the hovered row’s own values to the plugin', async () => {
    const index = 3;
    await showRow('logs', index, 'DIP', 'SIP');
    const sip = await cellText('logs', index, 'SIP');
    const dip = await cellText('logs', index, 'DIP');
    expect(sip).toMatch(/\d+\.\d+\.\d+\.\d+/);
    const argv = await echoRow('logs', index, 'SIP');
    expect(argAfter(argv, '-sip')).toBe(sip);
    expect(argAfter(argv, '-dip')).toBe(dip);
  });

  it('gives the keyboard back to the row when a panel opened with the mouse closes: the arrows go on from it', async () => {
    await showRow('logs', 30, 'MessageClass');
    await openPanelFromRow(page, cell('logs', 30, 'MessageClass'));
    await closePanel(page);
    const focusedRow = () =>
      page.evaluate(() => document.activeElement?.closest('.ag-row')?.getAttribute('row-index') ?? null);
    expect(await focusedRow(), 'the focused element is in the row the panel was about').toBe('30');
    await page.keyboard.press('ArrowDown');
    expect(await focusedRow(), 'the grid moved its focus down a row').toBe('31');
  });

  it('keeps keys typed in the panel from the console’s own shortcuts', async () => {
    // A console's single-key shortcuts, as hotkey libraries listen for them: on the document, skipping
    // keys typed into the page's own fields.
    await page.evaluate(() => {
      const heard: string[] = [];
      (window as unknown as { shortcutKeys: string[] }).shortcutKeys = heard;
      document.addEventListener('keydown', (event) => {
        const target = event.target as HTMLElement;
        if (!target.matches('input, textarea, select, [contenteditable]')) heard.push(event.key);
      });
    });
    await showRow('logs', 12, 'MessageClass');
    await openPanelFromRow(page, cell('logs', 12, 'MessageClass'));
    await shadowClick(page, 'input[type="search"]');
    await page.keyboard.type('jk/');
    await page.keyboard.press('Escape');
    await waitForPanelState<PanelSummary>(page, (s) => !s.open);
    expect(await page.evaluate(() => (window as unknown as { shortcutKeys: string[] }).shortcutKeys)).toEqual(
      [],
    );
    // Outside the panel, the console's shortcuts hear keys as before.
    await page.keyboard.press('j');
    expect(await page.evaluate(() => (window as unknown as { shortcutKeys: string[] }).shortcutKeys)).toEqual(
      ['j'],
    );
  });

  it('still reads the right row after scrolling 40,000 rows away (recycled row elements)', async () => {
    const index = 40_000;
    await showRow('logs', index, 'LogId');
    const logId = await cellText('logs', index, 'LogId');
    await showRow('logs', index, 'DHostName', 'SIP');
    const sip = await cellText('logs', index, 'SIP');
    const host = await cellText('logs', index, 'DHostName');
    const argv = await echoRow('logs', index, 'SIP');
    expect(argAfter(argv, '-sip')).toBe(sip);
    if (host) expect(argAfter(argv, '-dhost')).toBe(host);
    // The panel names the row by its Log ID.
    await showRow('logs', index, 'LogId');
    await openPanelFromRow(page, cell('logs', index, 'LogId'));
    expect(await panelTitle(page)).toBe(`Log ${logId}`);
    await closePanel(page);
  });

  it('follows a moved column: the value still lands in the right parameter', async () => {
    await page.evaluate(() => {
      // biome-ignore lint/suspicious/noExplicitAny: the demo console exposes its ag-Grid API for tests
      const api = (window as any).gridApi.logs;
      api.ensureIndexVisible(0, 'top');
      // SIP and DIP swap places: a reader that went by position would now mix them up.
      api.moveColumns(['DIP'], 1);
      api.moveColumns(['SIP'], 3);
    });
    const index = 12;
    await showRow('logs', index, 'SIP', 'DIP');
    const sip = await cellText('logs', index, 'SIP');
    const dip = await cellText('logs', index, 'DIP');
    expect(sip).not.toBe(dip);
    const argv = await echoRow('logs', index, 'DIP');
    expect(argAfter(argv, '-sip')).toBe(sip);
    expect(argAfter(argv, '-dip')).toBe(dip);
  });
});

describe('The row button', () => {
  it('hides little of the hovered row until pointed at, then widens to the left to say what it does', async () => {
    const index = 5;
    await showRow('logs', index, 'SIP');
    await page.mouse.move(1, 1);
    await cell('logs', index, 'SIP').hover();
    await shadowWaitFor(page, '.row-button[data-shown]');
    const hovered = await cell('logs', index, 'SIP').boundingBox();
    const grid = await page.locator('#logs-grid').boundingBox();
    const small = await shadowBox(page, '.row-button[data-shown]');
    if (!hovered || !grid || !small) throw new Error('no hovered cell, grid or row button on screen');
    // A round button at the row's visible end: it covers one small corner of the last column, not a label.
    expect(small.right - small.left).toBeLessThanOrEqual(24);
    expect(small.right, "at the grid's right end").toBeGreaterThan(grid.x + grid.width - 40);
    expect(small.right).toBeLessThanOrEqual(grid.x + grid.width);
    // Within the hovered row's height.
    expect(small.top).toBeGreaterThanOrEqual(hovered.y);
    expect(small.bottom).toBeLessThanOrEqual(hovered.y + hovered.height);

    await page.mouse.move((small.left + small.right) / 2, (small.top + small.bottom) / 2);
    await expect
      .poll(async () => {
        const box = await shadowBox(page, '.row-button[data-shown]');
        return box ? box.right - box.left : 0;
      })
      .toBeGreaterThan(100);
    const wide = await shadowBox(page, '.row-button[data-shown]');
    expect(wide?.right, 'it widens to the left: its right edge stays put').toBeCloseTo(small.right, 0);
    expect(await shadowText(page, '.row-button[data-shown]')).toEqual(['Run SmartResponse']);
    await page.mouse.move(1, 1);
  });
});

describe('Run SmartResponse from an alarm row', () => {
  it('identifies the alarm by its Alarm ID and sends its values', async () => {
    await page.locator('#tab-alarms').click();
    await page.waitForSelector('#alarms-grid .ag-row[row-index]');
    const index = 5;
    await showRow('alarms', index, 'AlarmId');
    const alarmId = await cellText('alarms', index, 'AlarmId');
    await openPanelFromRow(page, cell('alarms', index, 'AlarmId'));
    expect(await panelTitle(page)).toBe(`Alarm ${alarmId}`);
    await shadowWaitFor(page, '.key[data-confidence="high"]');
    await closePanel(page);
    await showRow('alarms', index, 'SIP');
    const sip = await cellText('alarms', index, 'SIP');
    const argv = await echoRow('alarms', index, 'SIP');
    expect(argAfter(argv, '-sip')).toBe(sip);
  });
});

describe('A verdict plugin', () => {
  it('shows a malicious chip for a log whose origin IP is on the threat list', async () => {
    // What the worker asks the orchestrator meanwhile (Playwright reports the worker's requests here).
    const asked: { method: string; path: string; body: string | null }[] = [];
    const note = (request: Request) => {
      const url = new URL(request.url());
      if (url.pathname.startsWith('/api/v1/runs'))
        asked.push({ method: request.method(), path: url.pathname, body: request.postData() });
    };
    stack.browser.context.on('request', note);
    // The demo feed's rule: command-and-control, botnet and malware hosts the feed is sure of (≥ 70), and
    // phishing hosts at ≥ 80, are malicious.
    const feed = JSON.parse(readFileSync('demo/plugins/ip-reputation/threat-ips.json', 'utf8')) as {
      ip: string;
      category: string;
      confidence: number;
    }[];
    const listed = feed
      .filter(
        (e) =>
          (['c2', 'botnet', 'malware-host'].includes(e.category) && e.confidence >= 70) ||
          (e.category === 'phishing' && e.confidence >= 80),
      )
      .map((e) => e.ip);
    await page.locator('#tab-logs').click();
    const index = await page.evaluate((listed) => {
      // biome-ignore lint/suspicious/noExplicitAny: the demo console exposes its ag-Grid API for tests
      const api = (window as any).gridApi.logs;
      for (let i = 0; i < 5_000; i += 1) {
        const sip = api.getDisplayedRowAtIndex(i)?.data?.SIP;
        if (listed.includes(sip)) return i;
      }
      return -1;
    }, listed);
    expect(index).toBeGreaterThanOrEqual(0);
    await showRow('logs', index, 'SIP');
    const sip = await cellText('logs', index, 'SIP');
    expect(listed).toContain(sip);
    await openPanelFromRow(page, cell('logs', index, 'SIP'));
    const done = await runAction(page, 'IP Reputation : Origin IP');
    expect(done.status).toBe('succeeded');
    expect(done.verdicts).toContain('malicious');
    await shadowWaitFor(page, '.chip.malicious', { text: 'malicious' });
    expect(await panelText(page)).toContain(sip);
    await closePanel(page);
    stack.browser.context.off('request', note);
    // A quick read-only lookup: its verdict came back with the start's own answer, and nothing followed it.
    expect(asked).toHaveLength(1);
    expect(asked[0]).toMatchObject({ method: 'POST', path: '/api/v1/runs' });
    expect(JSON.parse(asked[0]!.body ?? '{}')).toMatchObject({ actionId: expect.any(String), wait: 1 });
  });
});

describe('The panel beside a row low on the screen', () => {
  // The panel grows as the actions and the form arrive; it must be placed again each time, or beside a row
  // in the lower half of the window its Run button ends up below the bottom edge.
  it('stays inside the window once the actions and the form are shown', async () => {
    await page.locator('#tab-logs').click();
    const index = 40_010;
    await showRow('logs', index, 'SIP');
    await openPanelFromRow(page, cell('logs', index, 'SIP'));
    await waitForPanelState<PanelSummary>(page, (s) => s.catalog === 'ready');
    const height = await page.evaluate(() => window.innerHeight);
    const withActions = await shadowBox(page, 'section.panel');
    expect(withActions).not.toBeNull();
    expect(withActions!.bottom).toBeLessThanOrEqual(height);
    await shadowClick(page, 'button.action', { text: ECHO_ROW });
    await waitForPanelState<PanelSummary>(page, (s) => s.step === 'form');
    const run = await shadowBox(page, 'form button.primary');
    expect(run).not.toBeNull();
    expect(run!.bottom).toBeLessThanOrEqual(height);
    await closePanel(page);
  });
});

describe('Run on the press', () => {
  /** The orchestrator's Echo Row runs for `sip`, as its own API lists them (newest first). */
  async function echoRuns(sip: string): Promise<ListedRun[]> {
    return (await listedRuns(stack.orchestrator)).filter(
      (run) => run.actionId.endsWith('/echo-row-fields') && Object.values(run.params).includes(sip),
    );
  }

  /** The Echo Row form on row `index`; returns the row's origin IP and the Run button's centre. */
  async function echoForm(index: number): Promise<{ sip: string; run: { x: number; y: number } }> {
    await page.locator('#tab-logs').click();
    await showRow('logs', index, 'SIP');
    const sip = (await cellText('logs', index, 'SIP')).trim();
    await openPanelFromRow(page, cell('logs', index, 'SIP'));
    await waitForPanelState<PanelSummary>(page, (s) => s.catalog === 'ready');
    await shadowClick(page, 'button.action', { text: ECHO_ROW });
    await waitForPanelState<PanelSummary>(page, (s) => s.step === 'form');
    return { sip, run: await shadowClickPoint(page, 'form button[type="submit"].primary') };
  }

  it('starts a read-only lookup while Run is held, and shows it from the click on', async () => {
    const { sip, run } = await echoForm(31);
    expect(await echoRuns(sip)).toEqual([]);
    await page.mouse.move(run.x, run.y);
    await page.mouse.down();
    // Held: the orchestrator has the run, and the panel still shows the form.
    await expect.poll(async () => (await echoRuns(sip)).length, { timeout: 10_000 }).toBe(1);
    expect((await panelState<PanelSummary>(page))?.step).toBe('form');
    const released = Date.now();
    await page.mouse.up();
    const done = await waitForPanelState<PanelSummary>(page, runShown);
    expect(done.status).toBe('succeeded');
    expect(argAfter(echoedArgv(done), '-sip')).toBe(sip);
    const runs = await echoRuns(sip);
    expect(runs).toHaveLength(1);
    expect(Date.parse(runs[0]!.timing.createdAt)).toBeLessThan(released);
    await closePanel(page);
  });

  it('leaves the form as it is when the press ends off Run, and runs again on the next click', async () => {
    const { sip, run } = await echoForm(33);
    await page.mouse.move(run.x, run.y);
    await page.mouse.down();
    await page.mouse.move(run.x, run.y - 60, { steps: 3 });
    await page.mouse.up();
    await expect
      .poll(async () => (await echoRuns(sip)).map((r) => r.status), { timeout: 10_000 })
      .toEqual(['succeeded']);
    // Past the pressed run's end: the panel still shows the form the analyst left it at.
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect((await panelState<PanelSummary>(page))?.step).toBe('form');

    await page.mouse.click(run.x, run.y);
    const done = await waitForPanelState<PanelSummary>(page, runShown);
    expect(done.status).toBe('succeeded');
    // Echo Row is not cached: the click ran it again.
    expect(await echoRuns(sip)).toHaveLength(2);
    await closePanel(page);
  });
});

describe('The panel under a still pointer', () => {
  /** Every element of the page the pointer enters from now on, outside Gridside's own host. */
  async function watchPointerOnPage(): Promise<() => Promise<string[]>> {
    await page.evaluate(() => {
      const entered: string[] = [];
      (window as unknown as { pointerEntered: string[] }).pointerEntered = entered;
      document.addEventListener(
        'pointerover',
        (event) => {
          const target = event.target as Element;
          if (!target.closest('[data-gridside]'))
            entered.push(`<${target.localName} class="${target.className}">`);
        },
        true,
      );
    });
    return () => page.evaluate(() => (window as unknown as { pointerEntered: string[] }).pointerEntered);
  }

  // The run view is shorter than the form. Shrunk under the pointer, the panel used to drop it onto the grid
  // behind, whose row lit up and got its row button while the analyst waited for the verdict.
  it('keeps the pointer on the panel from the click on Run to the output', async () => {
    await page.locator('#tab-logs').click();
    const index = 20;
    await showRow('logs', index, 'SIP');
    await openPanelFromRow(page, cell('logs', index, 'SIP'));
    await waitForPanelState<PanelSummary>(page, (s) => s.catalog === 'ready');
    await shadowClick(page, 'button.action', { text: ECHO_ROW });
    await waitForPanelState<PanelSummary>(page, (s) => s.step === 'form');
    const form = await shadowBox(page, 'section.panel');
    const entered = await watchPointerOnPage();
    await shadowClick(page, 'form button[type="submit"].primary');
    const done = await waitForPanelState<PanelSummary>(page, runShown);
    expect(done.status).toBe('succeeded');
    await page.evaluate(
      () => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))),
    );
    expect(await entered()).toEqual([]);
    const running = await shadowBox(page, 'section.panel');
    expect(running!.bottom - running!.top).toBeGreaterThanOrEqual(form!.bottom - form!.top - 1);
    await closePanel(page);
  });

  it('keeps its height while the pointer is on it, and settles once the pointer leaves', async () => {
    await page.locator('#tab-logs').click();
    const index = 24;
    await showRow('logs', index, 'SIP');
    await openPanelFromRow(page, cell('logs', index, 'SIP'));
    await waitForPanelState<PanelSummary>(page, (s) => s.catalog === 'ready');
    await shadowClick(page, 'input[type="search"]');
    const full = await shadowBox(page, 'section.panel');
    const height = (box: typeof full) => box!.bottom - box!.top;
    // Narrowed to one action, the list is much shorter than the whole catalog.
    await page.keyboard.type(ECHO_ROW);
    await expect.poll(async () => (await shadowText(page, 'button.action')).length).toBe(1);
    expect(height(await shadowBox(page, 'section.panel'))).toBeCloseTo(height(full), 0);
    await page.mouse.move(1, 1);
    await expect
      .poll(async () => height(await shadowBox(page, 'section.panel')))
      .toBeLessThan(height(full) - 40);
    await closePanel(page);
  });
});
