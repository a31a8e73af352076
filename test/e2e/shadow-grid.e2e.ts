import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Stack, startStack } from '../support/e2e-stack.ts';
import {
  argAfter,
  ECHO_ROW,
  echoedArgv,
  type PanelSummary,
  runAction,
  shadowBox,
  shadowClick,
  waitForPanelState,
} from './analyst.ts';

/**
 * A grid inside a web component's open shadow root (test/e2e/pages/shadow-grid.html). Moving from row to
 * row never leaves that shadow root, so the browser fires no `pointerover` at the window: the button must
 * still follow the pointer onto the row it is over, and open that row.
 */

let stack: Stack;
let page: Page;

beforeAll(async () => {
  stack = await startStack({ logs: 50, alarms: 5 });
  page = await stack.openConsole('/test-pages/shadow-grid.html', 'body[data-ready] log-grid td');
});

afterAll(async () => {
  await stack?.stop();
});

/** The row's box on the page (Playwright's locators look into open shadow roots). */
async function rowBox(logId: string) {
  const box = await page.locator('log-grid tr', { hasText: logId }).boundingBox();
  if (!box) throw new Error(`row ${logId} is not drawn`);
  return box;
}

/** Waits until the button is shown with its centre inside the row of `logId`. */
async function expectButtonOn(logId: string): Promise<void> {
  const row = await rowBox(logId);
  await expect
    .poll(async () => {
      const button = await shadowBox(page, '.row-button[data-shown]');
      const middle = button ? (button.top + button.bottom) / 2 : -1;
      return middle > row.y && middle < row.y + row.height;
    })
    .toBe(true);
}

describe('a grid in an open shadow root', () => {
  it('moves the button from row to row inside the shadow root, and opens the row it is on', async () => {
    const cell = (logId: string) => page.locator('log-grid td', { hasText: `db-0${Number(logId) - 9000}.` });
    await page.mouse.move(1, 1);
    await cell('9001').hover();
    await expectButtonOn('9001');
    // Down the same column, row by row: every move stays inside <log-grid>'s shadow root.
    const target = await cell('9004').boundingBox();
    await page.mouse.move(target!.x + 20, target!.y + target!.height / 2, { steps: 12 });
    await expectButtonOn('9004');

    await shadowClick(page, '.row-button[data-shown]');
    await waitForPanelState<PanelSummary>(page, (s) => s.open && s.catalog === 'ready');
    const argv = echoedArgv(await runAction(page, ECHO_ROW));
    expect(argAfter(argv, '-sip')).toBe('10.0.0.4');
    expect(argAfter(argv, '-dhost')).toBe('db-04.corp.example');
  });
});
