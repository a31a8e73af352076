import type { Page, Worker } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Stack, startStack } from '../support/e2e-stack.ts';
import { shadowQueryAll, shadowText } from '../support/shadow-dom.ts';
import {
  argAfter,
  closePanel,
  ECHO_ROW,
  echoedArgv,
  openPanelFromRow,
  type PanelSummary,
  runAction,
  shadowClick,
  shadowWaitFor,
  waitForPanelState,
} from './analyst.ts';

/**
 * "Teach Gridside this grid" on a grid nothing recognises: the demo's event feed (class-named divs, no
 * ARIA roles, no table, column names of its own). Gridside reads nothing there at first; the analyst
 * points at a header and a row, Gridside reads the rows but maps no column, says which, and the analyst
 * picks the fields by clicking the headers. Then a plugin run gets the values the row shows, and the options
 * page shows what was taught. Every click is a real mouse click.
 */

let stack: Stack;
let page: Page;

interface TeachSummary {
  active: boolean;
  phase?: 'look' | 'header' | 'row';
  source?: 'built-in' | 'saved' | 'taught' | null;
  columns?: Array<{ label: string; field: string | null }>;
  rows?: number;
  picker?: string | null;
  saved?: boolean;
  problem?: string | null;
}

/** Column label on the feed → the field the analyst gives it → the echo-row switch that carries it. */
const TAUGHT: ReadonlyArray<{ label: string; field: string; flag: string }> = [
  { label: 'Src', field: 'SIP', flag: '-sip' },
  { label: 'Dst Node', field: 'DHostName', flag: '-dhost' },
  { label: 'Who', field: 'Login', flag: '-login' },
];

async function teachState(on = page): Promise<TeachSummary | null> {
  const raw = await on.locator('[data-gridside]').first().getAttribute('data-gridside-teach');
  return raw ? (JSON.parse(raw) as TeachSummary) : null;
}

async function waitForTeach(
  predicate: (s: TeachSummary) => boolean,
  timeoutMs = 15_000,
  on = page,
): Promise<TeachSummary> {
  const deadline = Date.now() + timeoutMs;
  let last: TeachSummary | null = null;
  while (Date.now() < deadline) {
    last = await teachState(on);
    if (last && predicate(last)) return last;
    await on.waitForTimeout(100);
  }
  throw new Error(`teach mode never matched; last: ${JSON.stringify(last)}`);
}

async function clickOn(selector: string, hasText?: string): Promise<void> {
  const target = page.locator(selector, hasText ? { hasText } : {}).first();
  await target.scrollIntoViewIfNeeded();
  const box = await target.boundingBox();
  if (!box) throw new Error(`${selector} is not on screen`);
  await page.mouse.click(box.x + Math.min(box.width / 2, 30), box.y + box.height / 2);
}

const headerCell = (label: string) =>
  page
    .locator('.feed-hcell')
    .filter({ has: page.locator('.feed-hlabel', { hasText: new RegExp(`^${label}$`) }) });

async function consoleTabId(worker: Worker, pathname = '/custom-grid'): Promise<number> {
  const id = await worker.evaluate(
    async ([origin, pathname]) => {
      const tabs = await chrome.tabs.query({});
      return tabs.find((t) => t.url?.startsWith(`${origin}${pathname}`))?.id ?? null;
    },
    [stack.console.url, pathname] as const,
  );
  if (id === null) throw new Error('the console tab is not visible to the extension');
  return id;
}

/** What the feed shows in row `index`, by header label. */
async function shownValues(index: number): Promise<Record<string, string>> {
  return page.evaluate((index) => {
    const labels = [...document.querySelectorAll('.feed-hcell .feed-hlabel')].map(
      (el) => el.textContent ?? '',
    );
    const line = document.querySelectorAll('.feed-line')[index]!;
    return Object.fromEntries(labels.map((label, i) => [label, line.children[i]?.textContent ?? '']));
  }, index);
}

beforeAll(async () => {
  stack = await startStack({ logs: 500, alarms: 20 });
  page = await stack.openConsole('/custom-grid.html', '.feed-line');
});

afterAll(async () => {
  await stack?.stop();
});

describe('Teach Gridside a grid it cannot read', () => {
  it('reads no row at first, and the panel leads into teach mode', async () => {
    // Right-click a row and choose Gridside's menu item (the worker's own click handler, see context-menu.e2e).
    const cell = page.locator('.feed-line').nth(2).locator('.feed-val').first();
    const box = (await cell.boundingBox())!;
    await page.mouse.click(box.x + 10, box.y + box.height / 2, { button: 'right' });
    await page.keyboard.press('Escape');
    const worker = await stack.browser.worker();
    const tabId = await consoleTabId(worker);
    await worker.evaluate(
      ([tabId]) =>
        (
          globalThis as unknown as {
            __gridsideTest: { onMenuClick(info: unknown, tab: unknown): Promise<void> };
          }
        ).__gridsideTest.onMenuClick({ menuItemId: 'gridside-run-on-row', frameId: 0 }, { id: tabId }),
      [tabId] as const,
    );
    // The panel opens without a row (the notice step): Gridside read no row where the analyst clicked.
    await waitForPanelState<PanelSummary>(page, (s) => s.open && s.step === 'notice');
    await shadowClick(page, '.unmapped button.teach-link', { text: 'Teach Gridside this grid' });
    await waitForPanelState<PanelSummary>(page, (s) => !s.open);
    expect(await waitForTeach((s) => s.active)).toMatchObject({ phase: 'header', source: null });
  });

  it('learns the grid from one header and one row, without the page seeing the clicks', async () => {
    await clickOn('.feed-hcell .feed-hlabel', 'Evt');
    await waitForTeach((s) => s.phase === 'row');
    await clickOn('.feed-line:nth-child(4) .feed-val');
    const taught = await waitForTeach((s) => s.phase === 'look');
    expect(taught.source).toBe('taught');
    expect(taught.columns?.map((c) => c.label)).toEqual(['Ref', 'Seen', 'Evt', 'Src', 'Dst Node', 'Who']);
    expect(taught.columns?.every((c) => c.field === null)).toBe(true);
    expect(taught.rows).toBeGreaterThan(5);
    // The feed's own click handler (it opens an event's details) never ran.
    expect(await page.locator('body').getAttribute('data-details-opened')).toBeNull();

    await shadowClick(page, '.card button.primary', { text: 'Save for this site' });
    expect(await waitForTeach((s) => !s.active)).toEqual({ active: false, saved: true });
  });

  it('now reads rows, and says which columns it could not map', async () => {
    await openPanelFromRow(page, page.locator('.feed-line').nth(5).locator('.feed-val').first());
    await shadowWaitFor(page, '.unmapped.none-mapped');
    const note = (await shadowText(page, '.unmapped.none-mapped')).join(' ');
    for (const label of ['Ref', 'Seen', 'Evt', 'Src', 'Dst Node', 'Who']) expect(note).toContain(label);
    await shadowClick(page, '.unmapped button.teach-link', { text: 'Teach Gridside this grid' });
    const state = await waitForTeach((s) => s.active && s.phase === 'look');
    expect(state.source).toBe('saved');
  });

  it('closes a column’s field list on Escape and stays in teach mode, also after the panel was open', async () => {
    // Teach mode was started from the panel here, so the panel's key handling is in place in this tab.
    const { label } = TAUGHT[0]!;
    const box = (await headerCell(label).boundingBox())!;
    await page.mouse.click(box.x + 12, box.y + box.height / 2);
    await waitForTeach((s) => s.picker === label);
    await shadowClick(page, '.picker input[type="search"]');
    await page.keyboard.press('Escape');
    await waitForTeach((s) => s.picker === null);
    await page.waitForTimeout(300);
    expect((await waitForTeach((s) => s.picker === null)).active, 'still in teach mode').toBe(true);
  });

  it('takes a field for each column the analyst clicks, and a run gets the values the row shows', async () => {
    for (const { label, field } of TAUGHT) {
      const header = headerCell(label);
      const box = (await header.boundingBox())!;
      await page.mouse.click(box.x + 12, box.y + box.height / 2);
      await waitForTeach((s) => s.picker === label);
      await shadowClick(page, '.picker input[type="search"]');
      await page.keyboard.type(field);
      await shadowClick(page, `.picker button.field[data-field="${field}"]`);
      await waitForTeach((s) => s.columns?.find((c) => c.label === label)?.field === field);
    }
    await shadowClick(page, '.card button.primary', { text: 'Save for this site' });
    await waitForTeach((s) => !s.active && s.saved === true);

    const index = 7;
    const shown = await shownValues(index);
    const present = TAUGHT.filter(({ label }) => shown[label]);
    expect(present.length).toBeGreaterThan(0);
    await openPanelFromRow(page, page.locator('.feed-line').nth(index).locator('.feed-val').first());
    expect(await shadowQueryAll(page, '.unmapped.none-mapped')).toEqual([]);
    const argv = echoedArgv(await runAction(page, ECHO_ROW));
    for (const { label, flag } of present) expect(argAfter(argv, flag), label).toBe(shown[label]);
    await closePanel(page);
  });

  it('reads the taught grid in a page loaded afterwards, from the selectors saved for the site', async () => {
    // The per-site selectors' adapter is a part of the content script loaded only where there are some.
    const fresh = await stack.openConsole('/custom-grid.html', '.feed-line');
    try {
      const index = 4;
      const shown = await fresh.evaluate((index) => {
        const labels = [...document.querySelectorAll('.feed-hcell .feed-hlabel')].map(
          (el) => el.textContent ?? '',
        );
        const line = document.querySelectorAll('.feed-line')[index]!;
        return Object.fromEntries(labels.map((label, i) => [label, line.children[i]?.textContent ?? '']));
      }, index);
      const present = TAUGHT.filter(({ label }) => shown[label]);
      expect(present.length).toBeGreaterThan(0);
      await expect
        .poll(async () => {
          await fresh.mouse.move(1, 1);
          await fresh.locator('.feed-line').nth(index).locator('.feed-val').first().hover();
          return (await shadowQueryAll(fresh, '.row-button[data-shown]')).length;
        })
        .toBe(1);
      const opened = await openPanelFromRow(
        fresh,
        fresh.locator('.feed-line').nth(index).locator('.feed-val').first(),
      );
      expect(opened.step).not.toBe('notice');
      const argv = echoedArgv(await runAction(fresh, ECHO_ROW));
      for (const { label, flag } of present) expect(argAfter(argv, flag), label).toBe(shown[label]);
    } finally {
      await fresh.close();
    }
  });

  it('shows what was taught in the options page, where it can be edited', async () => {
    const options = await stack.browser.context.newPage();
    await options.goto(`chrome-extension://${stack.browser.extensionId}/src/options/index.html`);
    const selectors = JSON.parse(await options.locator('#grid-selectors').inputValue()) as Array<
      Record<string, unknown>
    >;
    expect(selectors).toEqual([
      expect.objectContaining({
        origin: stack.console.url,
        root: '.feed',
        row: '.feed-line',
        cell: '.feed-val',
        columnKey: { headerCell: '.feed-hcell' },
      }),
    ]);
    const mapping = options.locator('section[aria-labelledby="fields-title"] fieldset', {
      hasText: stack.console.url,
    });
    for (const { label, field } of TAUGHT) {
      await expect
        .poll(() => mapping.locator('tbody tr', { hasText: label }).first().textContent())
        .toContain(field);
    }

    // The toolbar popup's "Teach Gridside this grid" (its request, from the popup page) starts teach
    // mode in the console tab; Escape leaves it.
    await options.close();
    const worker = await stack.browser.worker();
    const tabId = await consoleTabId(worker);
    const popup = await stack.browser.context.newPage();
    await popup.goto(`chrome-extension://${stack.browser.extensionId}/src/popup/index.html`);
    const reply = await popup.evaluate(
      (tabId) => chrome.runtime.sendMessage({ type: 'teach.open', tabId }),
      tabId,
    );
    expect(reply).toEqual({ ok: true, data: { opened: true } });
    await popup.close();
    await page.bringToFront();
    await waitForTeach((s) => s.active && s.phase === 'look');
    await page.keyboard.press('Escape');
    expect(await waitForTeach((s) => !s.active)).toEqual({ active: false, saved: false });
  });
});

describe('Teach mode on a grid Gridside already reads', () => {
  it('shows ag-Grid’s columns with their fields, and a header click picks a field instead of sorting', async () => {
    const grid = await stack.openConsole('/analyzer.html#logs', '#logs-grid .ag-row[row-index]');
    await grid.waitForFunction(() => 'gridApi' in window);
    const sorted = () =>
      grid.evaluate(
        () =>
          // biome-ignore lint/suspicious/noExplicitAny: the demo console exposes its ag-Grid API for tests
          (window as any).gridApi.logs.getColumnState().filter((c: { sort: unknown }) => c.sort).length,
      );
    expect(await sorted()).toBe(0);

    const worker = await stack.browser.worker();
    const tabId = await consoleTabId(worker, '/analyzer.html');
    const popup = await stack.browser.context.newPage();
    await popup.goto(`chrome-extension://${stack.browser.extensionId}/src/popup/index.html`);
    const reply = await popup.evaluate(
      (tabId) => chrome.runtime.sendMessage({ type: 'teach.open', tabId }),
      tabId,
    );
    expect(reply).toEqual({ ok: true, data: { opened: true } });
    await popup.close();
    await grid.bringToFront();

    const state = await waitForTeach((s) => s.active && s.phase === 'look', 15_000, grid);
    expect(state.source).toBe('built-in');
    expect(state.columns).toContainEqual({ label: 'IP Address (Origin)', field: 'SIP' });
    expect(state.columns).toContainEqual({ label: 'Host (Origin)', field: 'SHostName' });

    const header = grid.locator('#logs-grid .ag-header-cell[col-id="Priority"]').first();
    const box = (await header.boundingBox())!;
    await grid.mouse.click(box.x + box.width / 2, box.y + box.height / 2);
    await waitForTeach((s) => s.picker === 'Priority', 15_000, grid);
    expect(await sorted()).toBe(0);
    await grid.keyboard.press('Escape'); // closes the field list
    await waitForTeach((s) => s.active && s.picker === null, 15_000, grid);
    await grid.keyboard.press('Escape'); // leaves teach mode
    expect(await waitForTeach((s) => !s.active, 15_000, grid)).toEqual({ active: false, saved: false });
    // Out of teach mode the same click is the grid's again: it sorts.
    await grid.mouse.click(box.x + box.width / 2, box.y + box.height / 2);
    await expect.poll(sorted).toBe(1);
    await grid.close();
  });
});
