import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Stack, startStack } from '../support/e2e-stack.ts';
import { type EngineServer, engineFixture, startEngineServer } from '../support/engine-servers.ts';
import { openPanelFromRow, panelText, runAction } from './analyst.ts';

/**
 * A team that already runs TheHive Cortex points Gridside at it instead of the Gridside orchestrator: the
 * analyst runs a Cortex analyzer from a grid row and reads its taxonomies as verdict chips. The Cortex
 * server answers with the recorded job report from Cortex's API guide (test/fixtures/engines/).
 */

interface CortexJob {
  id: string;
  analyzerId: string;
  status: string;
  data: string;
  report: unknown;
}

const REPORTED = engineFixture<CortexJob>('cortex/job_report_abuse_finder.cortexdocs-api-guide.json');
const { report: _report, ...JOB } = REPORTED;
const ABUSE_FINDER = {
  id: REPORTED.analyzerId,
  name: 'Abuse_Finder_2_0',
  version: '2.0',
  description: 'Find abuse contacts associated with domains, emails, IPs, and URLs.',
  dataTypeList: ['ip', 'domain', 'fqdn', 'url', 'mail'],
};
const API_KEY = 'cortex-e2e-api-key-0123456789';

let stack: Stack;
let cortex: EngineServer;
let page: Page;

beforeAll(async () => {
  stack = await startStack({ logs: 2_000, alarms: 50 });
  cortex = await startEngineServer({
    'GET /api/analyzer': { json: [ABUSE_FINDER] },
    'GET /api/analyzer/type/:dataType': (req) => ({ json: req.path.endsWith('/ip') ? [ABUSE_FINDER] : [] }),
    [`POST /api/analyzer/${ABUSE_FINDER.id}/run`]: (req) => ({
      json: { ...JOB, status: 'Waiting', data: (req.json as { data: string }).data },
    }),
    'GET /api/job/:id/waitreport': { json: REPORTED },
    'GET /api/job/:id': { json: JOB },
  });
  // Configure Cortex as the default engine from an extension page, exactly as the options page does.
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
    { url: cortex.url, apiKey: API_KEY },
  );
  expect(saved).toMatchObject({ ok: true, data: { secretSet: { cortex: true } } });
  await options.close();
  page = await stack.openConsole('/analyzer.html#logs', '#logs-grid .ag-row[row-index]');
  await page.waitForFunction(() => 'gridApi' in window);
});

afterAll(async () => {
  await stack?.stop();
  await cortex?.close();
});

describe('a Cortex analyzer run from a grid row', () => {
  it('sends the row’s IP to Cortex with the API key and shows the report’s taxonomies as chips', async () => {
    // The first rendered row with an origin IP.
    const index = await page.evaluate(() => {
      // biome-ignore lint/suspicious/noExplicitAny: the demo console exposes its ag-Grid API for tests
      const api = (window as any).gridApi.logs;
      for (let i = 0; i < 30; i++) if (api.getDisplayedRowAtIndex(i)?.data?.SIP) return i;
      return -1;
    });
    expect(index).toBeGreaterThanOrEqual(0);
    const cell = page.locator(`#logs-grid .ag-row[row-index="${index}"] [col-id="SIP"]`).first();
    const sip = (await cell.textContent())?.trim() ?? '';

    const opened = await openPanelFromRow(page, cell);
    if (opened.catalog === 'error') throw new Error(`the catalog did not load: ${await panelText(page)}`);
    const state = await runAction(page, `${ABUSE_FINDER.name} on SIP`);

    expect(state.status).toBe('succeeded');
    expect(state.verdicts.join(' ')).toContain('info');
    expect(state.stdout ?? '').toContain('Abuse_Finder:Address = network-abuse@google.com');
    const started = cortex.requests.find((r) => r.method === 'POST');
    expect(started?.json).toMatchObject({ data: sip, dataType: 'ip' });
    expect(started?.headers.authorization).toBe(`Bearer ${API_KEY}`);
  });
});
