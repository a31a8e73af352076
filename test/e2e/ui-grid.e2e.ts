import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Stack, startStack } from '../support/e2e-stack.ts';
import {
  argAfter,
  chooseMenuItem,
  closePanel,
  ECHO_ROW,
  echoedArgv,
  openPanelFromRow,
  type PanelSummary,
  runAction,
  waitForPanelState,
} from './analyst.ts';

/**
 * An AngularJS console on the real angular-ui-grid (test/e2e/pages/ui-grid.html): nested header elements
 * with the sort priority number, a pinned-left render container holding half of every row with no shared
 * row index, recycled rows. With only the site enabled, the values ui-grid shows for a row reach the
 * plugin, at the top, after a small scroll, far down, and a little way back up, by hover, right-click and
 * the keyboard.
 */

let stack: Stack;
let page: Page;

/** Echo-row switch → the ui-grid column field it must carry. */
const SWITCH_FIELDS: Record<string, string> = {
  '-sip': 'SIP',
  '-dip': 'DIP',
  '-shost': 'SHostName',
  '-dhost': 'DHostName',
  '-login': 'Login',
  '-account': 'Account',
  '-process': 'Process',
};

beforeAll(async () => {
  stack = await startStack({ logs: 3_000, alarms: 20 });
  page = await stack.openConsole('/test-pages/ui-grid.html', 'body[data-ready] .ui-grid-row');
});

afterAll(async () => {
  await stack?.stop();
});

const BODY_ROWS = '.ui-grid-render-container-body .ui-grid-viewport .ui-grid-row';
const LEFT_ROWS = '.ui-grid-render-container-left .ui-grid-viewport .ui-grid-row';

/** Scrolls ui-grid's body viewport (the pinned container follows) and waits for it to re-render. */
async function scrollTo(rows: number): Promise<void> {
  await page.evaluate((rows) => {
    const viewport = document.querySelector('.ui-grid-render-container-body .ui-grid-viewport')!;
    viewport.scrollTop = rows * 30;
    viewport.dispatchEvent(new Event('scroll'));
  }, rows);
  await page.waitForTimeout(400); // ui-grid re-renders its rows on a scroll debounce
}

/**
 * The row ui-grid renders at place `n` of its body viewport, as ui-grid itself knows it (its API's entity
 * for that rendered row), checked against the text the body row shows.
 */
async function shownAt(n: number): Promise<Record<string, string>> {
  return page.evaluate(
    ({ n, BODY_ROWS }) => {
      // biome-ignore lint/suspicious/noExplicitAny: the page exposes ui-grid's API for tests
      const api = (window as any).gridApi;
      const entity = api.grid.renderContainers.body.renderedRows[n].entity as Record<string, unknown>;
      const shown = document.querySelectorAll(BODY_ROWS)[n]!.textContent ?? '';
      if (!shown.includes(String(entity.MessageClass ?? ''))) throw new Error('ui-grid rendered another row');
      return Object.fromEntries(Object.entries(entity).map(([k, v]) => [k, v == null ? '' : String(v)]));
    },
    { n, BODY_ROWS },
  );
}

function expectEchoed(argv: string[], shown: Record<string, string>, where: string): void {
  const present = Object.values(SWITCH_FIELDS).filter((field) => shown[field]);
  expect(present.length, `${where}: the row shows some of ${Object.values(SWITCH_FIELDS)}`).toBeGreaterThan(
    1,
  );
  for (const [flag, field] of Object.entries(SWITCH_FIELDS))
    expect(argAfter(argv, flag), `${where}: ${field} (${flag}) in ${JSON.stringify(argv)}`).toBe(
      shown[field] || undefined,
    );
}

async function echoFrom(cell: Locator, shown: Record<string, string>, where: string): Promise<void> {
  await openPanelFromRow(page, cell);
  expectEchoed(echoedArgv(await runAction(page, ECHO_ROW)), shown, where);
  await closePanel(page);
}

describe('AngularJS ui-grid with a pinned render container', () => {
  it('sends the row from its body part at the top, and from its pinned part after a small scroll', async () => {
    await scrollTo(0);
    let shown = await shownAt(2);
    await echoFrom(page.locator(BODY_ROWS).nth(2).locator('.ui-grid-cell').nth(1), shown, 'top, body cell');
    await scrollTo(3);
    shown = await shownAt(4);
    await echoFrom(
      page.locator(LEFT_ROWS).nth(4).locator('.ui-grid-cell').nth(1),
      shown,
      'small scroll, pinned',
    );
  });

  it('sends the right row far down and a little way back up (recycled row elements)', async () => {
    await scrollTo(2_400);
    let shown = await shownAt(5);
    await echoFrom(page.locator(BODY_ROWS).nth(5).locator('.ui-grid-cell').nth(3), shown, 'far scroll');
    await scrollTo(2_396);
    shown = await shownAt(3);
    await echoFrom(page.locator(LEFT_ROWS).nth(3).locator('.ui-grid-cell').first(), shown, 'back up, pinned');
  });

  it('opens the right-clicked row from the context menu', async () => {
    await scrollTo(40);
    const shown = await shownAt(6);
    const cell = page.locator(BODY_ROWS).nth(6).locator('.ui-grid-cell').nth(2);
    const box = (await cell.boundingBox())!;
    await page.mouse.click(box.x + box.width / 2, box.y + box.height / 2, { button: 'right' });
    await page.keyboard.press('Escape');
    await chooseMenuItem(stack.browser, stack.console.url);
    await waitForPanelState<PanelSummary>(page, (s) => s.open && s.catalog === 'ready');
    expectEchoed(echoedArgv(await runAction(page, ECHO_ROW)), shown, 'context menu');
    await closePanel(page);
  });

  it('opens the focused row with Alt+Shift+R (ui-grid keeps focus on its own focuser element)', async () => {
    await scrollTo(70);
    const shown = await shownAt(3);
    await page.locator(BODY_ROWS).nth(3).locator('.ui-grid-cell').nth(1).click();
    await page.waitForSelector('.ui-grid-cell-focus');
    await page.keyboard.press('Alt+Shift+R');
    await waitForPanelState<PanelSummary>(page, (s) => s.open && s.catalog === 'ready');
    expectEchoed(echoedArgv(await runAction(page, ECHO_ROW)), shown, 'keyboard');
    await closePanel(page);
  });

  it('opens the clicked row with Alt+Shift+R while ui-grid redraws its focus mark', async () => {
    await scrollTo(90);
    await page.locator(BODY_ROWS).nth(2).locator('.ui-grid-cell').nth(1).click();
    await page.waitForSelector('.ui-grid-cell-focus');
    await page.waitForTimeout(400); // ui-grid scrolls the clicked cell into view and re-renders on a debounce
    // The row ui-grid marks as focused once it has settled (the scroll into view may have moved it).
    const focusedAt = await page.evaluate(
      (BODY_ROWS) =>
        [...document.querySelectorAll(BODY_ROWS)].findIndex((row) =>
          row.querySelector('.ui-grid-cell-focus'),
        ),
      BODY_ROWS,
    );
    expect(focusedAt).toBeGreaterThanOrEqual(0);
    const shown = await shownAt(focusedAt);
    // What ui-grid does between digests: for a moment no cell carries the focus mark (focus stays on its
    // focuser element outside the rows), and its next digest puts the mark back on the cell.
    await page.evaluate(() => {
      const marks = [...document.querySelectorAll('.ui-grid-cell-focus')];
      for (const mark of marks) mark.classList.remove('ui-grid-cell-focus');
      setTimeout(() => {
        for (const mark of marks) mark.classList.add('ui-grid-cell-focus');
      }, 120);
    });
    await page.keyboard.press('Alt+Shift+R');
    await waitForPanelState<PanelSummary>(page, (s) => s.open && s.catalog === 'ready');
    expectEchoed(echoedArgv(await runAction(page, ECHO_ROW)), shown, 'keyboard, no focus mark');
    await closePanel(page);
  });
});
