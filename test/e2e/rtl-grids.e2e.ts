import type { Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type Stack, startStack } from '../support/e2e-stack.ts';
import {
  argAfter,
  closePanel,
  ECHO_ROW,
  echoedArgv,
  type PanelSummary,
  panelState,
  panelTitle,
  runAction,
  shadowBox,
  shadowClick,
  shadowWaitFor,
  waitForPanelState,
} from './analyst.ts';

/**
 * The row button on a right-to-left console (test/e2e/pages/rtl.html: `dir="rtl"`, the real ag-Grid 36 in
 * its `enableRtl` mode and a plain table). A row's end is its left side there, and its first column, the
 * Log ID, is set against its right edge: the button must sit at the left end, clear of the Log ID's text
 * and of the grid's scrollbar, and widen to the right (into the row) when pointed at.
 */

let stack: Stack;
let page: Page;

beforeAll(async () => {
  stack = await startStack({ logs: 50, alarms: 5 });
  page = await stack.openConsole('/test-pages/rtl.html', 'body[data-ready] #grid .ag-row[row-index="3"]');
});

afterAll(async () => {
  await stack?.stop();
});

afterEach(async () => {
  if ((await panelState<PanelSummary>(page))?.open) await closePanel(page).catch(() => undefined);
  await page.mouse.move(1, 1);
});

interface Box {
  left: number;
  right: number;
  top: number;
  bottom: number;
}

/** The box of the text a cell shows (not the cell's own box): what the analyst reads. */
function textBox(cell: string): Promise<Box> {
  return page.evaluate((cell) => {
    const el = document.querySelector(cell)!;
    const range = document.createRange();
    range.selectNodeContents(el);
    const { left, right, top, bottom } = range.getBoundingClientRect();
    return { left, right, top, bottom };
  }, cell);
}

function elementBox(selector: string): Promise<Box> {
  return page.evaluate((selector) => {
    const { left, right, top, bottom } = document.querySelector(selector)!.getBoundingClientRect();
    return { left, right, top, bottom };
  }, selector);
}

const overlaps = (a: Box, b: Box) =>
  a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom;

const GRIDS = [
  {
    name: 'ag-Grid 36 with enableRtl',
    row: '#grid .ag-row[row-index="4"]',
    pointAt: '#grid .ag-row[row-index="4"] [col-id="MessageClass"]',
    firstCell: '#grid .ag-row[row-index="4"] [col-id="LogId"]',
    lastCell: '#grid .ag-row[row-index="4"] [col-id="Login"]',
    // The row's visible part: the grid's own box (its rows can be wider); its scrollbar is at the left.
    visible: '#grid .ag-root-wrapper',
    scrollbar: '#grid .ag-body-vertical-scroll',
    logId: '7700104',
  },
  {
    name: 'a plain table in a dir="rtl" page',
    row: '#table tbody tr:nth-child(3)',
    pointAt: '#table tbody tr:nth-child(3) td:nth-child(4)',
    firstCell: '#table tbody tr:nth-child(3) td:nth-child(1)',
    lastCell: '#table tbody tr:nth-child(3) td:nth-child(5)',
    visible: '#table tbody tr:nth-child(3)',
    scrollbar: null,
    logId: '7700102',
  },
] as const;

describe('A right-to-left console', () => {
  for (const grid of GRIDS) {
    it(`puts the row button at the row's end, its left side, in ${grid.name}`, async () => {
      await page.mouse.move(1, 1);
      await page.locator(grid.pointAt).hover();
      await shadowWaitFor(page, '.row-button[data-shown]');
      // Placed in the pointer event and confirmed after the frame's layout: let that frame pass.
      await page.evaluate(
        () => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))),
      );
      const button = (await shadowBox(page, '.row-button[data-shown]'))!;
      const row = await elementBox(grid.row);
      const visible = await elementBox(grid.visible);
      const firstText = await textBox(grid.firstCell);
      const lastText = await textBox(grid.lastCell);
      const where = `button ${JSON.stringify(button)}, row ${JSON.stringify(row)}, Log ID text ${JSON.stringify(firstText)}`;

      expect(button.top >= row.top - 1 && button.bottom <= row.bottom + 1, `on the row: ${where}`).toBe(true);
      expect(overlaps(button, firstText), `clear of the first column's value: ${where}`).toBe(false);
      expect(overlaps(button, lastText), `clear of the last column's value: ${where}`).toBe(false);
      if (grid.scrollbar) {
        const scrollbar = await elementBox(grid.scrollbar);
        expect(
          scrollbar.right - scrollbar.left,
          'the grid scrolls, its scrollbar at the left',
        ).toBeGreaterThan(0);
        expect(scrollbar.right, 'the scrollbar is at the left').toBeLessThan(visible.left + 40);
        expect(
          overlaps(button, scrollbar),
          `clear of the grid's scrollbar ${JSON.stringify(scrollbar)}: ${where}`,
        ).toBe(false);
      }
      // At the row's end: its left side, within the gap and the scrollbar's gutter of the visible edge.
      expect(button.left, `at the row's left end: ${where}`).toBeGreaterThanOrEqual(visible.left);
      expect(button.left, `at the row's left end: ${where}`).toBeLessThanOrEqual(visible.left + 30);

      // Pointed at, it widens into the row (to the right) from the edge it keeps.
      await page.mouse.move((button.left + button.right) / 2, (button.top + button.bottom) / 2);
      await page.waitForTimeout(100);
      const wide = (await shadowBox(page, '.row-button[data-shown]'))!;
      expect(Math.abs(wide.left - button.left), `keeps its left edge: ${JSON.stringify(wide)}`).toBeLessThan(
        1,
      );
      expect(wide.right - wide.left, `widened to say its name: ${JSON.stringify(wide)}`).toBeGreaterThan(60);

      // And it runs the row it is on.
      await shadowClick(page, '.row-button[data-shown]');
      await waitForPanelState<PanelSummary>(page, (s) => s.open && s.catalog === 'ready');
      expect(await panelTitle(page)).toContain(grid.logId);
    });

    it(`opens the panel at the row's end, under the button, in ${grid.name}`, async () => {
      // A window tall enough for the whole panel below the row: it is placed there, not beside the grid.
      const before = page.viewportSize()!;
      await page.setViewportSize({ width: before.width, height: 1100 });
      try {
        await page.mouse.move(1, 1);
        await page.locator(grid.pointAt).hover();
        await shadowClick(page, '.row-button[data-shown]');
        await waitForPanelState<PanelSummary>(page, (s) => s.open && s.catalog === 'ready');
        await page.mouse.move(1, 1);
        // Read once it is still: it rises a few pixels into place as it opens.
        let panel = (await shadowBox(page, 'section.panel'))!;
        for (let last = ''; JSON.stringify(panel) !== last; await page.waitForTimeout(50)) {
          last = JSON.stringify(panel);
          panel = (await shadowBox(page, 'section.panel'))!;
        }
        const row = await elementBox(grid.row);
        const visible = await elementBox(grid.visible);
        const where = `panel ${JSON.stringify(panel)}, row ${JSON.stringify(row)}, visible ${JSON.stringify(visible)}`;
        expect(Math.abs(panel.top - (row.bottom + 4)), `just below the row: ${where}`).toBeLessThanOrEqual(2);
        // Its left edge at the row's visible left end (the window's margin at least), where the button is.
        expect(
          Math.abs(panel.left - Math.max(8, visible.left)),
          `at the row's left end: ${where}`,
        ).toBeLessThanOrEqual(2);
      } finally {
        await page.setViewportSize(before);
      }
    });
  }

  it("runs a row of the RTL ag-Grid with the values it shows, and pins it at the row's end", async () => {
    await page.mouse.move(1, 1);
    await page.locator('#grid .ag-row[row-index="6"] [col-id="MessageClass"]').hover();
    await shadowClick(page, '.row-button[data-shown]');
    await waitForPanelState<PanelSummary>(page, (s) => s.open && s.catalog === 'ready');
    const argv = echoedArgv(await runAction(page, ECHO_ROW));
    expect(argAfter(argv, '-sip')).toBe('10.9.0.17');
    expect(argAfter(argv, '-dhost')).toBe('srv-06.corp.example');
    expect(argAfter(argv, '-login')).toBe('user6');

    // Pinned, its mark sits beside the run button's room at the row's end (its left side), clear of the
    // Log ID at its start.
    await shadowClick(page, 'button.pin', { text: 'Pin to row' });
    await shadowWaitFor(page, '.pinned', { text: 'Pinned' });
    await closePanel(page);
    await page.mouse.move(1, 1);
    await shadowWaitFor(page, '.pin-marker[data-shown]', { timeoutMs: 20_000 });
    const marker = (await shadowBox(page, '.pin-marker[data-shown]'))!;
    const row = await elementBox('#grid .ag-row[row-index="6"]');
    const grid = await elementBox('#grid .ag-root-wrapper');
    const firstText = await textBox('#grid .ag-row[row-index="6"] [col-id="LogId"]');
    const where = `mark ${JSON.stringify(marker)}, row ${JSON.stringify(row)}, Log ID text ${JSON.stringify(firstText)}`;
    const middle = (marker.top + marker.bottom) / 2;
    expect(middle > row.top && middle < row.bottom, `beside this row: ${where}`).toBe(true);
    expect(overlaps(marker, firstText), `clear of the first column's value: ${where}`).toBe(false);
    // After the gutter, the gap and the round run button: 18 + 34 px from the row's visible left end.
    expect(marker.left, `beside the run button's room at the left end: ${where}`).toBeGreaterThanOrEqual(
      grid.left + 50,
    );
    expect(marker.left, `beside the run button's room at the left end: ${where}`).toBeLessThanOrEqual(
      grid.left + 60,
    );
  });
});
