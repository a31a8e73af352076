import type { Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type Stack, startStack } from '../support/e2e-stack.ts';
import { shadowHitTest } from '../support/shadow-dom.ts';
import {
  argAfter,
  closePanel,
  ECHO_ROW,
  echoedArgv,
  type PanelSummary,
  panelState,
  runAction,
  shadowClick,
  shadowWaitFor,
  waitForPanelState,
} from './analyst.ts';

/**
 * Gridside's UI on a page that tries hard to cover it (test/e2e/pages/layers.html): a transform on <html>,
 * stacking contexts around the grid, cells, a sticky header and a full-window veil at the maximum z-index,
 * `pointer-events` tricks, the page's own modal <dialog>, and fullscreen. Every button the analyst uses
 * must be what the browser hits at its own centre, and a run must complete through real clicks.
 */

let stack: Stack;
let page: Page;

beforeAll(async () => {
  stack = await startStack({ logs: 500, alarms: 20 });
  page = await stack.openConsole('/test-pages/layers.html', 'body[data-ready] #grid .ag-row[row-index="3"]');
});

afterAll(async () => {
  await stack?.stop();
});

// Each test starts from a plain page, whatever the one before left open.
afterEach(async () => {
  if ((await panelState<PanelSummary>(page))?.open) await closePanel(page).catch(() => undefined);
  await page.evaluate(async () => {
    for (const dialog of document.querySelectorAll('dialog')) dialog.close();
    if (document.fullscreenElement) await document.exitFullscreen();
  });
});

/** What the page shows in a row of its ag-Grid, by column id. */
async function shownInGridRow(index: number): Promise<Record<string, string>> {
  return page.evaluate((index) => {
    const values: Record<string, string> = {};
    for (const cell of document.querySelectorAll(`#grid .ag-row[row-index="${index}"] [col-id]`))
      values[cell.getAttribute('col-id')!] = cell.textContent ?? '';
    return values;
  }, index);
}

/** Echo-row switch → the grid's column id; an empty cell sends no argument at all. */
const SWITCH_COLUMNS: Record<string, string> = {
  '-sip': 'SIP',
  '-dip': 'DIP',
  '-shost': 'SHostName',
  '-dhost': 'DHostName',
  '-login': 'Login',
};

function expectEchoed(argv: string[], shown: Record<string, string>): void {
  for (const [flag, column] of Object.entries(SWITCH_COLUMNS))
    expect(argAfter(argv, flag), `${column} (${flag})`).toBe(shown[column] || undefined);
}

/**
 * The element is what the browser hits at its centre, steadily: in four checks a frame apart, over at
 * least a quarter of a second. Right after the page changes its top layer (a dialog opening) Chromium can
 * route the pointer past a just re-shown top-layer element for a frame or two; an analyst's click comes
 * later than that, and this asks for the state an analyst would meet.
 */
async function expectOnTop(selector: string, what: string, text?: string): Promise<void> {
  const deadline = Date.now() + 3_000;
  let steady = 0;
  let since = Date.now();
  for (;;) {
    const { onTop, hit, point } = await shadowHitTest(page, selector, text ? { text } : {});
    if (!onTop) {
      steady = 0;
      since = Date.now();
    } else if (++steady >= 4 && Date.now() - since >= 250) return;
    if (Date.now() > deadline)
      expect(onTop, `${what} at (${point.x}, ${point.y}) is covered by the page's ${hit}`).toBe(true);
    await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(resolve)));
  }
}

/** Hovers the row at `cell`, checks the button is on top, clicks it, checks the panel is on top. */
async function openPanelOnTop(cell: string): Promise<void> {
  await page.mouse.move(1, 1);
  await page.locator(cell).first().hover({ force: true });
  await shadowWaitFor(page, '.row-button[data-shown]');
  await expectOnTop('.row-button[data-shown]', 'the Run SmartResponse button');
  await shadowClick(page, '.row-button[data-shown]');
  await waitForPanelState<PanelSummary>(page, (s) => s.open && s.catalog === 'ready');
  await expectOnTop('header button.icon', "the panel's close button");
  await expectOnTop('input[type="search"]', "the panel's filter box");
}

describe('A console that paints over everything', () => {
  it('keeps the row button and the panel on top, and a run completes through real clicks', async () => {
    const shown = await shownInGridRow(3);
    expect(shown.SIP, 'the row shows an origin IP').toMatch(/\d/);
    await openPanelOnTop('#grid .ag-row[row-index="3"] [col-id="MessageClass"]');
    expectEchoed(echoedArgv(await runAction(page, ECHO_ROW)), shown);
    await closePanel(page);
  });

  it('stays on top and usable when the page opens its modal dialog over an open panel', async () => {
    await openPanelOnTop('#grid .ag-row[row-index="5"] [col-id="LogDate"]');
    await page.evaluate(() => (document.getElementById('related') as HTMLDialogElement).showModal());
    await page.waitForFunction(() => document.querySelector('dialog:modal') !== null);
    await expectOnTop('header button.icon', "the panel's close button over the page's modal dialog");
    await closePanel(page);
    await page.evaluate(() => (document.getElementById('related') as HTMLDialogElement).close());
  });

  it("runs from a row of the grid inside the page's modal dialog", async () => {
    await page.click('#open-related');
    await page.waitForFunction(() => document.querySelector('dialog:modal') !== null);
    const rowIndex = '7';
    const shown = await page.evaluate((rowIndex) => {
      const values: Record<string, string> = {};
      const grid = document.querySelector('.related')!;
      for (const header of grid.querySelectorAll('[role="columnheader"]')) {
        const cell = grid.querySelector(
          `[role="row"][aria-rowindex="${rowIndex}"] [aria-colindex="${header.getAttribute('aria-colindex')}"]`,
        );
        values[header.textContent ?? ''] = cell?.textContent ?? '';
      }
      return values;
    }, rowIndex);
    expect(shown['IP Address (Origin)']).toMatch(/\d/);
    // The cells ignore the pointer (pointer-events: none): the row itself is what the pointer is over.
    await openPanelOnTop(`.related [role="row"][aria-rowindex="${rowIndex}"] [aria-colindex="2"]`);
    const argv = echoedArgv(await runAction(page, ECHO_ROW));
    expect(argAfter(argv, '-sip')).toBe(shown['IP Address (Origin)']);
    expect(argAfter(argv, '-dhost')).toBe(shown['Host (Impacted)'] || undefined);
    expect(argAfter(argv, '-login')).toBe(shown['User (Origin)'] || undefined);
    await closePanel(page);
    await page.click('#close-related');
    await page.waitForFunction(() => document.querySelector('dialog:modal') === null);
  });

  it('stays on top of a fullscreen grid', async () => {
    // Wait for the page's own fullscreenchange handler: the browser fires it once the grid is in the top layer.
    await page.click('#fullscreen');
    await page.waitForFunction(() => document.body.dataset.fullscreen === 'on');
    const shown = await shownInGridRow(2);
    await openPanelOnTop('#grid .ag-row[row-index="2"] [col-id="Login"]');
    expectEchoed(echoedArgv(await runAction(page, ECHO_ROW)), shown);
    await closePanel(page);
    await page.evaluate(() => document.exitFullscreen());
  });
});
