import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Stack, startStack } from '../support/e2e-stack.ts';
import { openPanelFromRow, type PanelSummary, runShown, shadowClick, waitForPanelState } from './analyst.ts';

/**
 * Chrome stops an MV3 service worker whenever it likes. A run that is under way when that happens must
 * still end in the panel: the job is durable (IndexedDB) and the worker resumes it when it wakes.
 */

let stack: Stack;
let page: Page;

beforeAll(async () => {
  stack = await startStack({ logs: 500, alarms: 50 });
  page = await stack.openConsole('/analyzer.html#logs', '#logs-grid .ag-row[row-index]');
  await page.waitForFunction(() => 'gridApi' in window);
});

afterAll(async () => {
  await stack?.stop();
});

describe('A run while the service worker is killed', () => {
  it('still shows its result in the panel', async () => {
    await page.evaluate(() => {
      // biome-ignore lint/suspicious/noExplicitAny: the demo console exposes its ag-Grid API for tests
      (window as any).gridApi.logs.ensureColumnVisible('SIP');
    });
    const cell = page.locator('#logs-grid .ag-row[row-index="2"] [col-id="SIP"]').first();
    const sip = (await cell.textContent()) ?? '';
    expect(sip).not.toBe('');
    await openPanelFromRow(page, cell);
    await waitForPanelState<PanelSummary>(page, (s) => s.catalog === 'ready');
    await shadowClick(page, 'input[type="search"]');
    await page.keyboard.type('Slow Scan');
    await shadowClick(page, 'button.action', { text: 'Slow Scan : Origin IP' });
    await waitForPanelState<PanelSummary>(page, (s) => s.step === 'form');
    await shadowClick(page, 'form input[type="text"]');
    await page.keyboard.press('Enter');
    // Slow Scan takes about 8 seconds: kill the worker while it runs.
    await waitForPanelState<PanelSummary>(
      page,
      (s) => s.status === 'running' || s.status === 'queued',
      20_000,
    );
    await stack.browser.killWorker();
    const done = await waitForPanelState<PanelSummary>(page, runShown, 75_000);
    expect(done.error).toBeNull();
    expect(done.status).toBe('succeeded');
    expect(done.stdout ?? '').toContain(sip);
  });
});
