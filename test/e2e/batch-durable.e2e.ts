import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Stack, startStack } from '../support/e2e-stack.ts';
import { type ListedRun, listedRuns } from '../support/orchestrator-process.ts';
import { shadowText } from '../support/shadow-dom.ts';
import { closePanel, openPanelFromRow, shadowClick } from './analyst.ts';

/**
 * A batch while Chrome stops the service worker, in real Chromium against the real orchestrator: Slow Scan
 * (8 s a row, the orchestrator runs 4 at a time, results not cached) on 10 selected rows; the worker
 * submits all 10 at once (4 run, 6 wait in the orchestrator's queue) and follows them with one long poll,
 * and is killed while the first 4 run. The next worker (woken by the panel's polling) follows every row
 * again, and every row ends with its result; the orchestrator ran each row once.
 */

const SLOW_SCAN = 'Slow Scan : Origin IP';
const LOG_ROWS = '#logs-grid .ag-row[row-index]';
const FIRST = 40;
const COUNT = 10;

let stack: Stack;
let page: Page;

beforeAll(async () => {
  stack = await startStack({ logs: 500, alarms: 20 });
  page = await stack.openConsole('/analyzer.html#logs', LOG_ROWS);
  await page.waitForFunction(() => 'gridApi' in window);
});

afterAll(async () => {
  await stack?.stop();
});

/** Slow Scan runs as the orchestrator's own API lists them. */
async function slowScans(): Promise<ListedRun[]> {
  return (await listedRuns(stack.orchestrator)).filter((run) => run.actionId.includes('slow-scan'));
}

async function until<T>(what: string, read: () => Promise<T>, ok: (value: T) => boolean, ms: number) {
  const deadline = Date.now() + ms;
  let last: T | undefined;
  while (Date.now() < deadline) {
    last = await read();
    if (ok(last)) return last;
    await page.waitForTimeout(250);
  }
  throw new Error(`${what} never happened; last seen ${JSON.stringify(last)}`);
}

describe('a batch while the service worker is killed', () => {
  it('still runs every selected row once, and the panel lists each result', async () => {
    const ips: string[] = await page.evaluate(
      ({ first, count }) => {
        // biome-ignore lint/suspicious/noExplicitAny: the demo console exposes its ag-Grid API for tests
        const api = (window as any).gridApi.logs;
        const picked: string[] = [];
        type Node = { rowIndex: number; data: { SIP?: string }; setSelected(on: boolean): void };
        api.forEachNodeAfterFilterAndSort((node: Node) => {
          // Rows with an Origin IP only: a row without one is failed at once, by design, and proves nothing here.
          if (node.rowIndex >= first && picked.length < count && node.data.SIP) {
            node.setSelected(true);
            picked.push(String(node.data.SIP ?? ''));
          }
        });
        api.ensureIndexVisible(first, 'top');
        api.ensureColumnVisible('SIP');
        return picked;
      },
      { first: FIRST, count: COUNT },
    );
    expect(ips).toHaveLength(COUNT);
    await page.waitForFunction(
      (count) => document.querySelectorAll('#logs-grid .ag-row-selected[row-index]').length >= count,
      COUNT,
    );

    const cell = page.locator(`#logs-grid .ag-row[row-index="${FIRST}"] [col-id="SIP"]`).first();
    await openPanelFromRow(page, cell);
    await shadowClick(page, 'input[type="search"]');
    await page.keyboard.type(SLOW_SCAN);
    await shadowClick(page, 'button.action', { text: SLOW_SCAN });
    await shadowClick(page, 'button[data-batch-start]', { text: `Run on ${COUNT} selected rows` });

    // Every row is at the orchestrator at once: four run, the other six wait in its queue. Stop the worker now.
    await until(
      'four running rows and six queued',
      slowScans,
      (runs) => runs.length === COUNT && runs.filter((r) => r.status === 'running').length === 4,
      30_000,
    );
    expect((await slowScans()).filter((r) => r.status === 'queued')).toHaveLength(COUNT - 4);
    await stack.browser.killWorker();

    const progress = await until(
      'the batch ending',
      async () => {
        const [status] = await shadowText(page, '.batch .status');
        const match = /(\d+) done · (\d+) failed · \d+ rows/.exec(status ?? '');
        return match ? { done: Number(match[1]), failed: Number(match[2]) } : null;
      },
      (p) => p !== null && p.done + p.failed === COUNT,
      75_000,
    );
    expect(progress).toEqual({ done: COUNT, failed: 0 });
    for (const text of await shadowText(page, '.batch-rows li .status')) expect(text).toMatch(/^Succeeded/);

    // Every selected row ran exactly once: none lost with the worker, none sent again by the next one.
    const ran = await slowScans();
    expect(ran).toHaveLength(COUNT);
    expect(ran.map((run) => Object.values(run.params).find((v) => ips.includes(v))).sort()).toEqual(
      [...ips].sort(),
    );
    await closePanel(page);
  });
});
