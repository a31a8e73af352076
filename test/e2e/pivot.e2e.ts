import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Stack, startStack } from '../support/e2e-stack.ts';
import { type EngineServer, engineFixture, startEngineServer } from '../support/engine-servers.ts';
import {
  FINISHED,
  openPanelFromRow,
  type PanelSummary,
  panelText,
  runAction,
  shadowClick,
  waitForPanelState,
} from './analyst.ts';

/**
 * An investigation continues from a result: a Cortex report names another address among its artifacts,
 * the analyst picks it under the output and runs an analyzer on it from the same panel, on the same row,
 * and history shows the second run as a pivot from the first. The Cortex server answers with the recorded
 * job report from Cortex's API guide; the artifacts are added here following the analyzer guide's
 * `{ dataType, data }` model (the recorded report has none).
 */

interface CortexJob {
  id: string;
  analyzerId: string;
  status: string;
  data: string;
  report: Record<string, unknown>;
}

const RECORDED = engineFixture<CortexJob>('cortex/job_report_abuse_finder.cortexdocs-api-guide.json');
const ARTIFACT_IP = '198.51.100.23';
const REPORTED = {
  ...RECORDED,
  report: {
    ...RECORDED.report,
    artifacts: [
      { dataType: 'ip', data: ARTIFACT_IP },
      { dataType: 'mail', data: 'network-abuse@google.com' },
    ],
  },
};
const { report: _report, ...JOB } = REPORTED;
const ABUSE_FINDER = {
  id: RECORDED.analyzerId,
  name: 'Abuse_Finder_2_0',
  version: '2.0',
  description: 'Find abuse contacts associated with domains, emails, IPs, and URLs.',
  dataTypeList: ['ip', 'domain', 'fqdn', 'url', 'mail'],
};
const API_KEY = 'cortex-e2e-api-key-0123456789';

interface PivotSummary extends PanelSummary {
  observables: string[];
  parentJobId: string | null;
}

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

describe('a pivot from a Cortex report', () => {
  it('runs the analyzer on an artifact of the report, on the same row, recorded as a child of the first run', async () => {
    const index = await page.evaluate(() => {
      // biome-ignore lint/suspicious/noExplicitAny: the demo console exposes its ag-Grid API for tests
      const api = (window as any).gridApi.logs;
      for (let i = 0; i < 30; i++) if (api.getDisplayedRowAtIndex(i)?.data?.SIP) return i;
      return -1;
    });
    expect(index).toBeGreaterThanOrEqual(0);
    const cell = page.locator(`#logs-grid .ag-row[row-index="${index}"] [col-id="SIP"]`).first();
    const sip = (await cell.textContent())?.trim() ?? '';
    expect(sip).not.toBe(ARTIFACT_IP);

    const opened = await openPanelFromRow(page, cell);
    if (opened.catalog === 'error') throw new Error(`the catalog did not load: ${await panelText(page)}`);
    const first = (await runAction(page, `${ABUSE_FINDER.name} on SIP`)) as PivotSummary;
    expect(first.status).toBe('succeeded');
    // The IP artifact is offered; the mail artifact is not something an action here takes.
    expect(first.observables).toEqual([`ip:${ARTIFACT_IP}`]);
    expect(first.parentJobId).toBeNull();

    await shadowClick(page, 'button.pivot-chip', { text: ARTIFACT_IP });
    await shadowClick(page, 'button.pivot-action', { text: ABUSE_FINDER.name });
    const form = await waitForPanelState<PivotSummary>(page, (s) => s.step === 'form');
    expect(form.action).toBe(`${ABUSE_FINDER.id}/ip:SIP`);
    await shadowClick(page, 'form input[type="text"]');
    await page.keyboard.press('Enter');
    const pivot = await waitForPanelState<PivotSummary>(
      page,
      (s) => s.step === 'run' && (s.error !== null || (s.status !== null && FINISHED.includes(s.status))),
      45_000,
    );
    expect(pivot.error).toBeNull();
    expect(pivot.status).toBe('succeeded');
    expect(pivot.parentJobId).toEqual(expect.any(String));

    const started = cortex.requests.filter((r) => r.method === 'POST').map((r) => r.json);
    expect(started).toEqual([
      expect.objectContaining({ data: sip, dataType: 'ip' }),
      expect.objectContaining({ data: ARTIFACT_IP, dataType: 'ip' }),
    ]);

    // History: the pivot names the first run as its parent and says so under its action.
    const history = await stack.browser.context.newPage();
    await history.goto(`chrome-extension://${stack.browser.extensionId}/src/history/index.html`);
    const pivotRow = history.locator(`tr.pivot[data-parent-job-id="${pivot.parentJobId}"]`);
    await pivotRow.waitFor();
    expect(await pivotRow.locator('.pivot-from').textContent()).toContain(
      `pivot from ${ABUSE_FINDER.name} on SIP`,
    );
    const parentRow = history.locator(`tr[data-job-id="${pivot.parentJobId}"]`);
    expect(await parentRow.getAttribute('class')).toBeNull();
    await history.close();
  });
});
