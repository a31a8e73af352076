import type { Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type Stack, startStack } from '../support/e2e-stack.ts';
import { shadowHitTest, shadowQueryAll, shadowScrollTop } from '../support/shadow-dom.ts';
import {
  argAfter,
  closePanel,
  ECHO_ROW,
  echoedArgv,
  openPanelFromRow,
  type PanelSummary,
  panelState,
  runAction,
  shadowBox,
  shadowClick,
  shadowText,
  shadowWaitFor,
  waitForPanelState,
} from './analyst.ts';

/**
 * A grid inside a script-driven modal dialog, on three real focus traps: MUI's `Dialog` holding an MUI X
 * DataGrid (/grids/mui-dialog.html, MUI's own FocusTrap), Elastic EUI's `EuiModal` holding an EuiDataGrid
 * (/grids/eui-modal.html, react-focus-lock, which Chakra UI uses too) and a Radix UI `Dialog` holding a
 * plain table (/grids/radix-dialog.html, as shadcn/ui draws one; it also closes on a press outside its
 * content and on Escape heard anywhere in the document). Each trap pulls focus back inside its dialog
 * whenever it lands elsewhere, so a panel drawn outside the dialog could be seen but not typed into or
 * tabbed through. The analyst opens the panel on a row of that grid, types into the
 * panel's filter, tabs through it and runs from the keyboard; the text stays, focus stays, the run starts,
 * and the plugin gets the values the row shows.
 */

let stack: Stack;
let page: Page;

/** Echo-row switch → the grid's column id. */
const SWITCH_FIELDS: Record<string, string> = {
  '-sip': 'SIP',
  '-dip': 'DIP',
  '-shost': 'SHostName',
  '-dhost': 'DHostName',
  '-login': 'Login',
};

const ARIA_MODAL = '[role="dialog"][aria-modal="true"]';

interface ModalPage {
  name: string;
  path: string;
  /** The dialog's element. */
  dialog: string;
  /** The box the grid shows its rows in (a row's visible end is at its right edge). */
  grid: string;
  /** A row of the dialog's grid, by its index. */
  row(index: number): string;
  /** A cell of that row, by column id. */
  cell(index: number, field: string): string;
}

const PAGES: readonly ModalPage[] = [
  {
    name: 'an MUI modal Dialog (MUI X DataGrid)',
    path: '/grids/mui-dialog.html',
    dialog: ARIA_MODAL,
    grid: `${ARIA_MODAL} [role="grid"]`,
    row: (index) => `${ARIA_MODAL} [role="row"][data-id="${index}"]`,
    cell: (index, field) => `${ARIA_MODAL} [role="row"][data-id="${index}"] [data-field="${field}"]`,
  },
  {
    name: 'an Elastic EUI EuiModal (EuiDataGrid, react-focus-lock)',
    path: '/grids/eui-modal.html',
    dialog: ARIA_MODAL,
    grid: `${ARIA_MODAL} [role="grid"]`,
    row: (index) => `${ARIA_MODAL} [role="row"][data-grid-row-index="${index}"]`,
    cell: (index, field) =>
      `${ARIA_MODAL} [role="gridcell"][data-gridcell-row-index="${index}"][data-gridcell-column-id="${field}"]`,
  },
  {
    // Radix marks no aria-modal: its content is a role="dialog" alone.
    name: 'a Radix UI Dialog (a data table, as shadcn/ui draws one)',
    path: '/grids/radix-dialog.html',
    dialog: '[role="dialog"]',
    grid: '[role="dialog"] .data-table',
    row: (index) => `[role="dialog"] tr[data-row-index="${index}"]`,
    cell: (index, field) => `[role="dialog"] tr[data-row-index="${index}"] td[data-column-id="${field}"]`,
  },
];

/** The page the tests in progress are on (the shared clean-up closes its dialog). */
let current: ModalPage;

beforeAll(async () => {
  stack = await startStack({ logs: 500, alarms: 20 });
});

afterAll(async () => {
  await stack?.stop();
});

afterEach(async () => {
  if ((await panelState<PanelSummary>(page))?.open) await closePanel(page).catch(() => undefined);
  if ((await shadowQueryAll(page, '.pins-view')).length > 0)
    await shadowClick(page, '.pins-view header button.icon').catch(() => undefined);
  if (await page.locator(current.dialog).count()) {
    await page.locator('#close-related').evaluate((button) => (button as HTMLElement).click());
    await page.waitForSelector(current.dialog, { state: 'detached' });
  }
});

async function openDialog(modal: ModalPage): Promise<void> {
  await page.click('#open-related');
  await page.waitForSelector(modal.cell(4, 'SIP'));
  // The opening transitions: act on the dialog once it is drawn where it stays.
  await page.waitForFunction(() => document.getAnimations().every((a) => a.playState !== 'running'));
}

/** What the dialog's grid shows in a row, for the columns the plugin takes ('' where no cell is drawn). */
function shownInRow(modal: ModalPage, index: number): Promise<Record<string, string>> {
  const cells = Object.fromEntries(
    Object.values(SWITCH_FIELDS).map((field) => [field, modal.cell(index, field)]),
  );
  return page.evaluate((cells) => {
    const values: Record<string, string> = {};
    for (const [field, selector] of Object.entries(cells)) {
      const cell = document.querySelector(selector);
      values[field] = (cell?.querySelector('[data-datagrid-cellcontent]') ?? cell)?.textContent ?? '';
    }
    return values;
  }, cells);
}

/** Whether keyboard focus is in Gridside's UI (its host is what the page sees focused). */
function focusInGridside(): Promise<boolean> {
  return page.evaluate(() => document.activeElement?.matches('[data-gridside]') === true);
}

/**
 * The panel is beside the row (placement.ts): just below it or just above it, its right edge at the row's
 * visible end (the grid's right edge, less its scrollbar). Asked once the pointer is off the panel, which
 * keeps its height while the pointer is on it.
 */
async function expectBesideRow(modal: ModalPage, index: number): Promise<void> {
  await page.mouse.move(1, 1);
  await page.evaluate(
    () => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))),
  );
  const row = await page.locator(modal.row(index)).boundingBox();
  const grid = await page.locator(modal.grid).boundingBox();
  const panel = await shadowBox(page, 'section.panel');
  expect(row && grid, 'the row is on screen').toBeTruthy();
  expect(panel, 'the panel is drawn').toBeTruthy();
  if (!row || !grid || !panel) return;
  const where = `panel ${JSON.stringify(panel)}, row ${JSON.stringify(row)}, grid ${JSON.stringify(grid)}`;
  const below = Math.abs(panel.top - (row.y + row.height + 4)) <= 2;
  const above = Math.abs(panel.bottom - (row.y - 4)) <= 2;
  expect(below || above, `just below or above the row: ${where}`).toBe(true);
  expect(panel.right, `at the row's visible end: ${where}`).toBeLessThanOrEqual(grid.x + grid.width);
  expect(panel.right, `at the row's visible end: ${where}`).toBeGreaterThan(grid.x + grid.width - 40);
}

for (const modal of PAGES) {
  describe(`A grid inside ${modal.name}`, () => {
    beforeAll(async () => {
      current = modal;
      page = await stack.openConsole(modal.path, '#open-related');
    });

    afterAll(async () => {
      await page?.close();
    });

    it('takes the analyst’s typing and Tab in the panel, runs from the keyboard, and takes a note on the pin', async () => {
      await openDialog(modal);
      const shown = await shownInRow(modal, 4);
      expect(shown.SIP, 'the row shows an origin IP').toMatch(/\d/);
      await openPanelFromRow(page, page.locator(modal.cell(4, 'MessageClass')));
      await waitForPanelState<PanelSummary>(page, (s) => s.open && s.catalog === 'ready');

      // Typing into the filter: the text stays there and narrows the catalog.
      await shadowClick(page, 'input[type="search"]');
      await page.keyboard.type('Echo Row');
      await page.waitForTimeout(300); // a focus trap acts on focusin, and some check again on a timer
      expect(await focusInGridside(), 'focus stays in the panel after typing').toBe(true);
      const actions = await shadowText(page, 'button.action');
      expect(actions.length, 'the filter narrowed the catalog').toBeGreaterThan(0);
      expect(
        actions.every((text) => text.includes(ECHO_ROW)),
        `catalog after typing: ${actions.join(' | ')}`,
      ).toBe(true);

      // Tab moves on inside the panel rather than being pulled back into the dialog.
      await page.keyboard.press('Tab');
      await page.waitForTimeout(300);
      expect(await focusInGridside(), 'focus stays in the panel after Tab').toBe(true);

      // The panel is what the browser hits, and sits beside the row it is about.
      const { onTop, hit } = await shadowHitTest(page, 'header button.icon');
      expect(onTop, `the panel's close button is covered by the page's ${hit}`).toBe(true);
      await expectBesideRow(modal, 4);

      // Enter in the form runs it, and the plugin gets what the row shows.
      const argv = echoedArgv(await runAction(page, ECHO_ROW));
      for (const [flag, field] of Object.entries(SWITCH_FIELDS))
        expect(argAfter(argv, flag), `${field} (${flag})`).toBe(shown[field] || undefined);

      // Pinned, the result is kept beside the row; its pinned-results view, opened from the pin, takes a
      // note from the keyboard like the panel.
      await shadowClick(page, 'button.pin', { text: 'Pin to row' });
      await shadowWaitFor(page, '.pinned', { text: 'Pinned' });
      await closePanel(page);
      await page.mouse.move(1, 1);
      await shadowClick(page, '.pin-marker[data-shown]', { timeoutMs: 20_000 });
      // The view's code loads on this first click, and Gridside's element then moves into the dialog: look
      // inside it once it is there.
      await page.waitForFunction(
        (dialog) => document.querySelector(`${dialog} [data-gridside]`) !== null,
        modal.dialog,
      );
      await shadowClick(page, '.pins-view textarea');
      await page.keyboard.type('Seen in the drill-down');
      await page.waitForTimeout(300);
      expect(await focusInGridside(), 'focus stays in the pinned results').toBe(true);
      await shadowWaitFor(page, '.pins-view button:not(:disabled)', { text: 'Save note', timeoutMs: 3_000 });
      await shadowClick(page, '.pins-view header button.icon');

      // Closed, Gridside leaves the dialog as it was: open, its own field taking typing again.
      expect(await page.locator(modal.dialog).count(), 'the dialog is still open').toBe(1);
      await page.click('#related-note');
      await page.keyboard.type('checked');
      expect(await page.inputValue('#related-note')).toBe('checked');
    });

    it('scrolls the panel with the wheel, and closes it with Escape, leaving the dialog open', async () => {
      await openDialog(modal);
      await openPanelFromRow(page, page.locator(modal.cell(2, 'MessageClass')));
      await waitForPanelState<PanelSummary>(page, (s) => s.open && s.catalog === 'ready');
      // EUI's and Radix's dialogs block the wheel outside themselves (react-remove-scroll): the panel's
      // catalog, taller than the room beside the row, still scrolls under the pointer.
      const body = await shadowBox(page, 'section.panel .body');
      expect(body, 'the panel is drawn').toBeTruthy();
      if (body) await page.mouse.move((body.left + body.right) / 2, (body.top + body.bottom) / 2);
      await page.mouse.wheel(0, 120);
      await expect
        .poll(() => shadowScrollTop(page, 'section.panel .body'), { timeout: 3_000 })
        .toBeGreaterThan(0);
      await shadowClick(page, 'input[type="search"]');
      await page.keyboard.press('Escape');
      await waitForPanelState<PanelSummary>(page, (s) => !s.open);
      await page.waitForTimeout(500);
      expect(await page.locator(modal.dialog).count(), 'the dialog is still open').toBe(1);
    });

    it('opens from the keyboard on the focused row, inside a dialog drawn with a transform', async () => {
      await openDialog(modal);
      // A transform on the dialog makes it the box `position: fixed` is measured from, for what it holds.
      await page.evaluate((dialog) => {
        const element = document.querySelector(dialog) as HTMLElement;
        const own = getComputedStyle(element).transform; // Radix centres its dialog with one already
        element.style.transform = `${own === 'none' ? '' : `${own} `}translate(12px, 8px)`;
      }, modal.dialog);
      await page.locator(modal.cell(6, 'MessageClass')).click();
      await page.keyboard.press('Alt+Shift+R');
      await waitForPanelState<PanelSummary>(page, (s) => s.open && s.catalog === 'ready');
      await page.keyboard.type('Echo');
      await page.waitForTimeout(300);
      expect(await focusInGridside(), 'focus stays in the panel').toBe(true);
      const { onTop, hit } = await shadowHitTest(page, 'input[type="search"]');
      expect(onTop, `the panel's filter box is covered by the page's ${hit}`).toBe(true);
      await expectBesideRow(modal, 6);
    });

    it('keeps the panel usable when the page closes its dialog, and puts its element back after', async () => {
      await openDialog(modal);
      await openPanelFromRow(page, page.locator(modal.cell(3, 'MessageClass')));
      await waitForPanelState<PanelSummary>(page, (s) => s.open && s.catalog === 'ready');
      await page.locator('#close-related').evaluate((button) => (button as HTMLElement).click());
      await page.waitForSelector(modal.dialog, { state: 'detached' });
      // The panel is still drawn, on top, and takes typing.
      await shadowClick(page, 'input[type="search"]');
      await page.keyboard.type('Echo');
      expect(await focusInGridside(), 'focus in the panel after the dialog closed').toBe(true);
      expect((await panelState<PanelSummary>(page))?.open).toBe(true);
      await closePanel(page);
      expect(
        await page.evaluate(
          () => document.querySelector('[data-gridside]')?.parentElement === document.documentElement,
        ),
        "Gridside's element is back at the end of <html>",
      ).toBe(true);
    });
  });
}
