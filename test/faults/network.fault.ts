import type { Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  closePanel,
  ECHO_ROW,
  openPanelFromRow,
  type PanelSummary,
  startConfirmedRun,
} from '../e2e/analyst.ts';
import { type Stack, startStack } from '../support/e2e-stack.ts';
import { type FaultProxy, type FaultRule, startFaultProxy } from '../support/fault-proxy.ts';
import { listedRuns } from '../support/orchestrator-process.ts';
import { shadowClick, waitForPanelState } from '../support/shadow-dom.ts';
import {
  keptJobFor,
  keptJobs,
  logCell,
  openOnRow,
  runEnded,
  shownText,
  startAction,
} from './fault-analyst.ts';

/**
 * A bad network between Gridside and its orchestrator: the demo build in real Chromium reaches the real
 * orchestrator only through a fault-injecting proxy. For each fault, what the analyst sees in the panel,
 * and that nothing is lost: the job is kept with its outcome, and a run the orchestrator took still ends
 * in the panel once the fault clears.
 */

let stack: Stack;
let proxy: FaultProxy;
let page: Page;
let nextRow = 1;

beforeAll(async () => {
  stack = await startStack({
    logs: 500,
    alarms: 20,
    via: async (orchestratorUrl) => {
      proxy = await startFaultProxy(orchestratorUrl);
      return proxy.url;
    },
  });
  page = await stack.openConsole('/analyzer.html#logs', '#logs-grid .ag-row[row-index]');
  await page.waitForFunction(() => 'gridApi' in window);
});

afterEach(async () => {
  proxy?.clear();
  await closePanel(page).catch(() => undefined);
});

afterAll(async () => {
  await stack?.stop();
  await proxy?.close();
});

const RUN_POLLS = /^\/api\/v1\/runs\/[^/?]+(\?|$)/;
const polls = (fault: FaultRule['fault'], times?: number): FaultRule => ({
  method: 'GET',
  path: RUN_POLLS,
  fault,
  ...(times === undefined ? {} : { times }),
});

/**
 * A read-only run that outlasts the second a start may wait for its end: the start is answered "running"
 * and the worker follows the run, through the faults below. (A quicker one comes back with its start's
 * answer and is never followed.)
 */
const FOLLOWED = 'Slow Scan : Origin IP';
/** Slow Scan's "Seconds", the form's second parameter. */
const followedFor = (seconds: number) => ({ 1: String(seconds) });

/** Starts Slow Scan for 2 s on a fresh row with `rule` in place; answers the ended panel and the row's Origin IP. */
async function followThrough(rule: FaultRule | null): Promise<{ done: PanelSummary; sip: string }> {
  const { sip } = await openOnRow(page, nextRow++);
  if (rule) proxy.inject(rule);
  await startAction(page, FOLLOWED, followedFor(2));
  const done = await runEnded(page);
  return { done, sip };
}

/** Runs Echo Row on a fresh row with `rule` in place; answers the ended panel and the row's Origin IP. */
async function echoThrough(rule: FaultRule | null): Promise<{ done: PanelSummary; sip: string }> {
  const { sip } = await openOnRow(page, nextRow++);
  if (rule) proxy.inject(rule);
  await startAction(page, ECHO_ROW);
  const done = await runEnded(page);
  return { done, sip };
}

/** The run ended well and its output is the row's: the fault cost time, nothing else. */
async function expectCompleted(done: PanelSummary, sip: string): Promise<void> {
  expect(done.status, await shownText(page)).toBe('succeeded');
  expect(done.error).toBeNull();
  expect(done.stdout).toContain(sip);
  const kept = await keptJobFor(stack.browser, sip);
  expect(kept).toMatchObject({ status: 'succeeded', open: 0, error: null });
  expect(kept?.run?.output?.stdout).toContain(sip);
}

const faultsSeen = (kind: string) => proxy.requests.filter((r) => r.fault === kind);

describe('a slow network', () => {
  it('latency on every request: the catalog and the run just take longer', async () => {
    proxy.inject({ path: /^\/api\/v1\//, fault: { kind: 'latency', ms: 2_000 } });
    const { done, sip } = await echoThrough(null);
    await expectCompleted(done, sip);
    expect(faultsSeen('latency').length).toBeGreaterThanOrEqual(2);
  });
});

describe('failures while the run is followed: the run completes after a retry', () => {
  it('connection resets', async () => {
    const { done, sip } = await followThrough(polls({ kind: 'reset' }, 2));
    await expectCompleted(done, sip);
    expect(faultsSeen('reset')).toHaveLength(2);
  });

  it('502 from the gateway', async () => {
    const { done, sip } = await followThrough(polls({ kind: 'status', status: 502 }, 2));
    await expectCompleted(done, sip);
  });

  it('503 without Retry-After', async () => {
    const { done, sip } = await followThrough(polls({ kind: 'status', status: 503 }, 2));
    await expectCompleted(done, sip);
  });

  it('503 with Retry-After: Gridside waits as long as it was asked before asking again', async () => {
    const before = proxy.requests.length;
    const { done, sip } = await followThrough(polls({ kind: 'status', status: 503, retryAfter: '4' }, 1));
    await expectCompleted(done, sip);
    const seen = proxy.requests.slice(before).filter((r) => r.method === 'GET' && RUN_POLLS.test(r.path));
    const refused = seen.findIndex((r) => r.fault === 'status');
    expect(refused).toBeGreaterThanOrEqual(0);
    const next = seen[refused + 1];
    expect(next, 'no poll after the 503').toBeDefined();
    expect(next!.at - seen[refused]!.at).toBeGreaterThanOrEqual(3_900);
  });

  it('a JSON answer cut short', async () => {
    const { done, sip } = await followThrough(polls({ kind: 'truncated' }, 2));
    await expectCompleted(done, sip);
    expect(faultsSeen('truncated')).toHaveLength(2);
  });

  it('an oversized JSON answer, once', async () => {
    const { done, sip } = await followThrough(polls({ kind: 'oversized', bytes: 20 * 1024 * 1024 }, 1));
    await expectCompleted(done, sip);
  });

  it('an answer that never ends: the request times out and the next one brings the result', async () => {
    const { done, sip } = await followThrough(polls({ kind: 'hang' }, 1));
    await expectCompleted(done, sip);
    expect(faultsSeen('hang')).toHaveLength(1);
  });
});

describe('a fault that lasts: the panel says so, the run stays open and ends once the fault clears', () => {
  it('answers cut short for as long as the fault lasts', async () => {
    const { sip } = await openOnRow(page, nextRow++);
    proxy.inject(polls({ kind: 'truncated' }));
    await startAction(page, FOLLOWED, followedFor(2));
    const during = await waitForPanelState<PanelSummary>(page, (s) => s.error === 'server_error', 30_000);
    expect(during.status).not.toBe('failed');
    expect(await shownText(page)).toContain('cut short');
    // Still not given up after several damaged answers: the run goes on at the orchestrator.
    await waitForPanelState(page, () => faultsSeen('truncated').length >= 4, 30_000);
    expect((await keptJobFor(stack.browser, sip))?.open).toBe(1);
    proxy.clear();
    await expectCompleted(await runEnded(page), sip);
  });

  it('oversized answers every time: a clear error, and the job kept with it', async () => {
    const { sip } = await openOnRow(page, nextRow++);
    proxy.inject(polls({ kind: 'oversized', bytes: 20 * 1024 * 1024 }));
    await startAction(page, FOLLOWED, followedFor(2));
    const done = await runEnded(page);
    expect(done.status).toBe('failed');
    expect(done.error).toBe('bad_response');
    expect(await shownText(page)).toContain('more than 16 MB');
    const kept = await keptJobFor(stack.browser, sip);
    expect(kept).toMatchObject({ status: 'failed', open: 0, error: { code: 'bad_response' } });
    expect(kept?.run?.id).toBeTruthy();
  });
});

describe('failures before the run starts', () => {
  it('503 on the start: a clear error, the refused job in the history, and the run works once it clears', async () => {
    const { sip } = await openOnRow(page, nextRow);
    proxy.inject({
      method: 'POST',
      path: /^\/api\/v1\/runs$/,
      fault: { kind: 'status', status: 503 },
      times: 1,
    });
    await startAction(page, ECHO_ROW);
    const refused = await waitForPanelState<PanelSummary>(page, (s) => s.status === 'failed', 30_000);
    expect(refused.error).toBe('server_error');
    expect(await shownText(page)).toContain('not available right now (HTTP 503)');
    const refusedJob = await keptJobFor(stack.browser, sip);
    expect(refusedJob).toMatchObject({
      status: 'failed',
      open: 0,
      run: null,
      error: { code: 'server_error' },
    });
    await closePanel(page);
    // The analyst runs it again on the same row: the fault has passed.
    await openOnRow(page, nextRow++);
    await startAction(page, ECHO_ROW);
    await expectCompleted(await runEnded(page), sip);
    // Both are kept: the refused attempt with its reason, and the run that worked.
    const kept = await keptJobs(stack.browser);
    expect(kept.find((job) => job.id === refusedJob?.id)).toMatchObject({ status: 'failed' });
  });

  /** The first log from row `from` on with a Login, scrolled into view. */
  async function loginRow(from: number): Promise<{ index: number; value: string }> {
    const login = await page.evaluate((from) => {
      // biome-ignore lint/suspicious/noExplicitAny: the demo console exposes its ag-Grid API for tests
      const api = (window as any).gridApi.logs;
      for (let index = from; index < from + 360; index++) {
        const data = api.getDisplayedRowAtIndex(index)?.data;
        if (!data?.Login) continue;
        api.ensureIndexVisible(index, 'middle');
        api.ensureColumnVisible('Login');
        return { index, value: String(data.Login) };
      }
      return null;
    }, from);
    if (!login) throw new Error('the demo grid has no log with a Login');
    return login;
  }

  it("a side effect's start whose answer is lost: one run at the orchestrator, and the panel follows it", async () => {
    const login = await loginRow(40);
    await openPanelFromRow(page, logCell(page, login.index, 'Login'));
    const runsFor = async () =>
      (await listedRuns(stack.orchestrator)).filter((run) => Object.values(run.params).includes(login.value));
    expect(await runsFor()).toHaveLength(0);
    const seenBefore = proxy.requests.length;
    proxy.inject({ method: 'POST', path: /^\/api\/v1\/runs$/, fault: { kind: 'lose-answer' }, times: 1 });
    const shown = await startConfirmedRun(
      page,
      'Disable Account and Revoke Sessions : User (Origin)',
      login.value,
    );
    // The start went again (Chromium resends on a reused connection that was reset; else the worker does,
    // with the same key), and the orchestrator answered it with the run it had started.
    const starts = proxy.requests
      .slice(seenBefore)
      .filter((r) => r.method === 'POST' && r.path === '/api/v1/runs');
    expect(starts.map((r) => r.fault)).toEqual(['lose-answer', null]);
    expect(shown.error).toBeNull();
    expect(shown.status).toBe('pending_approval');
    const runs = await runsFor();
    expect(runs.map((run) => run.status)).toEqual(['pending_approval']);
    const kept = await keptJobFor(stack.browser, login.value);
    expect(kept).toMatchObject({ status: 'pending_approval', error: null, run: { id: runs[0]?.id } });
    // The grid back where the other tests find their rows.
    await page.evaluate(() => {
      // biome-ignore lint/suspicious/noExplicitAny: the demo console exposes its ag-Grid API for tests
      (window as any).gridApi.logs.ensureIndexVisible(0, 'top');
    });
  });

  it("a side effect's start with no answer after every attempt: Send again makes the one run, not a second", async () => {
    const login = await loginRow(400);
    await openPanelFromRow(page, logCell(page, login.index, 'Login'));
    const runsFor = async () =>
      (await listedRuns(stack.orchestrator)).filter((run) => Object.values(run.params).includes(login.value));
    const earlier = new Set((await runsFor()).map((run) => run.id));
    const made = async () => (await runsFor()).filter((run) => !earlier.has(run.id));
    const seenBefore = proxy.requests.length;
    proxy.inject({ method: 'POST', path: /^\/api\/v1\/runs$/, fault: { kind: 'lose-answer' } });
    const lost = await startConfirmedRun(
      page,
      'Disable Account and Revoke Sessions : User (Origin)',
      login.value,
    );
    expect(lost.status).toBe('failed');
    expect(await shownText(page)).toContain('may have started on the orchestrator');
    // Every attempt reached the orchestrator, which made one run for the job's key.
    const [run, ...more] = await made();
    expect(more).toEqual([]);

    proxy.clear();
    await shadowClick(page, '.row-buttons button', { text: 'Send again' });
    const followed = await waitForPanelState<PanelSummary>(
      page,
      (s) => s.status === 'pending_approval',
      20_000,
    );
    expect(followed.error).toBeNull();
    expect((await made()).map((found) => found.id)).toEqual([run?.id]);
    const starts = proxy.requests
      .slice(seenBefore)
      .filter((r) => r.method === 'POST' && r.path === '/api/v1/runs');
    expect(starts.length).toBeGreaterThan(1);
    expect(starts.at(-1)?.fault).toBeNull();
    const kept = await keptJobFor(stack.browser, login.value);
    expect(kept).toMatchObject({ status: 'pending_approval', error: null, run: { id: run?.id } });
    await page.evaluate(() => {
      // biome-ignore lint/suspicious/noExplicitAny: the demo console exposes its ag-Grid API for tests
      (window as any).gridApi.logs.ensureIndexVisible(0, 'top');
    });
  });

  it('a catalog answer that never ends: the panel says the orchestrator did not answer in time', async () => {
    // The worker keeps the catalog for a minute; a worker Chrome restarted asks the orchestrator again.
    await stack.browser.killWorker();
    proxy.inject({ method: 'GET', path: /^\/api\/v1\/actions/, fault: { kind: 'hang' } });
    const { state } = await openOnRow(page, nextRow++);
    expect(state.catalog).toBe('error');
    expect(await shownText(page)).toContain('did not answer in time');
    await closePanel(page);
    proxy.clear();
    const again = await openOnRow(page, nextRow++);
    expect(again.state.catalog).toBe('ready');
  });
});
