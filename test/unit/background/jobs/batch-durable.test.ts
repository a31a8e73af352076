import 'fake-indexeddb/auto';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { type Connector, ConnectorError } from '../../../../src/background/connectors/connector.ts';
import { type GridsideDatabase, openGridsideDb } from '../../../../src/background/db.ts';
import {
  type BatchRunner,
  createBatchRunner,
  createJobEndings,
} from '../../../../src/background/jobs/batch.ts';
import { createRunCache } from '../../../../src/background/jobs/cache.ts';
import { createJobEngine, type JobEngine } from '../../../../src/background/jobs/job-engine.ts';
import { type TabRef, toJob } from '../../../../src/background/jobs/job-record.ts';
import { createJobStore, type JobStore } from '../../../../src/background/jobs/job-store.ts';
import type { Action } from '../../../../src/core/api.ts';
import type { ContentPush } from '../../../../src/core/messages.ts';
import type { RowContext } from '../../../../src/core/row-context.ts';
import { sampleAction, sampleContext } from '../fake-orchestrator.ts';
import { type FakeConnector, fakeConnector } from '../history/fake-connector.ts';

/**
 * A batch survives the browser stopping the service worker: a "worker" here is an engine, a cache and a
 * batch runner over one fake-indexeddb database, as main.ts wires them. A killed worker is one whose
 * engine is stopped and whose objects are never used again; the restarted one is built anew over the
 * same database and orchestrator.
 */

let count = 0;
let db: Promise<GridsideDatabase>;
const engines: JobEngine[] = [];
const TAB: TabRef = { tabId: 7, frameId: 0 };

beforeEach(() => {
  db = openGridsideDb(`gridside-batch-durable-test-${++count}`);
});
afterEach(async () => {
  for (const engine of engines.splice(0)) engine.stop();
  (await db).close();
});

function rowWith(i: number): RowContext {
  return {
    ...sampleContext,
    key: { value: `r${i}`, source: 'column', confidence: 'high' },
    fields: { SIP: ip(i) },
  };
}
const ip = (i: number) => `10.0.0.${i}`;
const rows = (n: number) => Array.from({ length: n }, (_, i) => rowWith(i));

/** One worker's wiring. */
function worker(
  connector: Connector,
  options: {
    actionNow?: (context: RowContext) => Promise<Action | undefined>;
    /** Wraps the worker's job store (to watch its writes). */
    store?: (store: JobStore) => JobStore;
    /** Rows of a new batch sent together, as main.ts wires the worker; otherwise one by one, four at once. */
    together?: boolean;
  } = {},
) {
  const pushed: ContentPush[] = [];
  const own = createJobStore(db);
  const store = options.store ? options.store(own) : own;
  const endings = createJobEndings(async (id) => {
    const job = await store.get(id);
    return job ? toJob(job) : undefined;
  });
  let fanOut = async (_tab: TabRef, message: ContentPush) => {
    pushed.push(message);
    endings.notice(message);
  };
  const engine = createJobEngine({
    store,
    connectorFor: async () => connector,
    push: (t, m) => fanOut(t, m),
  });
  engines.push(engine);
  const cache = createRunCache({ db, store, engine });
  fanOut = ((base) => cache.fanOut(base))(fanOut);
  const actionNow = options.actionNow;
  const batch = createBatchRunner({
    store,
    startJob: (request) => cache.start(request),
    ended: endings.ended,
    tell: (job) => fanOut(TAB, { type: 'job.update', job: toJob(job) }),
    cached: (requests) => cache.answers(requests),
    ...(actionNow ? { actionNow: (_o: string, _a: string, context: RowContext) => actionNow(context) } : {}),
    ...(options.together
      ? { startJobs: (requests: Parameters<typeof cache.startMany>[0]) => cache.startMany(requests) }
      : // The scenarios sending rows one by one count them in flight by fours.
        { concurrency: 4 }),
  });
  return { engine, batch, store, pushed };
}

/**
 * A side-effect action started alone on row 1, then a batch of it over rows 0..n-1 on `running`: row 1's
 * batch job is recorded as not run again. Answers the worker, with the single run's job.
 */
async function batchBesideARun(running: ReturnType<typeof worker>, n: number) {
  const disable = sampleAction({ sideEffects: true });
  const single = await running.engine.start({
    orchestratorId: 'main',
    action: disable,
    params: { ip: ip(1) },
    context: rowWith(1),
    tab: TAB,
  });
  const { jobIds } = await running.batch.start({
    orchestratorId: 'main',
    action: disable,
    rows: rows(n),
    tab: TAB,
    confirmed: true,
  });
  const { store } = running;
  await vi.waitFor(async () => expect((await store.get(jobIds[1] ?? ''))?.status).toBe('failed'));
  expect((await store.get(jobIds[1] ?? ''))?.error?.message).toMatch(/already running on this row/);
  return { ...running, single };
}

/** An orchestrator that takes start requests and never answers them (the worker dies waiting). */
function silentOrchestrator(): FakeConnector {
  const connector = fakeConnector();
  connector.startRun = async (request) => {
    connector.starts.push(request);
    return new Promise(() => {});
  };
  return connector;
}

/** Counts how many runs are going at the orchestrator at once, as each start arrives. */
function countingConcurrency(connector: FakeConnector) {
  const finished = new Set<string>();
  let most = 0;
  const startRun = connector.startRun.bind(connector);
  connector.startRun = async (request, signal) => {
    const run = await startRun(request, signal);
    most = Math.max(most, connector.starts.length - finished.size);
    return run;
  };
  return {
    most: () => most,
    finishAll() {
      for (let i = 1; i <= connector.starts.length; i++) {
        const id = `run-${i}`;
        if (finished.has(id)) continue;
        finished.add(id);
        connector.finish(id);
      }
    },
  };
}

/** The analyst's "Run on N selected rows" with the sample read-only action, from TAB. */
const runOnRows = (batch: BatchRunner, n: number) =>
  batch.start({ orchestratorId: 'main', action: sampleAction(), rows: rows(n), tab: TAB, confirmed: false });

const startedIps = (connector: FakeConnector) => connector.starts.map((s) => s.params.ip);

describe('a batch survives a stopped service worker', () => {
  it('stores every row before answering, the ones not yet sent marked as waiting and invisible to the page', async () => {
    const connector = fakeConnector();
    const { batch, store } = worker(connector);
    const { jobIds } = await runOnRows(batch, 10);
    for (const id of jobIds) expect(await store.get(id)).toBeDefined();
    await vi.waitFor(() => expect(connector.starts).toHaveLength(4));

    for (const [i, id] of jobIds.entries()) {
      const row = await store.get(id);
      expect(row?.tab).toEqual(TAB);
      expect(row?.params.ip).toBe(ip(i));
      expect(row?.batch?.order).toBe(i);
      if (i < 4) continue;
      expect(row?.status).toBe('submitting');
      expect(row?.queued?.action.id).toBe(sampleAction().id);
      expect(row && Object.keys(toJob(row))).not.toContain('queued');
      expect(row && Object.keys(toJob(row))).not.toContain('batch');
    }
    const sent = await Promise.all(jobIds.slice(0, 4).map((id) => store.get(id)));
    expect(sent.every((row) => row?.queued === undefined && row?.runId !== null)).toBe(true);
  });

  it('writes each row once before sending it: the first as start records, the rest taken off the queue', async () => {
    const connector = fakeConnector();
    /** Rows taken off the queue, and start records written after the batch's own write. */
    const taken: string[] = [];
    const startRecords: string[] = [];
    const { batch, store } = worker(connector, {
      store: (own) => ({
        ...own,
        put: (job) => {
          if (job.status === 'submitting' && !job.queued) startRecords.push(job.id);
          return own.put(job);
        },
        change: (jobId, edit) => {
          taken.push(jobId);
          return own.change(jobId, edit);
        },
      }),
    });
    // Row 1 repeats row 0's values: it waits for row 0 and the cache. Of the four rows the queue takes at
    // once (this worker's concurrency), rows 0, 2 and 3 are sent first.
    const selected = rows(7);
    selected[1] = { ...selected[1]!, fields: { SIP: ip(0) } };
    const { jobIds } = await batch.start({
      orchestratorId: 'main',
      action: sampleAction(),
      rows: selected,
      tab: TAB,
      confirmed: false,
    });
    await vi.waitFor(() => expect(connector.starts).toHaveLength(3));
    expect(startedIps(connector)).toEqual([0, 2, 3].map(ip));
    // The batch's one write recorded them as a start alone is recorded: nothing taken off the queue,
    // nothing written again. What a restarted worker would find: sent, never to be sent again.
    expect(taken).toEqual([]);
    expect(startRecords).toEqual([]);
    for (const i of [0, 2, 3]) expect((await store.get(jobIds[i]!))?.queued).toBeUndefined();
    for (const i of [1, 4, 5, 6]) expect((await store.get(jobIds[i]!))?.queued).toBeDefined();

    // Row 0 ends: row 1 is taken off the queue and answered from the cache, and rows 4 and 5 take the two
    // places freed; each is taken off the queue, which writes its start record, and sent without writing
    // it again.
    connector.finish('run-1');
    await vi.waitFor(() => expect(connector.starts).toHaveLength(5));
    expect(startedIps(connector)).toEqual([0, 2, 3, 4, 5].map(ip));
    await vi.waitFor(async () => expect((await store.get(jobIds[1]!))?.status).toBe('succeeded'));
    expect((await store.get(jobIds[1]!))?.cachedAt).not.toBeNull();
    expect(taken).toEqual([1, 4, 5].map((i) => jobIds[i]));
    expect(startRecords).toEqual([]);
  });

  it('a restarted worker sends the rows left waiting, in order and at most 4 at once, and every row finishes', async () => {
    const orchestrator = fakeConnector();
    const concurrency = countingConcurrency(orchestrator);
    const before = worker(orchestrator);
    const { jobIds } = await runOnRows(before.batch, 10);
    await vi.waitFor(() => expect(orchestrator.starts).toHaveLength(4));
    before.engine.stop(); // Chrome stops the worker while rows 0–3 run and 4–9 wait.

    const after = worker(orchestrator);
    expect(await after.engine.resumeUnfinished('restart')).toBe(4);
    expect(await after.batch.resume()).toBe(6);
    // Rows 0–3 still run at the orchestrator and keep their slots: nothing new starts until they end.
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(orchestrator.starts).toHaveLength(4);
    concurrency.finishAll();
    await vi.waitFor(() => expect(orchestrator.starts).toHaveLength(8));
    // Rows 4–7 take the four slots; 8 and 9 wait for one of them.
    expect(startedIps(orchestrator).slice(4).sort()).toEqual([4, 5, 6, 7].map(ip));
    expect(await after.batch.resume()).toBe(0);

    while (orchestrator.starts.length < 10 || (await after.store.unfinished()).length > 0) {
      concurrency.finishAll();
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    await after.batch.idle();
    expect(startedIps(orchestrator).slice(8).sort()).toEqual([8, 9].map(ip));
    expect(startedIps(orchestrator).sort()).toEqual(
      rows(10)
        .map((_, i) => ip(i))
        .sort(),
    );
    expect(concurrency.most()).toBeLessThanOrEqual(4);
    for (const id of jobIds) expect((await after.store.get(id))?.status).toBe('succeeded');
    // The panel's tab hears about the rows the new worker ran.
    const told = new Set(after.pushed.flatMap((m) => (m.type === 'job.update' ? [m.job.id] : [])));
    for (const id of jobIds.slice(4)) expect(told.has(id)).toBe(true);
  });

  it('fails rows that were sent but never confirmed, and never fails or resends rows that were not sent', async () => {
    const silent = silentOrchestrator();
    const before = worker(silent);
    const { jobIds } = await before.batch.start({
      orchestratorId: 'main',
      action: sampleAction({ sideEffects: true }),
      rows: rows(6),
      tab: TAB,
      confirmed: true,
    });
    await vi.waitFor(() => expect(silent.starts).toHaveLength(4));
    before.engine.stop();

    const orchestrator = fakeConnector({ finishAtOnce: true });
    const after = worker(orchestrator);
    await after.engine.resumeUnfinished('restart');
    await after.engine.idle();
    for (const id of jobIds.slice(0, 4)) {
      const row = await after.store.get(id);
      expect(row?.status).toBe('failed');
      expect(row?.error?.message).toMatch(/restarted before the orchestrator confirmed/);
    }
    for (const id of jobIds.slice(4)) {
      const row = await after.store.get(id);
      expect(row?.status).toBe('submitting');
      expect(row?.queued).toBeDefined();
    }

    await after.batch.resume();
    await after.batch.idle();
    await after.engine.idle();
    // Only the two rows never sent go to the orchestrator; the maybe-sent ones are not repeated.
    expect(startedIps(orchestrator)).toEqual([ip(4), ip(5)]);
    for (const id of jobIds.slice(4)) expect((await after.store.get(id))?.status).toBe('succeeded');
  });

  it('cancels a row that has not been sent yet: it is never sent, and the tab is told', async () => {
    const orchestrator = fakeConnector();
    const concurrency = countingConcurrency(orchestrator);
    const { batch, engine, store, pushed } = worker(orchestrator);
    const { jobIds } = await runOnRows(batch, 6);
    await vi.waitFor(() => expect(orchestrator.starts).toHaveLength(4));
    const canceled = await engine.cancel(jobIds[5] ?? '');
    expect(canceled.status).toBe('canceled');
    expect(
      pushed.some((m) => m.type === 'job.update' && m.job.id === jobIds[5] && m.job.status === 'canceled'),
    ).toBe(true);

    while ((await store.unfinished()).length > 0) {
      concurrency.finishAll();
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    await batch.idle();
    expect(startedIps(orchestrator).sort()).toEqual([0, 1, 2, 3, 4].map(ip));
    expect((await store.get(jobIds[5] ?? ''))?.status).toBe('canceled');
    // A restarted worker does not send it either.
    expect(await worker(orchestrator).batch.resume()).toBe(0);
  });

  it("the heartbeat's resume while the batch still runs in this worker sends no row twice", async () => {
    const orchestrator = fakeConnector();
    const concurrency = countingConcurrency(orchestrator);
    const { batch, store } = worker(orchestrator);
    const { jobIds } = await batch.start({
      orchestratorId: 'main',
      action: sampleAction({ sideEffects: true }),
      rows: rows(12),
      tab: TAB,
      confirmed: true,
    });
    expect(await batch.resume()).toBe(0);
    while ((await store.unfinished()).length > 0) {
      concurrency.finishAll();
      expect(await batch.resume()).toBe(0);
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    await batch.idle();
    expect(startedIps(orchestrator).sort()).toEqual(
      rows(12)
        .map((_, i) => ip(i))
        .sort(),
    );
    expect(concurrency.most()).toBeLessThanOrEqual(4);
    for (const id of jobIds) expect((await store.get(id))?.status).toBe('succeeded');
  });

  it('two queues racing for the same waiting rows send each row once', async () => {
    const orchestrator = fakeConnector();
    const concurrency = countingConcurrency(orchestrator);
    const before = worker(orchestrator);
    const { jobIds } = await before.batch.start({
      orchestratorId: 'main',
      action: sampleAction({ sideEffects: true }),
      rows: rows(12),
      tab: TAB,
      confirmed: true,
    });
    await vi.waitFor(() => expect(orchestrator.starts).toHaveLength(4));
    before.engine.stop();

    // Two workers overlap for a moment (a restart racing the heartbeat): both resume the same rows.
    const one = worker(orchestrator);
    const other = worker(orchestrator);
    await Promise.all([one.engine.resumeUnfinished('restart'), other.engine.resumeUnfinished('restart')]);
    await Promise.all([one.batch.resume(), other.batch.resume()]);
    while ((await one.store.unfinished()).length > 0) {
      concurrency.finishAll();
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    await Promise.all([one.batch.idle(), other.batch.idle()]);
    expect(startedIps(orchestrator).sort()).toEqual(
      rows(12)
        .map((_, i) => ip(i))
        .sort(),
    );
    for (const id of jobIds) expect((await one.store.get(id))?.status).toBe('succeeded');
  });

  it('a batch row whose action already runs on that row is recorded as not run again, not left waiting', async () => {
    const orchestrator = fakeConnector();
    const { batch, store, single } = await batchBesideARun(worker(orchestrator), 2);
    expect(startedIps(orchestrator)).toEqual([ip(1), ip(0)]);
    orchestrator.finish('run-1');
    orchestrator.finish('run-2');
    await batch.idle();
    expect((await store.get(single.id))?.status).toBe('succeeded');
    expect(await store.unfinished()).toEqual([]);
  });

  it('fails a resumed row whose action or orchestrator is gone, in plain words, and keeps rows it cannot check yet', async () => {
    const silent = silentOrchestrator();
    const before = worker(silent);
    const { jobIds } = await runOnRows(before.batch, 7);
    await vi.waitFor(() => expect(silent.starts).toHaveLength(4));
    before.engine.stop();

    const orchestrator = fakeConnector({ finishAtOnce: true });
    const after = worker(orchestrator, {
      actionNow: async (context) => {
        if (context.key.value === 'r4') return undefined;
        if (context.key.value === 'r5') {
          throw new ConnectorError(
            'not_configured',
            'The orchestrator this run used is no longer configured.',
          );
        }
        throw new ConnectorError('unreachable', 'The orchestrator did not answer.');
      },
    });
    await after.engine.resumeUnfinished('restart');
    await after.batch.resume();
    await after.batch.idle();
    const [gone, unconfigured, unchecked] = await Promise.all(
      jobIds.slice(4).map((id) => after.store.get(id)),
    );
    expect(gone?.status).toBe('failed');
    expect(gone?.error?.message).toBe('Not run: the orchestrator no longer offers Look up IP owner.');
    expect(unconfigured?.status).toBe('failed');
    expect(unconfigured?.error?.message).toMatch(/no longer configured/);
    expect(unchecked?.status).toBe('submitting');
    expect(unchecked?.queued).toBeDefined();
    expect(orchestrator.starts).toHaveLength(0);
    expect(after.pushed.some((m) => m.type === 'job.update' && m.job.id === jobIds[4])).toBe(true);
  });
});

describe('a batch sent together survives a stopped service worker', () => {
  /** An orchestrator whose many-run starts wait for `release`, each request counted. */
  function heldOrchestrator(options: { finishAtOnce?: boolean } = {}) {
    const connector = fakeConnector({ ...options, manyStarts: true });
    const startRuns = connector.startRuns?.bind(connector);
    const gates: Array<() => void> = [];
    connector.startRuns = async (requests, signal) => {
      await new Promise<void>((resolve) => gates.push(resolve));
      return startRuns ? startRuns(requests, signal) : [];
    };
    return { connector, requests: () => gates.length, release: (n: number) => gates[n]?.() };
  }

  it('a worker stopped while the later rows are on their way fails them as unconfirmed and sends none twice', async () => {
    const held = heldOrchestrator();
    const before = worker(held.connector, { together: true });
    const { jobIds } = await runOnRows(before.batch, 10);
    await vi.waitFor(() => expect(held.requests()).toBe(1));
    // Rows 4–9 are still waiting while the first request is on its way.
    for (const id of jobIds.slice(4)) expect((await before.store.get(id))?.queued).toBeDefined();
    held.release(0);
    await vi.waitFor(() => expect(held.requests()).toBe(2));
    // Taken off the queue in one transaction before their request left: none is waiting any more.
    for (const id of jobIds.slice(4)) expect((await before.store.get(id))?.queued).toBeUndefined();
    before.engine.stop(); // Chrome stops the worker before the orchestrator answers the second request.

    const after = worker(held.connector, { together: true });
    await after.engine.resumeUnfinished('restart');
    expect(await after.batch.resume()).toBe(0);
    for (const id of jobIds.slice(4)) {
      await vi.waitFor(async () => expect((await after.store.get(id))?.status).toBe('failed'));
      const row = await after.store.get(id);
      expect(row?.error?.message).toMatch(/restarted before the orchestrator confirmed/);
    }
    for (const id of jobIds.slice(0, 4)) expect((await after.store.get(id))?.runId).not.toBeNull();
    expect(held.requests()).toBe(2);
  });

  it('a row canceled before the later rows are taken is never sent, and the rest still go in one request', async () => {
    const held = heldOrchestrator();
    const { batch, engine, store } = worker(held.connector, { together: true });
    const { jobIds } = await runOnRows(batch, 8);
    await vi.waitFor(() => expect(held.requests()).toBe(1));
    expect((await engine.cancel(jobIds[6] ?? '')).status).toBe('canceled');
    // The heartbeat's resume meanwhile leaves the waiting rows to this batch.
    expect(await batch.resume()).toBe(0);
    held.release(0);
    await vi.waitFor(() => expect(held.requests()).toBe(2));
    held.release(1);
    await vi.waitFor(() => expect(held.connector.starts).toHaveLength(7));
    expect(held.connector.manyStarts).toEqual([4, 3]);
    expect(startedIps(held.connector)).toEqual([0, 1, 2, 3, 4, 5, 7].map(ip));
    for (let n = 1; n <= 7; n++) held.connector.finish(`run-${n}`);
    await batch.idle();
    await engine.idle();
    expect((await store.get(jobIds[6] ?? ''))?.status).toBe('canceled');
    for (const id of jobIds.filter((_, i) => i !== 6))
      expect((await store.get(id))?.status).toBe('succeeded');
    expect(await store.unfinished()).toEqual([]);
  });

  it('a row whose action already runs on that row is recorded as not run again, the others sent together', async () => {
    const orchestrator = fakeConnector({ manyStarts: true });
    const { batch, store, single } = await batchBesideARun(worker(orchestrator, { together: true }), 3);
    await vi.waitFor(() => expect(startedIps(orchestrator)).toEqual([ip(1), ip(0), ip(2)]));
    for (const n of [1, 2, 3]) orchestrator.finish(`run-${n}`);
    await batch.idle();
    expect((await store.get(single.id))?.status).toBe('succeeded');
    expect(await store.unfinished()).toEqual([]);
  });
});
