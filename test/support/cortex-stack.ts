import type { Page } from 'playwright-core';
import { expect } from 'vitest';
import { type Stack, startStack } from './e2e-stack.ts';
import { type EngineServer, engineFixture, startEngineServer } from './engine-servers.ts';

/**
 * The demo console with Gridside pointed at a TheHive Cortex instead of the Gridside orchestrator: a
 * Cortex server answering with the recorded job report from Cortex's API guide (test/fixtures/engines/),
 * optionally with a changed report, configured as the default engine from an extension page exactly as
 * the options page does it.
 */

export interface CortexJob {
  id: string;
  analyzerId: string;
  status: string;
  data: string;
  report: Record<string, unknown>;
}

export const RECORDED_JOB = engineFixture<CortexJob>(
  'cortex/job_report_abuse_finder.cortexdocs-api-guide.json',
);

export const ABUSE_FINDER = {
  id: RECORDED_JOB.analyzerId,
  name: 'Abuse_Finder_2_0',
  version: '2.0',
  description: 'Find abuse contacts associated with domains, emails, IPs, and URLs.',
  dataTypeList: ['ip', 'domain', 'fqdn', 'url', 'mail'],
};

export const CORTEX_API_KEY = 'cortex-e2e-api-key-0123456789';

export interface CortexStack {
  stack: Stack;
  cortex: EngineServer;
  page: Page;
  stop(): Promise<void>;
}

export async function startCortexStack(reported: CortexJob = RECORDED_JOB): Promise<CortexStack> {
  const { report: _report, ...job } = reported;
  const stack = await startStack({ logs: 2_000, alarms: 50 });
  const cortex = await startEngineServer({
    'GET /api/analyzer': { json: [ABUSE_FINDER] },
    'GET /api/analyzer/type/:dataType': (req) => ({ json: req.path.endsWith('/ip') ? [ABUSE_FINDER] : [] }),
    [`POST /api/analyzer/${ABUSE_FINDER.id}/run`]: (req) => ({
      json: { ...job, status: 'Waiting', data: (req.json as { data: string }).data },
    }),
    'GET /api/job/:id/waitreport': { json: reported },
    'GET /api/job/:id': { json: job },
  });
  const options = await stack.browser.context.newPage();
  await options.goto(`chrome-extension://${stack.browser.extensionId}/src/options/index.html`);
  const saved = await options.evaluate(
    async ({ url, apiKey }) => {
      const send = (message: unknown) => chrome.runtime.sendMessage(message);
      const current = (await send({ type: 'settings.get' })) as { ok: boolean; data: { settings: never } };
      const settings = current.data.settings as { orchestrators: unknown[]; defaultOrchestratorId?: string };
      settings.orchestrators.push({
        id: 'cortex',
        kind: 'cortex',
        name: 'Cortex',
        url,
        enabled: true,
        options: {},
      });
      settings.defaultOrchestratorId = 'cortex';
      await send({ type: 'settings.save', settings });
      return send({ type: 'secret.set', orchestratorId: 'cortex', secret: apiKey });
    },
    { url: cortex.url, apiKey: CORTEX_API_KEY },
  );
  expect(saved).toMatchObject({ ok: true, data: { secretSet: { cortex: true } } });
  await options.close();
  const page = await stack.openConsole('/analyzer.html#logs', '#logs-grid .ag-row[row-index]');
  await page.waitForFunction(() => 'gridApi' in window);
  return {
    stack,
    cortex,
    page,
    async stop() {
      await stack.stop();
      await cortex.close();
    },
  };
}

/** The SIP cell of the first rendered Logs row that has an origin IP. */
export async function firstSipCell(page: Page) {
  const index = await page.evaluate(() => {
    // biome-ignore lint/suspicious/noExplicitAny: the demo console exposes its ag-Grid API for tests
    const api = (window as any).gridApi.logs;
    for (let i = 0; i < 30; i++) if (api.getDisplayedRowAtIndex(i)?.data?.SIP) return i;
    return -1;
  });
  expect(index).toBeGreaterThanOrEqual(0);
  return page.locator(`#logs-grid .ag-row[row-index="${index}"] [col-id="SIP"]`).first();
}
