import Database from 'better-sqlite3';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closePanel, type PanelSummary } from '../e2e/analyst.ts';
import { demoConfig, type Stack, startStack } from '../support/e2e-stack.ts';
import { type FaultProxy, startFaultProxy } from '../support/fault-proxy.ts';
import { type OrchestratorHandle, restartOrchestrator } from '../support/orchestrator-process.ts';
import { waitForPanelState } from '../support/shadow-dom.ts';
import { keptJobFor, openOnRow, runEnded, shownText, startAction } from './fault-analyst.ts';

/**
 * The orchestrator is killed (SIGKILL, as the kernel's OOM killer or a power cut would) while a run
 * prints, and started again on the same database. The extension reaches it through a proxy, so its
 * address stays the same across the restart. The analyst's job must end in a clear state, with what the
 * plugin printed before the crash.
 */

let stack: Stack;
let proxy: FaultProxy;
let page: Page;
let restarted: OrchestratorHandle | undefined;

beforeAll(async () => {
  stack = await startStack({
    logs: 200,
    alarms: 20,
    via: async (orchestratorUrl) => {
      proxy = await startFaultProxy(orchestratorUrl);
      return proxy.url;
    },
  });
  page = await stack.openConsole('/analyzer.html#logs', '#logs-grid .ag-row[row-index]');
  await page.waitForFunction(() => 'gridApi' in window);
});

afterAll(async () => {
  await restarted?.stop();
  await stack?.stop();
  await proxy?.close();
});

/** The stdout the orchestrator has saved for a run so far (its output journal, read beside it). */
function savedStdout(dbFile: string, runId: string): string {
  const db = new Database(dbFile, { readonly: true, fileMustExist: true });
  try {
    const rows = db
      .prepare("SELECT text FROM output_chunks WHERE run_id = ? AND stream = 'stdout' ORDER BY seq")
      .all(runId) as { text: string }[];
    return rows.map((row) => row.text).join('');
  } finally {
    db.close();
  }
}

async function until(condition: () => boolean | Promise<boolean>, what: string, timeoutMs = 30_000) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await condition()) return;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`timed out waiting for ${what}`);
}

describe('the orchestrator killed mid-run and started again', () => {
  it('ends the job as failed with the reason, and shows what the plugin printed before the crash', async () => {
    const { sip } = await openOnRow(page, 3);
    await startAction(page, 'Slow Scan : Origin IP');
    await waitForPanelState<PanelSummary>(page, (s) => s.status === 'running', 30_000);
    const runId = (await keptJobFor(stack.browser, sip))?.run?.id;
    expect(runId).toBeTruthy();
    // Slow Scan prints a line a second; crash once two of them are on the orchestrator's disk.
    await until(() => savedStdout(stack.orchestrator.db, runId!).includes('progress 2/'), 'two lines saved');
    await stack.orchestrator.kill();

    // While it is down the panel says so, and the job stays open: the run's fate is not known yet.
    const down = await waitForPanelState<PanelSummary>(page, (s) => s.error === 'server_error', 30_000);
    expect(down.status).toBe('running');
    expect(await shownText(page)).toContain('not available right now');
    expect((await keptJobFor(stack.browser, sip))?.open).toBe(1);

    restarted = await restartOrchestrator(stack.orchestrator, {
      plugins: 'demo/plugins',
      config: demoConfig(),
      startTimeoutMs: 60_000,
    });
    proxy.retarget(restarted.url);

    await runEnded(page);
    // The output frame shows what was printed before the crash.
    const done = await waitForPanelState<PanelSummary>(page, (s) => (s.stdout ?? '').includes('progress 2/'));
    expect(done.status).toBe('failed');
    expect(done.error).toBeNull();
    const text = await shownText(page);
    expect(text).toContain('orchestrator restarted while the run was in progress');
    expect(done.stdout).toContain(`progress 1/8: resolving ${sip}`);
    expect(done.stdout).toContain('progress 2/8');

    const kept = await keptJobFor(stack.browser, sip);
    expect(kept).toMatchObject({ status: 'failed', open: 0 });
    expect(kept?.run?.output?.stdout).toContain('progress 2/8');
    await closePanel(page);
  });

  it('runs the next action normally after the restart', async () => {
    const { sip } = await openOnRow(page, 4);
    await startAction(page, 'Echo Row Fields');
    const done = await runEnded(page);
    expect(done.status).toBe('succeeded');
    expect(done.stdout).toContain(sip);
  });
});
