import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Stack, startStack } from '../support/e2e-stack.ts';
import { closePanel, openPanelFromRow, panelText } from './analyst.ts';

/**
 * When the orchestrator says no or is gone, the analyst reads why and what to do, nothing hangs, and the
 * console keeps working. The extension is seeded with a token the orchestrator does not know.
 */

let stack: Stack;
let page: Page;

beforeAll(async () => {
  stack = await startStack({ logs: 2_000, alarms: 50, token: () => 'gridside-not-a-real-token-0000' });
  page = await stack.openConsole('/analyzer.html#logs', '#logs-grid .ag-row[row-index]');
  await page.waitForFunction(() => 'gridApi' in window);
});

afterAll(async () => {
  await stack?.stop();
});

function cell(index: number) {
  return page.locator(`#logs-grid .ag-row[row-index="${index}"] [col-id="LogId"]`).first();
}

describe('A token the orchestrator rejects', () => {
  it('says the token was rejected and where to fix it', async () => {
    const state = await openPanelFromRow(page, cell(1));
    expect(state.catalog).toBe('error');
    const text = await panelText(page);
    expect(text).toContain('rejected the token');
    expect(text).toContain('Gridside options');
    await closePanel(page);
  });
});

describe('The orchestrator is down', () => {
  it('says it cannot reach the orchestrator and what to do, and the console keeps working', async () => {
    await stack.orchestrator.stop();
    const state = await openPanelFromRow(page, cell(2));
    expect(state.catalog).toBe('error');
    const text = await panelText(page);
    expect(text).toContain('could not reach the orchestrator');
    expect(text).toContain('orchestrator is started');
    await closePanel(page);

    // The grid still scrolls and renders rows.
    await page.evaluate(() => {
      // biome-ignore lint/suspicious/noExplicitAny: the demo console exposes its ag-Grid API for tests
      (window as any).gridApi.logs.ensureIndexVisible(1_500, 'top');
    });
    await page.waitForSelector('#logs-grid .ag-row[row-index="1500"]');
  });
});
