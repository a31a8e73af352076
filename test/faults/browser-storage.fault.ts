import { appendFileSync, rmSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { closePanel, ECHO_ROW, type PanelSummary } from '../e2e/analyst.ts';
import { analystToken, type Stack, startStack } from '../support/e2e-stack.ts';
import { shadowClick, shadowWaitFor, waitForPanelState } from '../support/shadow-dom.ts';
import { keptJobFor, openOnRow, runEnded, shownText, startAction } from './fault-analyst.ts';
import { smallProfile } from './small-profile.ts';

/**
 * The browser's storage for Gridside is exhausted (the extension origin's quota, which Chrome derives
 * from the free disk space, is set to what is already used). The analyst must read a clear error, and
 * every pin and job stored before must still be there; once there is room again, runs work.
 */

let stack: Stack;
let page: Page;
const profile = smallProfile(256 * 1024 * 1024);

beforeAll(async () => {
  const undo = profile.use();
  try {
    stack = await startStack({ logs: 200, alarms: 20 });
  } finally {
    undo();
  }
  page = await stack.openConsole('/analyzer.html#logs', '#logs-grid .ag-row[row-index]');
  await page.waitForFunction(() => 'gridApi' in window);
});

afterAll(async () => {
  await stack?.stop();
  profile.close();
});

const filler = () => profile.reach('filler');

/** The orchestrator's runs whose parameters carry `value`, as its API lists them. */
async function orchestratorRunsFor(value: string): Promise<{ id: string }[]> {
  const answer = await fetch(`${stack.orchestrator.url}/api/v1/runs`, {
    headers: { authorization: `Bearer ${analystToken(stack.orchestrator.tokens)}` },
  });
  const { runs } = (await answer.json()) as { runs: { id: string; params: Record<string, string> }[] };
  return runs.filter((run) => Object.values(run.params).includes(value));
}

/** Fills the disk the browser keeps its profile on, to the last byte. */
function exhaustStorage(): void {
  for (const size of [1024 * 1024, 4096, 64]) {
    try {
      for (;;) appendFileSync(filler(), Buffer.alloc(size));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOSPC') throw error;
    }
  }
}

function restoreStorage(): void {
  rmSync(filler());
}

describe("the browser's storage for Gridside is full", () => {
  let pinnedSip = '';
  let refusedSip = '';

  afterEach(async () => {
    await closePanel(page).catch(() => undefined);
  });

  it('a run before: finished and pinned', async () => {
    const { sip } = await openOnRow(page, 1);
    await startAction(page, ECHO_ROW);
    expect((await runEnded(page)).status).toBe('succeeded');
    await shadowClick(page, 'button.pin', { text: 'Pin to row' });
    await shadowWaitFor(page, '.pinned', { text: 'Pinned' });
    pinnedSip = sip;
  });

  /**
   * A full disk refuses the run's start record, or (when the browser's record log still had room for that
   * one small write) the write of the orchestrator's answer after it. Which one depends on how many bytes
   * the earlier writes left; each has its own words, and neither loses anything.
   */
  let startRecordFitted = false;

  it('says so clearly when a run cannot be recorded, and never starts one without its record', async () => {
    exhaustStorage();
    const { sip } = await openOnRow(page, 2);
    refusedSip = sip;
    await startAction(page, ECHO_ROW).catch(() => undefined);
    const refused = await waitForPanelState<PanelSummary>(page, (s) => s.error !== null, 30_000);
    expect(refused.error).toBe('internal');
    expect(refused.status).not.toBe('succeeded');
    const text = await shownText(page);
    const started = await orchestratorRunsFor(sip);
    startRecordFitted = started.length > 0;
    if (startRecordFitted) {
      // The run was sent with its start record saved: the analyst hears it exists and where to follow it.
      expect(started).toHaveLength(1);
      expect(text).toContain(`was started on the orchestrator (run ${started[0]!.id})`);
      expect(text).toContain('could not save Gridside’s record of it');
      expect(text).toContain('run history rather than starting it again');
    } else {
      expect(text).toContain('no room left for Gridside');
      expect(text).toContain('Free disk space');
    }
  });

  it('once there is room: every pin and job stored before is intact, nothing half-recorded, and runs work', async () => {
    restoreStorage();
    // A store connection the browser dropped while the disk was full is opened again by a new worker; Chrome
    // starts one after the worker's idle time, and at once here.
    await stack.browser.killWorker();
    await page.reload();
    await page.waitForSelector('#logs-grid .ag-row[row-index]');
    await page.waitForSelector('[data-gridside]', { state: 'attached', timeout: 30_000 });
    await page.waitForFunction(() => 'gridApi' in window);
    // The pinned row carries its pin marker again, read back from the store.
    await shadowWaitFor(page, '.pin-marker[data-shown]', { text: /^1$/, timeoutMs: 30_000 });
    expect(await keptJobFor(stack.browser, pinnedSip)).toMatchObject({ status: 'succeeded', open: 0 });
    const refused = await keptJobFor(stack.browser, refusedSip);
    if (startRecordFitted) {
      // The start record, found by the next worker: a run may exist, so it is closed, never sent again.
      await expect
        .poll(async () => keptJobFor(stack.browser, refusedSip), { timeout: 30_000 })
        .toMatchObject({ status: 'failed', open: 0, run: null, error: { code: 'internal' } });
      expect(await orchestratorRunsFor(refusedSip)).toHaveLength(1);
    } else {
      expect(refused).toBeUndefined();
    }
    const { sip } = await openOnRow(page, 3);
    await startAction(page, ECHO_ROW);
    const done = await runEnded(page);
    expect(done.status).toBe('succeeded');
    expect(done.stdout).toContain(sip);
  });
});
