import { readFileSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Stack, startStack } from '../support/e2e-stack.ts';
import { launchExtension } from '../support/extension-browser.ts';
import { listedRuns } from '../support/orchestrator-process.ts';
import { shadowText } from '../support/shadow-dom.ts';
import { closePanel, openPanelFromRow, panelText, runAction, shadowClick, shadowWaitFor } from './analyst.ts';

/**
 * The read-only cache, batch runs and moving history between profiles, in real Chromium against the real
 * orchestrator: a second IP Reputation of the same row is answered from the cache (labelled, and the
 * orchestrator is not asked again), a batch over 20 selected rows ends with every row's result, and a
 * history exported from one profile imports into a fresh one (twice adds nothing).
 */

const IP_REPUTATION = 'IP Reputation : Origin IP';
const LOG_ROWS = '#logs-grid .ag-row[row-index]';

let stack: Stack;
let page: Page;

beforeAll(async () => {
  stack = await startStack({ logs: 2_000, alarms: 50 });
  page = await stack.openConsole('/analyzer.html#logs', LOG_ROWS);
  await page.waitForFunction(() => 'gridApi' in window);
});

afterAll(async () => {
  await stack?.stop();
});

/** Runs the orchestrator recorded, as its own API lists them. */
const orchestratorRuns = () => listedRuns(stack.orchestrator);

function sipCell(index: number) {
  return page.locator(`#logs-grid .ag-row[row-index="${index}"] [col-id="SIP"]`).first();
}

async function showRow(index: number): Promise<void> {
  await page.evaluate((i) => {
    // biome-ignore lint/suspicious/noExplicitAny: the demo console exposes its ag-Grid API for tests
    const api = (window as any).gridApi.logs;
    api.ensureIndexVisible(i, 'top');
    api.ensureColumnVisible('SIP');
  }, index);
  await page.waitForSelector(`#logs-grid .ag-row[row-index="${index}"] [col-id="SIP"]`);
}

type Progress = { done: number; failed: number; notRun: number };

/** The batch view's "N done · M failed[ · K not run] · T rows", polled until `until` holds. */
async function batchProgressWhen(until: (p: Progress) => boolean, timeoutMs: number): Promise<Progress> {
  const deadline = Date.now() + timeoutMs;
  let last = { done: -1, failed: -1, notRun: -1 };
  while (Date.now() < deadline) {
    const [status] = await shadowText(page, '.batch .status');
    const match = /(\d+) done · (\d+) failed(?: · (\d+) not run)? · \d+ rows/.exec(status ?? '');
    if (match) last = { done: Number(match[1]), failed: Number(match[2]), notRun: Number(match[3] ?? 0) };
    if (match && until(last)) return last;
    await page.waitForTimeout(250);
  }
  throw new Error(`the batch never finished; last progress ${JSON.stringify(last)}`);
}

describe('read-only cache', () => {
  it('answers a second IP Reputation of the same row from the cache, labelled, without a new run', async () => {
    await showRow(5);
    const ip = ((await sipCell(5).textContent()) ?? '').trim();
    await openPanelFromRow(page, sipCell(5));
    const first = await runAction(page, IP_REPUTATION);
    expect(first.status).toBe('succeeded');
    expect(await panelText(page)).not.toMatch(/cached/);
    // Pinned, so the export below carries a pin as well as the history.
    await shadowClick(page, 'button', { text: 'Pin to row' });
    await shadowWaitFor(page, '.pinned', { text: 'Pinned' });
    await closePanel(page);
    const before = (await orchestratorRuns()).filter((r) => Object.values(r.params).includes(ip)).length;

    await openPanelFromRow(page, sipCell(5));
    const again = await runAction(page, IP_REPUTATION);
    expect(again.status).toBe('succeeded');
    expect(again.stdout).toBe(first.stdout);
    expect(await panelText(page)).toMatch(/cached (just now|\d+ min ago)/);
    expect((await orchestratorRuns()).filter((r) => Object.values(r.params).includes(ip)).length).toBe(
      before,
    );

    // "refresh" runs it for real.
    await shadowClick(page, 'button', { text: 'refresh' });
    await shadowWaitFor(page, '.status[data-status="succeeded"]', { timeoutMs: 45_000 });
    expect((await orchestratorRuns()).filter((r) => Object.values(r.params).includes(ip)).length).toBe(
      before + 1,
    );
    await closePanel(page);
  });
});

describe('batch runs', () => {
  it('runs IP Reputation on 20 selected rows and lists every row’s result', async () => {
    await showRow(100);
    const ips: string[] = await page.evaluate(() => {
      // biome-ignore lint/suspicious/noExplicitAny: the demo console exposes its ag-Grid API for tests
      const api = (window as any).gridApi.logs;
      const picked: string[] = [];
      type Node = { rowIndex: number; data: { SIP?: string }; setSelected(on: boolean): void };
      api.forEachNodeAfterFilterAndSort((node: Node) => {
        const index = node.rowIndex;
        if (index >= 100 && index < 120) {
          node.setSelected(true);
          picked.push(String(node.data.SIP ?? ''));
        }
      });
      return picked;
    });
    expect(ips).toHaveLength(20);
    // Rows outside the viewport are not rendered, and only rendered rows can be read: show all 20.
    await page.evaluate(() => {
      // biome-ignore lint/suspicious/noExplicitAny: test hook
      const api = (window as any).gridApi.logs;
      api.ensureIndexVisible(100, 'top');
    });
    await page.waitForFunction(
      () => document.querySelectorAll('#logs-grid .ag-row-selected[row-index]').length >= 20,
    );
    const runsBefore = new Set((await orchestratorRuns()).map((r) => r.id));

    await openPanelFromRow(page, sipCell(100));
    await shadowClick(page, 'input[type="search"]');
    await page.keyboard.type(IP_REPUTATION);
    await shadowClick(page, 'button.action', { text: IP_REPUTATION });
    await shadowClick(page, 'button[data-batch-start]', { text: 'Run on 20 selected rows' });
    const progress = await batchProgressWhen((p) => p.done + p.failed + p.notRun === 20, 80_000);
    expect(progress).toEqual({ done: 20, failed: 0, notRun: 0 });
    const outcomes = await shadowText(page, '.batch-rows li .status');
    expect(outcomes).toHaveLength(20);
    for (const text of outcomes) expect(text).toMatch(/^Succeeded/);
    // Each row ran with its own IP; repeated IPs were answered from the cache instead of run again.
    const ran = (await orchestratorRuns()).filter((r) => !runsBefore.has(r.id));
    const distinct = new Set(ips);
    expect(ran.length).toBeGreaterThan(0);
    expect(ran.length).toBeLessThanOrEqual(distinct.size);
    for (const run of ran) expect(Object.values(run.params).some((v) => distinct.has(v))).toBe(true);
    await closePanel(page);
  });
});

describe('a batch over rows without a value', () => {
  it('runs every row that has an origin IP and says on the line of the one without why it did not run', async () => {
    // The demo's logs include Windows Security events of a domain controller (an account created, locked
    // out) with no origin IP: take 20 rows around the first such row past those run above.
    const picked: { first: number; ips: string[] } = await page.evaluate(() => {
      // biome-ignore lint/suspicious/noExplicitAny: the demo console exposes its ag-Grid API for tests
      const api = (window as any).gridApi.logs;
      api.deselectAll();
      type Node = { rowIndex: number; data: { SIP?: string }; setSelected(on: boolean): void };
      const nodes: Node[] = [];
      api.forEachNodeAfterFilterAndSort((node: Node) => nodes.push(node));
      const without = nodes.findIndex((node) => node.rowIndex >= 200 && !node.data.SIP);
      const first = without - 5;
      const batch = nodes.slice(first, first + 20);
      for (const node of batch) node.setSelected(true);
      api.ensureIndexVisible(first, 'top');
      return { first, ips: batch.map((node) => String(node.data.SIP ?? '')) };
    });
    const lacking = picked.ips.filter((ip) => ip === '').length;
    expect(lacking).toBeGreaterThan(0);
    await page.waitForFunction(
      () => document.querySelectorAll('#logs-grid .ag-row-selected[row-index]').length >= 20,
    );
    await showRow(picked.first);
    const runsBefore = new Set((await orchestratorRuns()).map((r) => r.id));

    await openPanelFromRow(page, sipCell(picked.first));
    await shadowClick(page, 'input[type="search"]');
    await page.keyboard.type(IP_REPUTATION);
    await shadowClick(page, 'button.action', { text: IP_REPUTATION });
    await shadowClick(page, 'button[data-batch-start]', { text: 'Run on 20 selected rows' });
    const progress = await batchProgressWhen((p) => p.done + p.failed + p.notRun === 20, 80_000);
    // Only the rows without an origin IP are not run, counted apart from failures and each saying why on
    // its line; no run was lost or refused.
    expect(progress).toEqual({ done: 20 - lacking, failed: 0, notRun: lacking });
    expect(await shadowText(page, '.batch-rows li[data-outcome="not-run"] .reason')).toEqual(
      Array(lacking).fill('Not run: this row has no value for IP Address*.'),
    );
    const ran = (await orchestratorRuns()).filter((r) => !runsBefore.has(r.id));
    for (const run of ran) {
      expect(run.status).toBe('succeeded');
      expect(Object.values(run.params)[0]).not.toBe('');
    }
    await closePanel(page);
  });
});

describe('export and import', () => {
  it('brings the history back in a fresh profile, and importing twice adds nothing', async () => {
    const id = stack.browser.extensionId;
    const historyA = await stack.browser.context.newPage();
    await historyA.goto(`chrome-extension://${id}/src/history/index.html`);
    await historyA.waitForSelector('tr[data-job-id]');
    const download = historyA.waitForEvent('download');
    await historyA.getByRole('button', { name: 'Export runs and pins (JSON)' }).click();
    const file = await (await download).path();
    const text = readFileSync(file, 'utf8');
    const exported = JSON.parse(text) as { format: string; jobs: Array<{ id: string }>; pins: unknown[] };
    expect(exported.format).toBe('gridside-export');
    expect(exported.jobs.length).toBeGreaterThanOrEqual(22);
    expect(exported.pins).toHaveLength(1);

    const fresh = await launchExtension({ dist: stack.dist });
    try {
      const historyB = await fresh.context.newPage();
      await historyB.goto(`chrome-extension://${fresh.extensionId}/src/history/index.html`);
      await historyB.getByText('No runs match.').waitFor();
      const upload = {
        name: 'gridside-export.json',
        mimeType: 'application/json',
        buffer: Buffer.from(text),
      };
      await historyB.setInputFiles('input[type="file"]', upload);
      await historyB
        .getByRole('status')
        .getByText(
          `Imported: ${exported.jobs.length} runs added, 0 already present, 0 rejected; 1 pins added, 0 already present, 0 rejected.`,
        )
        .waitFor();
      await historyB.waitForSelector('tr[data-job-id]');
      expect(await historyB.locator('tr[data-job-id]').count()).toBe(Math.min(50, exported.jobs.length));

      // Search by a value, then open a run's detail with its output as text.
      await historyB.getByLabel('Action').fill('IP Reputation');
      await historyB.getByRole('button', { name: 'Search' }).click();
      await historyB.locator('tr[data-job-id] button.link').first().click();
      await historyB
        .getByRole('region', { name: 'Run detail' })
        .locator('pre[data-label="Output"]')
        .waitFor();

      await historyB.setInputFiles('input[type="file"]', upload);
      await historyB
        .getByRole('status')
        .getByText(
          `Imported: 0 runs added, ${exported.jobs.length} already present, 0 rejected; 0 pins added, 1 already present`,
        )
        .waitFor();
    } finally {
      await fresh.close();
    }
  });
});
