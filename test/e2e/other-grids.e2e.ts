import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Stack, startStack } from '../support/e2e-stack.ts';
import { argAfter, closePanel, ECHO_ROW, echoedArgv, openPanelFromRow, runAction } from './analyst.ts';

/**
 * The same proof as grid-run on the other grids consoles ship: ag-Grid 35 (one row split over pinned
 * containers), a plain HTML table, and a hand-rolled ARIA grid that recycles its row elements. The values
 * the grid SHOWS for a row, looked up by column header, are what the plugin receives.
 */

let stack: Stack;

/** Column header → echo-row switch. */
const SWITCHES: Record<string, string> = {
  'IP Address (Origin)': '-sip',
  'IP Address (Impacted)': '-dip',
  'Host (Origin)': '-shost',
  'Host (Impacted)': '-dhost',
};

beforeAll(async () => {
  stack = await startStack({ logs: 2_000, alarms: 50 });
});

afterAll(async () => {
  await stack?.stop();
});

/** Runs echo-row from the row under `hover`, and checks every shown value of `shown` arrived. */
async function proveEcho(page: Page, hover: Locator, shown: Record<string, string>): Promise<void> {
  const present = Object.entries(shown).filter(([label, value]) => label in SWITCHES && value !== '');
  expect(present.length, `row shows some of ${Object.keys(SWITCHES).join(', ')}`).toBeGreaterThan(0);
  await openPanelFromRow(page, hover);
  const argv = echoedArgv(await runAction(page, ECHO_ROW));
  for (const [label, value] of present) expect(argAfter(argv, SWITCHES[label]!), label).toBe(value);
  await closePanel(page);
}

describe('ag-Grid 35 with pinned columns', () => {
  it('reads the whole row when the analyst hovers a pinned cell', async () => {
    const page = await stack.openConsole('/analyzer-v35.html', '.ag-pinned-left-cols-container .ag-row');
    await page.waitForFunction(() => 'gridApi' in window);
    const index = 4;
    const shown = await page.evaluate((index) => {
      // biome-ignore lint/suspicious/noExplicitAny: the demo console exposes its ag-Grid API for tests
      const api = (window as any).gridApi.logs;
      api.ensureColumnVisible('SIP');
      const values: Record<string, string> = {};
      for (const column of api.getAllDisplayedColumns()) {
        const cell = document.querySelector(`.ag-row[row-index="${index}"] [col-id="${column.getColId()}"]`);
        if (cell) values[column.getColDef().headerName] = cell.textContent ?? '';
      }
      return values;
    }, index);
    const pinned = page.locator(
      `.ag-pinned-left-cols-container .ag-row[row-index="${index}"] [col-id="LogDate"]`,
    );
    await proveEcho(page, pinned, shown);
    await page.close();
  });
});

describe('A plain HTML table', () => {
  it('reads the row by its header cells', async () => {
    const page = await stack.openConsole('/table.html', 'table tbody tr td');
    const { rowNumber, shown } = await page.evaluate(() => {
      const headers = [...document.querySelectorAll('thead tr:last-child th')].map(
        (th) => th.textContent ?? '',
      );
      const rows = [...document.querySelectorAll('tbody tr')];
      // Skip the hour separator rows (one cell spanning the table).
      const dataRows = rows.filter((tr) => tr.children.length === headers.length);
      const row = dataRows[5]!;
      const values: Record<string, string> = {};
      headers.forEach((label, i) => {
        values[label] = row.children[i]?.textContent ?? '';
      });
      return { rowNumber: rows.indexOf(row), shown: values };
    });
    const hover = page.locator('tbody tr').nth(rowNumber).locator('td').first();
    await proveEcho(page, hover, shown);
    await page.close();
  });
});

describe('A hand-rolled ARIA grid that recycles rows', () => {
  it('reads the row the analyst is on after a scroll reused its element', async () => {
    const page = await stack.openConsole('/aria.html', '[role=grid] [role=row][aria-rowindex="3"]');
    // Scroll so the pool's elements are rebound to other rows, then read a row by aria positions.
    await page.evaluate(() => {
      const grid = document.querySelector('[role=grid]') as HTMLElement;
      grid.scrollTop = 26 * 1_200;
    });
    await page.waitForSelector('[role=grid] [role=row][aria-rowindex="1205"]');
    const rowIndex = '1205';
    const shown = await page.evaluate((rowIndex) => {
      const grid = document.querySelector('[role=grid]')!;
      const row = grid.querySelector(`[role=row][aria-rowindex="${rowIndex}"]`)!;
      const values: Record<string, string> = {};
      for (const header of grid.querySelectorAll('[role=columnheader]')) {
        const col = header.getAttribute('aria-colindex');
        const cell = row.querySelector(`[aria-colindex="${col}"]`);
        if (cell) values[header.textContent ?? ''] = cell.textContent ?? '';
      }
      return values;
    }, rowIndex);
    const hover = page.locator(`[role=grid] [role=row][aria-rowindex="${rowIndex}"] [role=gridcell]`).first();
    await proveEcho(page, hover, shown);
    await page.close();
  });
});
