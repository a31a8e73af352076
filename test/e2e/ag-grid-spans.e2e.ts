import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Stack, startStack } from '../support/e2e-stack.ts';
import {
  argAfter,
  closePanel,
  ECHO_ROW,
  echoedArgv,
  openPanelFromRow,
  runAction,
  shadowBox,
} from './analyst.ts';

/**
 * ag-Grid 36 with row spanning (test/e2e/pages/ag-grid-spans.html): the URL shared by three logs is one
 * cell drawn across their rows, outside all of them. Each of those rows sends it, and pointing at the
 * cell itself puts the button on the first row it covers.
 */

let stack: Stack;
let page: Page;

beforeAll(async () => {
  stack = await startStack({ logs: 50, alarms: 5 });
  page = await stack.openConsole('/test-pages/ag-grid-spans.html', 'body[data-ready] .ag-spanned-cell');
});

afterAll(async () => {
  await stack?.stop();
});

const URL_1 = 'https://site-1.example/login';

describe('ag-Grid row spanning', () => {
  it('sends the spanned URL with a row under it, as the analyst sees it there', async () => {
    const cell = page.locator('.ag-row[row-id="8004"] [col-id="sip"]');
    await openPanelFromRow(page, cell);
    const argv = echoedArgv(await runAction(page, ECHO_ROW));
    expect(argAfter(argv, '-sip')).toBe('10.4.0.4');
    expect(argAfter(argv, '-url')).toBe(URL_1);
    await closePanel(page);
  });

  it('puts the button on the first row the spanned cell covers when it is pointed at', async () => {
    const spanned = page.locator('.ag-spanned-cell', { hasText: URL_1 });
    await page.mouse.move(1, 1);
    await spanned.hover({ position: { x: 20, y: 60 } });
    const row = (await page.locator('.ag-row[row-id="8003"]').boundingBox())!;
    await expect
      .poll(async () => {
        const button = await shadowBox(page, '.row-button[data-shown]');
        const middle = button ? (button.top + button.bottom) / 2 : -1;
        return middle > row.y && middle < row.y + row.height;
      })
      .toBe(true);
  });
});
