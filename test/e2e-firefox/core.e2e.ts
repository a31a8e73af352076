import type { ElementHandle, Page } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDemoConsole } from '../../demo/server.ts';
import { argAfter, ECHO_ROW, echoedArgv, type PanelSummary, runShown } from '../e2e/analyst.ts';
import {
  LIBRARIES,
  type Library,
  type RowPoint,
  readAtPoint,
  type ShownRow,
  shownMismatches,
} from '../e2e/library-rows.ts';
import {
  shadowBox,
  shadowClick,
  shadowClickPoint,
  shadowCount,
  shadowText,
  shadowValue,
  shadowWaitFor,
  waitForPanelState,
} from '../support/firefox-shadow.ts';
import { type FirefoxStack, startFirefoxStack } from '../support/firefox-stack.ts';
import { listedRuns } from '../support/orchestrator-process.ts';
import { closePanel, openForm, openPanelFromRow, panelTitle, runAction } from './firefox-analyst.ts';

/**
 * The core proof, in real Firefox (Debian's Firefox ESR, driven through WebDriver BiDi) with the Firefox
 * demo build installed, against the demo console and the real orchestrator: on the Logs and Alarms tabs a
 * hover run of the echo plugin receives the values the row shows; the context menu and the keyboard
 * command open the panel for the right-clicked or focused row; a pinned result is beside its alarm again
 * after a reload; on the other grid libraries' pages hover and the keyboard run with the row's values; in
 * the modal dialogs of MUI, EUI and Radix the panel keeps the analyst's typing, Tab and Escape; a grid
 * nothing recognises is taught by pointing.
 */

let stack: FirefoxStack;
let page: Page;

type Grid = 'logs' | 'alarms';

beforeAll(async () => {
  stack = await startFirefoxStack({ logs: 2_000 });
  page = await stack.openConsole('/analyzer.html#logs', '#logs-grid .ag-row[row-index]');
  await page.waitForFunction(() => 'gridApi' in window, { timeout: 60_000 });
}, 300_000); // an orchestrator, a console and Firefox, on a shared machine

afterAll(async () => {
  await stack?.stop();
});

async function showTab(grid: Grid): Promise<void> {
  await page.click(`#tab-${grid}`);
  await page.waitForSelector(`#${grid}-grid .ag-row[row-index]`, { visible: true });
}

/** Brings a row and columns into view through the page's ag-Grid API (as the analyst's scrolling would). */
async function showRow(grid: Grid, index: number, ...columns: string[]): Promise<void> {
  await page.evaluate(
    (grid, index, columns) => {
      // biome-ignore lint/suspicious/noExplicitAny: the demo console exposes its ag-Grid API for tests
      const api = (window as any).gridApi[grid];
      api.ensureIndexVisible(index, 'middle');
      for (const column of columns) api.ensureColumnVisible(column);
    },
    grid,
    index,
    columns,
  );
  for (const column of columns) await page.waitForSelector(cellSelector(grid, index, column));
}

const cellSelector = (grid: Grid, index: number, column: string) =>
  `#${grid}-grid .ag-row[row-index="${index}"] [col-id="${column}"]`;

async function cell(grid: Grid, index: number, column: string): Promise<ElementHandle<Element>> {
  const handle = await page.waitForSelector(cellSelector(grid, index, column));
  if (!handle) throw new Error(`no cell ${column} in ${grid} row ${index}`);
  return handle;
}

async function cellText(grid: Grid, index: number, column: string): Promise<string> {
  return (await cell(grid, index, column)).evaluate((el) => el.textContent ?? '');
}

/** Hover → button → panel → echo-row → the argv the plugin got. */
async function echoRow(grid: Grid, index: number, column: string): Promise<string[]> {
  const opened = await openPanelFromRow(page, await cell(grid, index, column));
  expect(opened.catalog).toBe('ready');
  const done = await runAction(page, ECHO_ROW);
  const argv = echoedArgv(done);
  await closePanel(page);
  return argv;
}

describe('Firefox: Run SmartResponse from a grid row', () => {
  it('sends the hovered log row’s own values to the plugin', async () => {
    await showTab('logs');
    const index = 3;
    await showRow('logs', index, 'DIP', 'SIP');
    const sip = await cellText('logs', index, 'SIP');
    const dip = await cellText('logs', index, 'DIP');
    expect(sip).toMatch(/\d+\.\d+\.\d+\.\d+/);
    const argv = await echoRow('logs', index, 'SIP');
    expect(argAfter(argv, '-sip')).toBe(sip);
    expect(argAfter(argv, '-dip')).toBe(dip);
  });

  it('identifies an alarm by its Alarm ID and sends its values', async () => {
    await showTab('alarms');
    const index = 5;
    await showRow('alarms', index, 'AlarmId');
    const alarmId = await cellText('alarms', index, 'AlarmId');
    expect(alarmId).toMatch(/^\d+$/);
    await openPanelFromRow(page, await cell('alarms', index, 'AlarmId'));
    expect(await panelTitle(page)).toBe(`Alarm ${alarmId}`);
    await closePanel(page);
    await showRow('alarms', index, 'SIP');
    const sip = await cellText('alarms', index, 'SIP');
    expect(sip).toMatch(/\d+\.\d+\.\d+\.\d+/);
    const argv = await echoRow('alarms', index, 'SIP');
    expect(argAfter(argv, '-sip')).toBe(sip);
  });
});

describe('Firefox: Run on the press', () => {
  // The press sends a read-only lookup and the click takes it over; in a browser whose click came in a
  // later task than the release, the press would be let go first and the click would run it twice.
  it('runs a read-only lookup once, from the press, and shows it from the click', async () => {
    await showTab('logs');
    const index = 9;
    await showRow('logs', index, 'SIP');
    const sip = await cellText('logs', index, 'SIP');
    const echoRuns = async () =>
      (await listedRuns(stack.orchestrator)).filter(
        (run) => run.actionId.endsWith('/echo-row-fields') && Object.values(run.params).includes(sip),
      );
    await openPanelFromRow(page, await cell('logs', index, 'SIP'));
    await openForm(page, ECHO_ROW);
    const run = await shadowClickPoint(page, 'form button[type="submit"].primary');
    await page.mouse.move(run.x, run.y);
    await page.mouse.down();
    await expect.poll(async () => (await echoRuns()).length, { timeout: 15_000 }).toBe(1);
    expect((await waitForPanelState<PanelSummary>(page, () => true)).step).toBe('form');
    await page.mouse.up();
    const done = await waitForPanelState<PanelSummary>(page, runShown, 30_000);
    expect(argAfter(echoedArgv(done), '-sip')).toBe(sip);
    expect(await echoRuns()).toHaveLength(1);
    await closePanel(page);
  });
});

describe('Firefox: right-click a row', () => {
  // Automation cannot click Firefox's native context menu: the test right-clicks the row for real (the
  // content script records it), checks the menu item exists, then calls the background page's own click
  // handler (a demo-build hook) with the real tab, as Firefox does for a click on the item.
  it('offers the menu item and opens the panel for the right-clicked row', async () => {
    const { background } = stack.firefox;
    expect(await background.hasMenuItem('gridside-run-on-row')).toBe(true);
    await showTab('logs');
    const index = 6;
    await showRow('logs', index, 'LogId');
    const logId = await cellText('logs', index, 'LogId');
    expect(logId).toMatch(/^\d+$/);
    const box = await (await cell('logs', index, 'LogId')).boundingBox();
    if (!box) throw new Error('the log cell is not rendered');
    await page.mouse.click(box.x + box.width / 2, box.y + box.height / 2, { button: 'right' });
    await page.keyboard.press('Escape');

    const tabId = await background.tabId(stack.console.url);
    await background.menuClick('gridside-run-on-row', tabId, 0);
    await waitForPanelState<PanelSummary>(page, (s) => s.open && s.catalog === 'ready');
    expect(await panelTitle(page)).toBe(`Log ${logId}`);
    await closePanel(page);
  });
});

describe('Firefox: the keyboard command', () => {
  // Alt+Shift+R is a browser-level shortcut that automation cannot press: the test focuses a cell with a
  // real click, then calls the background page's own command handler with the real tab.
  it('opens the panel for the focused row', async () => {
    await showTab('logs');
    const index = 9;
    await showRow('logs', index, 'LogId', 'Priority');
    const logId = await cellText('logs', index, 'LogId');
    expect(logId).toMatch(/^\d+$/);
    await (await cell('logs', index, 'Priority')).click();
    const { background } = stack.firefox;
    await background.command('run-on-focused-row', await background.tabId(stack.console.url));
    await waitForPanelState<PanelSummary>(page, (s) => s.open && s.catalog === 'ready');
    expect(await panelTitle(page)).toBe(`Log ${logId}`);
    await closePanel(page);
  });
});

describe('Firefox: the keyboard after the panel', () => {
  it('is back on the row when a panel opened with the mouse closes, so the arrows go on from there', async () => {
    await showTab('logs');
    const index = 30;
    await showRow('logs', index, 'Priority');
    await openPanelFromRow(page, await cell('logs', index, 'Priority'));
    await closePanel(page);
    const focusedRow = () =>
      page.evaluate(() => document.activeElement?.closest('.ag-row')?.getAttribute('row-index') ?? null);
    expect(await focusedRow(), 'the focused element is in the row the panel was about').toBe(String(index));
    await page.keyboard.press('ArrowDown');
    expect(await focusedRow(), 'ag-Grid moved its focus down a row').toBe(String(index + 1));
  });
});

describe('Firefox: real grid libraries', () => {
  // The library pages of library-grids.e2e.ts, at the top of their grids: what the grid shows for a row is
  // read through the library's own API, the panel is opened by hover, then by the keyboard command on a
  // clicked cell, and the plugin must get the row's values.
  const at: RowPoint = { field: 'MessageClass', visualRow: 2 };

  async function shownRow(tab: Page, library: Library): Promise<ShownRow> {
    await tab.evaluate(() => {
      (window as { shownBefore?: string }).shownBefore = undefined;
    });
    const settled = await tab.waitForFunction(
      readAtPoint,
      { polling: 'raf', timeout: 20_000 },
      { library, ...at },
    );
    return (await settled.jsonValue()) as ShownRow;
  }

  for (const { library, name, ready, api } of LIBRARIES) {
    it(`on ${name}: runs with the values the row shows, by hover and by the keyboard`, async () => {
      const tab = await stack.openConsole(`/grids/${library}.html`, ready);
      try {
        await tab.waitForFunction((api) => api in window, { timeout: 30_000 }, api);
        const shown = await shownRow(tab, library);
        const logId = shown.cells.find((c) => c.field === 'LogId')?.text;
        const cell = await tab.waitForSelector(shown.cellSelector);
        const box = await cell?.boundingBox();
        if (!box) throw new Error(`${name}: the cell is not on screen`);
        const point = { x: box.x + Math.min(box.width / 2, 30), y: box.y + box.height / 2 };

        await tab.mouse.move(1, 1);
        await tab.mouse.move(point.x, point.y);
        await shadowClick(tab, '.row-button[data-shown]');
        await waitForPanelState<PanelSummary>(tab, (s) => s.open && s.catalog === 'ready');
        expect(await panelTitle(tab)).toBe(`Log ${logId}`);
        const done = await runAction(tab, ECHO_ROW);
        expect(shownMismatches(shown, echoedArgv(done), `${name}, by hover`)).toEqual([]);
        await closePanel(tab);

        await tab.mouse.click(point.x, point.y);
        const { background } = stack.firefox;
        await background.command(
          'run-on-focused-row',
          await background.tabId(`${stack.console.url}/grids/${library}.html`),
        );
        await waitForPanelState<PanelSummary>(tab, (s) => s.open && s.catalog === 'ready');
        expect(await panelTitle(tab), `${name}, by the keyboard`).toBe(`Log ${logId}`);
        await closePanel(tab);
      } finally {
        await tab.close();
      }
    });
  }
});

describe('Firefox: a pinned result', () => {
  const INDEX = 5;

  /** The marker's vertical centre lies inside the row's box: it is beside THIS alarm. */
  async function expectMarkerBesideAlarm(index: number): Promise<void> {
    await shadowWaitFor(page, '.pin-marker[data-shown]', { text: /^1$/, timeoutMs: 20_000 });
    const marker = await shadowBox(page, '.pin-marker[data-shown]');
    const row = await (
      await page.waitForSelector(`#alarms-grid .ag-row[row-index="${index}"]`)
    )?.boundingBox();
    if (!marker || !row) throw new Error('the marker or the row is not rendered');
    const middle = (marker.top + marker.bottom) / 2;
    expect(middle).toBeGreaterThan(row.y);
    expect(middle).toBeLessThan(row.y + row.height);
  }

  it('is beside its alarm again after the page is reloaded', { timeout: 180_000 }, async () => {
    await showTab('alarms');
    await showRow('alarms', INDEX, 'AlarmId');
    const alarmId = (await cellText('alarms', INDEX, 'AlarmId')).trim();
    expect(alarmId).not.toBe('');

    await openPanelFromRow(page, await cell('alarms', INDEX, 'AlarmId'));
    const done = await runAction(page, ECHO_ROW);
    expect(done.status).toBe('succeeded');
    await shadowClick(page, 'button.pin', { text: 'Pin to alarm' });
    await shadowWaitFor(page, '.pinned', { text: 'Pinned' });
    await closePanel(page);
    await expectMarkerBesideAlarm(INDEX);
    expect(await shadowCount(page, '.pin-marker[data-shown]')).toBe(1);

    await page.reload();
    await page.waitForFunction(() => 'gridApi' in window, { timeout: 60_000 });
    await page.waitForSelector('[data-gridside]', { timeout: 30_000 });
    await showTab('alarms');
    await showRow('alarms', INDEX, 'AlarmId');
    await expectMarkerBesideAlarm(INDEX);

    await shadowClick(page, '.pin-marker[data-shown]');
    await shadowWaitFor(page, '.pins-view li.pin', { text: ECHO_ROW });
    const view = (await shadowText(page, '.pins-view')).join('\n');
    expect(view).toContain(`Alarm ${alarmId}`);
    expect(view).toContain('Succeeded');
  });
});

describe("Firefox: a grid in a page's modal dialog", () => {
  // Script-driven dialogs pull focus back inside themselves whenever it lands elsewhere, and Radix's also
  // closes on a press outside its content and on Escape heard anywhere in the document (a capture listener
  // on the document). Gridside's button and panel are drawn in the top layer: the press, the typing, Tab
  // and Escape must stay Gridside's in Firefox too, and the plugin get the row's values.
  const ARIA_MODAL = '[role="dialog"][aria-modal="true"]';
  const MODALS = [
    {
      name: 'an MUI modal Dialog (MUI X DataGrid)',
      path: '/grids/mui-dialog.html',
      dialog: ARIA_MODAL,
      sipCell: `${ARIA_MODAL} [role="row"][data-id="4"] [data-field="SIP"]`,
    },
    {
      name: 'an Elastic EUI EuiModal (EuiDataGrid, react-focus-lock)',
      path: '/grids/eui-modal.html',
      dialog: ARIA_MODAL,
      sipCell: `${ARIA_MODAL} [role="gridcell"][data-gridcell-row-index="4"][data-gridcell-column-id="SIP"]`,
    },
    {
      name: 'a Radix UI Dialog (a data table, as shadcn/ui draws one)',
      path: '/grids/radix-dialog.html',
      dialog: '[role="dialog"]',
      sipCell: '[role="dialog"] tr[data-row-index="4"] td[data-column-id="SIP"]',
    },
  ];

  for (const modal of MODALS) {
    it(`on ${modal.name}: types, tabs and runs in the panel, and Escape leaves the dialog open`, async () => {
      const tab = await stack.openConsole(modal.path, '#open-related');
      const focusInGridside = () => tab.evaluate(() => document.activeElement?.matches('[data-gridside]'));
      try {
        await tab.click('#open-related');
        const cell = await tab.waitForSelector(modal.sipCell);
        if (!cell) throw new Error('the dialog shows no rows');
        // EUI draws a cell's text in a content element, beside the cell's own action buttons.
        const sip = await cell.evaluate(
          (el) => (el.querySelector('[data-datagrid-cellcontent]') ?? el).textContent ?? '',
        );
        expect(sip).toMatch(/^\d+\.\d+\.\d+\.\d+$/);
        await openPanelFromRow(tab, cell);
        expect(await tab.$(modal.dialog), 'the press on the row button left the dialog open').not.toBeNull();

        await waitForPanelState<PanelSummary>(tab, (s) => s.open && s.catalog === 'ready');
        await shadowClick(tab, 'input[type="search"]');
        await tab.keyboard.type('echo');
        await new Promise((resolve) => setTimeout(resolve, 300)); // a trap acts on the next focus change
        expect(await shadowValue(tab, 'input[type="search"]'), 'the letters stayed in the filter').toBe(
          'echo',
        );
        await tab.keyboard.press('Tab');
        await tab.keyboard.press('Tab');
        expect(await focusInGridside(), 'Tab moved focus within the panel').toBe(true);

        const done = await runAction(tab, ECHO_ROW);
        expect(argAfter(echoedArgv(done), '-sip')).toBe(sip);
        await closePanel(tab);

        await openPanelFromRow(tab, (await tab.waitForSelector(modal.sipCell))!);
        await openForm(tab, ECHO_ROW);
        await shadowClick(tab, 'form input[type="text"]');
        await tab.keyboard.press('Escape');
        await waitForPanelState<PanelSummary>(tab, (s) => !s.open);
        await new Promise((resolve) => setTimeout(resolve, 500));
        expect(await tab.$(modal.dialog), 'Escape in the panel left the dialog open').not.toBeNull();
      } finally {
        await tab.close();
      }
    });
  }
});

describe('Firefox: another port of the console’s host', () => {
  // Firefox registers content scripts without the port: a console enabled at one port gets the script on
  // every port of its host. There it must stand down, leaving nothing on the page.
  it('gets the content script, which removes itself: not a console the analyst enabled', async () => {
    const other = await startDemoConsole({ port: 0, logs: 200 });
    const tab = await stack.firefox.browser.newPage();
    try {
      expect(new URL(other.url).port).not.toBe(new URL(stack.console.url).port);
      // Seen from the page from its first moment: did Gridside's host element ever arrive?
      await tab.evaluateOnNewDocument(() => {
        new MutationObserver((records) => {
          for (const record of records)
            for (const node of record.addedNodes)
              if (node instanceof Element && node.hasAttribute('data-gridside'))
                (window as { sawGridside?: boolean }).sawGridside = true;
        }).observe(document, { childList: true, subtree: true });
      });
      await tab.goto(`${other.url}/analyzer.html#logs`);
      await tab.waitForSelector('#logs-grid .ag-row[row-index]', { timeout: 100_000 });
      await tab.waitForFunction(() => (window as { sawGridside?: boolean }).sawGridside === true, {
        timeout: 30_000,
      });
      await tab.waitForFunction(() => document.querySelectorAll('[data-gridside]').length === 0, {
        timeout: 10_000,
      });
    } finally {
      await tab.close();
      await other.close();
    }
  });
});

describe('Firefox: teach Gridside a grid it cannot read', () => {
  // The demo's event feed (class-named divs, no ARIA roles, no table): the analyst points at a header and
  // a row, gives a column its field by clicking the header, and a run gets the value the row shows. Last in
  // this file: what is taught is saved for the console's site.
  interface TeachSummary {
    active: boolean;
    phase?: string;
    picker?: string | null;
    columns?: Array<{ label: string; field: string | null }>;
  }

  it('learns the feed from clicks in Firefox, and a run gets the row’s value', {
    timeout: 120_000,
  }, async () => {
    const tab = await stack.openConsole('/custom-grid.html', '.feed-line');
    const teach = async (predicate: (s: TeachSummary) => boolean): Promise<TeachSummary> => {
      let last: TeachSummary | null = null;
      for (const deadline = Date.now() + 15_000; Date.now() < deadline; ) {
        const raw = await tab.$eval('[data-gridside]', (h) => h.getAttribute('data-gridside-teach'));
        last = raw ? (JSON.parse(raw) as TeachSummary) : null;
        if (last && predicate(last)) return last;
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      throw new Error(`teach mode never matched; last: ${JSON.stringify(last)}`);
    };
    const clickAt = async (selector: string, index = 0) => {
      const box = await (await tab.$$(selector))[index]?.boundingBox();
      if (!box) throw new Error(`${selector} is not on screen`);
      await tab.mouse.click(box.x + Math.min(box.width / 2, 12), box.y + box.height / 2);
    };
    const headerOf = (label: string) =>
      tab.evaluate(
        (label) =>
          [...document.querySelectorAll('.feed-hcell')].findIndex(
            (cell) => cell.querySelector('.feed-hlabel')?.textContent === label,
          ),
        label,
      );
    try {
      await tab.mouse.click(...(await centreOf(tab, '.feed-line:nth-child(3) .feed-val')), {
        button: 'right',
      });
      await tab.keyboard.press('Escape');
      const { background } = stack.firefox;
      await background.menuClick(
        'gridside-run-on-row',
        await background.tabId(`${stack.console.url}/custom-grid`),
        0,
      );
      await waitForPanelState<PanelSummary>(tab, (s) => s.open && s.step === 'notice');
      await shadowClick(tab, '.unmapped button.teach-link', { text: 'Teach Gridside this grid' });
      await teach((s) => s.active && s.phase === 'header');

      await clickAt('.feed-hcell .feed-hlabel', await headerOf('Evt'));
      await teach((s) => s.phase === 'row');
      await clickAt('.feed-line:nth-child(4) .feed-val');
      await teach((s) => s.phase === 'look');
      expect(await tab.evaluate(() => document.body.getAttribute('data-details-opened'))).toBeNull();

      await clickAt('.feed-hcell', await headerOf('Src'));
      await teach((s) => s.picker === 'Src');
      await shadowClick(tab, '.picker input[type="search"]');
      await tab.keyboard.type('SIP');
      await shadowClick(tab, '.picker button.field[data-field="SIP"]');
      await teach((s) => s.columns?.find((c) => c.label === 'Src')?.field === 'SIP');
      await shadowClick(tab, '.card button.primary', { text: 'Save for this site' });
      await teach((s) => !s.active);

      const index = 7;
      const src = await tab.evaluate(
        (index, column) =>
          document.querySelectorAll('.feed-line')[index]?.children[column]?.textContent ?? '',
        index,
        await headerOf('Src'),
      );
      expect(src).toMatch(/\d+\.\d+\.\d+\.\d+/);
      const row = (await tab.$$('.feed-line'))[index];
      const value = await row?.$('.feed-val');
      if (!value) throw new Error('the feed row is not rendered');
      await openPanelFromRow(tab, value);
      const done = await runAction(tab, ECHO_ROW);
      expect(argAfter(echoedArgv(done), '-sip')).toBe(src);
      await closePanel(tab);
    } finally {
      await tab.close();
    }
  });
});

/** The centre of the first element matching `selector`, as mouse coordinates. */
async function centreOf(on: Page, selector: string): Promise<[number, number]> {
  const box = await (await on.$(selector))?.boundingBox();
  if (!box) throw new Error(`${selector} is not on screen`);
  return [box.x + Math.min(box.width / 2, 10), box.y + box.height / 2];
}
