import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Stack, startStack } from '../support/e2e-stack.ts';
import { shadowFocus } from '../support/shadow-dom.ts';
import {
  chooseMenuItem,
  closePanel,
  ECHO_ROW,
  echoedArgv,
  openPanelFromRow,
  type PanelSummary,
  panelState,
  panelText,
  panelTitle,
  runAction,
  shadowBox,
  waitForPanelState,
} from './analyst.ts';
import {
  type GridScroll,
  LIBRARIES,
  type RowPoint,
  type ShownRow,
  SWITCHES,
  scrollGridTo,
  shownMismatches,
  shownRowAt,
} from './library-rows.ts';

/**
 * Gridside on real grid libraries it was not written against (demo/grids/README.md): SlickGrid, Tabulator,
 * Elastic EUI, MUI X DataGrid and TanStack Table, with only the site enabled. At the top, after a small scroll, after a far
 * scroll, after a small scroll back up (where recycled rows leave DOM order unlike screen order), scrolled
 * to the right and back (where grids that draw only the columns in view start rows at a later column, or
 * add cells back out of column order), the test reads what the grid SHOWS for the row at a point through the library's own API, runs the echo-row
 * plugin from that row by hover button, context menu or Alt+Shift+R, and checks the plugin received
 * exactly those values.
 */

let stack: Stack;

type Way = 'hover' | 'context menu' | 'keyboard';

interface Position {
  name: string;
  /** Scroll step from where the previous position left the grid. */
  scroll: GridScroll;
  /** The row the analyst acts on: column to point at, rows below the header. */
  at: RowPoint;
  ways: Way[];
  /** MUI X's MIT edition pages at 100 rows: a far position there is on a far page first. */
  page?: number;
}

const POSITIONS: readonly Position[] = [
  {
    name: 'at the top',
    scroll: { fraction: 0 },
    at: { field: 'MessageClass', visualRow: 2 },
    ways: ['hover', 'keyboard'],
  },
  {
    name: 'after a small scroll',
    scroll: { byRows: 9 },
    at: { field: 'MessageClass', visualRow: 3 },
    ways: ['hover', 'context menu'],
  },
  {
    name: 'after a far scroll',
    scroll: { fraction: 0.6 },
    // Log Date is frozen on SlickGrid (a separate left canvas) and Tabulator: the analyst points there.
    at: { field: 'LogDate', visualRow: 4 },
    ways: ['hover', 'keyboard'],
    page: 30,
  },
  {
    name: 'after a small scroll back up',
    scroll: { byRows: -6 },
    at: { field: 'MessageClass', visualRow: 1 },
    ways: ['hover', 'context menu'],
  },
  {
    // Grids that draw only the columns in view (EUI, MUI X) start each row at a later column here.
    name: 'scrolled to the right',
    scroll: { left: 600 },
    at: { field: 'DHostName', visualRow: 2 },
    ways: ['hover', 'keyboard'],
  },
  {
    // EUI adds the first columns' cells back after the others: DOM order is not column order.
    name: 'scrolled back to the left',
    scroll: { left: 0 },
    at: { field: 'MessageClass', visualRow: 2 },
    ways: ['hover', 'context menu'],
  },
];

beforeAll(async () => {
  // The pages show the first 5,000 logs.
  stack = await startStack({ logs: 5_000, alarms: 20 });
});

afterAll(async () => {
  await stack?.stop();
});

function panelReady(page: Page, timeoutMs = 15_000): Promise<PanelSummary> {
  return waitForPanelState<PanelSummary>(
    page,
    (s) => s.open && s.catalog !== 'loading' && s.catalog !== 'idle',
    timeoutMs,
  );
}

/** What the page has at the centre of a Gridside control: null when the control is on top. */
async function pageElementOver(page: Page, selector: string): Promise<string | null> {
  const box = await shadowBox(page, selector);
  if (!box) return null;
  return page.evaluate(
    ({ x, y }) => {
      const el = document.elementFromPoint(x, y);
      if (!el || el.matches('[data-gridside]')) return null;
      return `<${el.tagName.toLowerCase()} class="${el.getAttribute('class') ?? ''}" role="${el.getAttribute('role')}">`;
    },
    { x: (box.left + box.right) / 2, y: (box.top + box.bottom) / 2 },
  );
}

async function whatCoversTheButton(page: Page): Promise<string> {
  if (!(await shadowBox(page, '.row-button[data-shown]'))) return 'no row button was shown';
  const over = await pageElementOver(page, '.row-button[data-shown]');
  return over ? `the page's ${over} is drawn over the row button` : 'the row button was on top';
}

/**
 * Closes the panel with its close button, as the analyst does; when the page covers that button, by
 * moving focus onto it and pressing Enter, and says so.
 */
async function leavePanel(page: Page, where: string): Promise<string[]> {
  if (!(await panelState<PanelSummary>(page))?.open) return [];
  const over = await pageElementOver(page, 'header button.icon');
  if (!over) {
    await closePanel(page);
    return [];
  }
  await shadowFocus(page, 'header button.icon');
  await page.keyboard.press('Enter');
  await waitForPanelState<PanelSummary>(page, (s) => !s.open, 10_000);
  return [`${where}: the page's ${over} is drawn over the panel's close button`];
}

/** Opens the panel for the row, the analyst's way: hover button, right-click menu, or focus + Alt+Shift+R. */
async function openPanel(page: Page, way: Way, shown: ShownRow, where: string): Promise<void> {
  const cell = page.locator(shown.cellSelector);
  if (way === 'hover') {
    // One hover, once the grid has settled after its scroll (scrollGridTo): the button must work the first
    // time. (Hovering while EUI still redrew its rows for the scroll lost the button with the row.)
    await openPanelFromRow(page, cell).catch(async (error) => {
      throw new Error(`hover: no panel opened; ${await whatCoversTheButton(page)}`, { cause: error });
    });
    return;
  }
  if (way === 'context menu') {
    // Chrome's own menu cannot be clicked by automation: the right-click is real, the menu item's click is
    // the worker's own handler (demo build hook), as in context-menu.e2e.ts.
    const box = await cell.boundingBox();
    if (!box) throw new Error(`the cell is not on screen (${where})`);
    await page.mouse.click(box.x + Math.min(box.width / 2, 30), box.y + box.height / 2, { button: 'right' });
    await page.keyboard.press('Escape');
    await chooseMenuItem(stack.browser, stack.console.url);
    await panelReady(page);
    return;
  }
  // Keyboard: the analyst clicks a cell (each library moves its focus or active cell there), then presses
  // the command key. The panel must open for the row the grid shows as focused.
  const box = await cell.boundingBox();
  if (!box) throw new Error(`the cell is not on screen (${where})`);
  await page.mouse.click(box.x + Math.min(box.width / 2, 30), box.y + box.height / 2);
  await page.keyboard.press('Alt+Shift+R');
  await panelReady(page, 10_000).catch(async () => {
    const focus = await page.evaluate(() => {
      const el = document.activeElement;
      return el
        ? `<${el.tagName.toLowerCase()} class="${el.className}" role="${el.getAttribute('role')}">`
        : 'none';
    });
    throw new Error(`Alt+Shift+R opened no panel; the page's focused element is ${focus}`);
  });
}

for (const { library, name, ready, api } of LIBRARIES) {
  describe(`${name} (/grids/${library}.html)`, () => {
    let page: Page;

    beforeAll(async () => {
      page = await stack.openConsole(`/grids/${library}.html`, ready);
      await page.waitForFunction((api) => api in window, api, { timeout: 30_000 });
    });

    afterAll(async () => {
      await page?.close();
    });

    // A grid whose arrow keys start from the cell that has focus. SlickGrid and Tabulator keep focus on an
    // element of their own and move from the cell last clicked; EUI takes a cell's focus as its own only
    // once the cell has rendered twice (its listener is attached from a ref read while rendering).
    if (library === 'mui')
      it('gives the keyboard back to the row when a panel opened with the mouse closes', async () => {
        await scrollGridTo(page, { fraction: 0 });
        const shown = await shownRowAt(page, library, { field: 'MessageClass', visualRow: 2 });
        const row = await page
          .locator(shown.cellSelector)
          .evaluate((el) => Number(el.closest('[role="row"]')?.getAttribute('aria-rowindex')));
        await openPanelFromRow(page, page.locator(shown.cellSelector));
        await closePanel(page);
        const focusedRow = () =>
          page.evaluate(() =>
            Number(document.activeElement?.closest('[role="row"]')?.getAttribute('aria-rowindex')),
          );
        expect(await focusedRow(), 'the focused element is in the row the panel was about').toBe(row);
        await page.keyboard.press('ArrowDown');
        expect(await focusedRow(), 'the grid moved its focus down a row').toBe(row + 1);
      });

    for (const position of POSITIONS) {
      it(`sends the values the grid shows ${position.name}, by ${position.ways.join(' and ')}`, async () => {
        if (library === 'mui' && position.page !== undefined) {
          await page.evaluate((pageIndex) => {
            // biome-ignore lint/suspicious/noExplicitAny: MUI's apiRef, exposed by the page for tests
            (window as any).logGridApi.setPage(pageIndex);
          }, position.page);
          await page.waitForSelector(`[role=row][data-id="${position.page * 100}"]`);
        }
        await scrollGridTo(page, position.scroll);
        const problems: string[] = [];
        for (const way of position.ways) {
          const shown = await shownRowAt(page, library, position.at);
          const where = `${name}, ${position.name}, by ${way}, ${shown.row}`;
          const mapped = shown.cells.filter((cell) => SWITCHES[cell.field] && cell.text !== '');
          expect(mapped.length, `${where}: the row shows values for the plugin`).toBeGreaterThan(0);
          if (library === 'slickgrid' && position.name.includes('back up'))
            expect(shown.domOrderDiffers, `${where}: recycled rows out of screen order`).toBe(true);
          // Each way is tried even when another failed, so one run names every gap at this position.
          try {
            await openPanel(page, way, shown, where);
            // The panel names the row by its Log ID: proof that Gridside read the whole row, including a
            // part drawn in another container (SlickGrid's frozen canvas) than the one the analyst is on.
            const logId = shown.cells.find((cell) => cell.field === 'LogId')?.text;
            const title = await panelTitle(page);
            if (logId && title !== `Log ${logId}`)
              problems.push(`${where}: the panel is titled "${title}", the row's Log ID is ${logId}`);
            const state = await runAction(page, ECHO_ROW);
            if (state.status !== 'succeeded')
              problems.push(`${where}: the run did not succeed (${state.status}): ${await panelText(page)}`);
            else problems.push(...shownMismatches(shown, echoedArgv(state), where));
          } catch (error) {
            problems.push(`${where}: ${error instanceof Error ? error.message : String(error)}`);
          }
          problems.push(...(await leavePanel(page, where)));
        }
        expect(problems).toEqual([]);
      }, 180_000);
    }
  });
}
