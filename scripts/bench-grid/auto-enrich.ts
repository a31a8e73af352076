import type { Page } from 'playwright-core';
import type { AutoEnrichConsole } from '../../src/core/auto-enrich.ts';
import { analystToken, demoConfig } from '../../test/support/e2e-stack.ts';
import { type OrchestratorHandle, startOrchestrator } from '../../test/support/orchestrator-process.ts';

/**
 * `npm run bench:grid -- --auto`: the same scroll with in-grid auto-enrichment switched on and the rows
 * on the scroll's path already enriched (their verdicts in the worker's result cache and their chips
 * drawn), the costliest steady state for scrolling: every public origin IP on screen carries a chip that
 * follows its row. Needs the real orchestrator with the demo plugins, so runs have something to answer.
 */

export const AUTO_RULE: AutoEnrichConsole = {
  enabled: true,
  rules: [
    { field: 'SIP', when: 'public-ip', actionId: 'gridside-demo-ip-reputation/ip-reputation-origin-ip' },
  ],
  // The warm-up enriches the whole scroll path in a minute or two: the largest budget the settings allow.
  perMinute: 600,
  concurrency: 4,
};

/** Rows the measured scroll passes (120 steps of 250 px over rows about 28 px high), with some margin. */
const PATH_ROWS = 1_200;
/** Rows moved per warm-up step: fewer than a screen, so every row rests on screen once. */
const STEP_ROWS = 15;

export interface AutoOrchestrator {
  url: string;
  token: string;
  /** What the orchestrator ran so far, as a value that changes with every new run. */
  runs(): Promise<string>;
  stop(): Promise<void>;
}

export async function startAutoOrchestrator(): Promise<AutoOrchestrator> {
  const config = demoConfig();
  const handle: OrchestratorHandle = await startOrchestrator({
    plugins: 'demo/plugins',
    config,
    startTimeoutMs: 60_000,
  });
  const token = analystToken(handle.tokens, config);
  return {
    url: handle.url,
    token,
    async runs() {
      const response = await fetch(new URL('/api/v1/runs?limit=500', handle.url), {
        headers: { authorization: `Bearer ${token}` },
      });
      // The list is capped: its newest run's id changes even when its length no longer does.
      const { runs } = (await response.json()) as { runs: Array<{ id: string }> };
      return `${runs.length}:${runs[0]?.id ?? ''}`;
    },
    async stop() {
      await handle.stop();
      handle.cleanup();
    },
  };
}

/**
 * Rests the grid on every screen of the scroll path until the orchestrator has nothing more to run, then
 * goes back to the top: the measured scroll then finds every row it passes already enriched.
 */
export async function warmAutoEnrichment(page: Page, orchestrator: AutoOrchestrator): Promise<void> {
  const quiet = async () => {
    let last = await orchestrator.runs();
    let since = Date.now();
    const deadline = Date.now() + 20_000;
    while (Date.now() < deadline) {
      await page.waitForTimeout(200);
      const now = await orchestrator.runs();
      if (now !== last) {
        last = now;
        since = Date.now();
      } else if (Date.now() - since >= 800) return last;
    }
    return last;
  };
  for (let row = 0; row <= PATH_ROWS; row += STEP_ROWS) {
    await page.evaluate((index) => {
      // biome-ignore lint/suspicious/noExplicitAny: the demo console exposes its ag-Grid API
      const api = (window as any).gridApi.logs;
      api.ensureColumnVisible('SIP');
      api.ensureIndexVisible(index, 'top');
    }, row);
    await quiet();
  }
  await page.evaluate(() => {
    // biome-ignore lint/suspicious/noExplicitAny: the demo console exposes its ag-Grid API
    (window as any).gridApi.logs.ensureIndexVisible(0, 'top');
  });
  await quiet();
}
