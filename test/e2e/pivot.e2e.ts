import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ABUSE_FINDER,
  type CortexStack,
  firstSipCell,
  RECORDED_JOB,
  startCortexStack,
} from '../support/cortex-stack.ts';
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

const ARTIFACT_IP = '198.51.100.23';
const REPORTED = {
  ...RECORDED_JOB,
  report: {
    ...RECORDED_JOB.report,
    artifacts: [
      { dataType: 'ip', data: ARTIFACT_IP },
      { dataType: 'mail', data: 'network-abuse@google.com' },
    ],
  },
};
interface PivotSummary extends PanelSummary {
  observables: string[];
  parentJobId: string | null;
}

let setup: CortexStack;
let page: Page;

beforeAll(async () => {
  setup = await startCortexStack(REPORTED);
  page = setup.page;
});

afterAll(async () => {
  await setup?.stop();
});

describe('a pivot from a Cortex report', () => {
  it('runs the analyzer on an artifact of the report, on the same row, recorded as a child of the first run', async () => {
    const cell = await firstSipCell(page);
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

    const started = setup.cortex.requests.filter((r) => r.method === 'POST').map((r) => r.json);
    expect(started).toEqual([
      expect.objectContaining({ data: sip, dataType: 'ip' }),
      expect.objectContaining({ data: ARTIFACT_IP, dataType: 'ip' }),
    ]);

    // History: the pivot names the first run as its parent and says so under its action.
    const history = await setup.stack.browser.context.newPage();
    await history.goto(`chrome-extension://${setup.stack.browser.extensionId}/src/history/index.html`);
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
