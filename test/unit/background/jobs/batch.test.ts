import 'fake-indexeddb/auto';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createPush } from '../../../../src/background/channels/push.ts';
import { ConnectorError } from '../../../../src/background/connectors/connector.ts';
import { type GridsideDatabase, openGridsideDb } from '../../../../src/background/db.ts';
import { createBatchRunner, createJobEndings } from '../../../../src/background/jobs/batch.ts';
import { createRunCache } from '../../../../src/background/jobs/cache.ts';
import { createJobEngine, type JobEngine } from '../../../../src/background/jobs/job-engine.ts';
import { type TabRef, toJob } from '../../../../src/background/jobs/job-record.ts';
import { createJobStore, type JobStore } from '../../../../src/background/jobs/job-store.ts';
import type { ContentPush } from '../../../../src/core/messages.ts';
import type { RowContext } from '../../../../src/core/row-context.ts';
import { createFakeBrowser } from '../../../support/fake-browser.ts';
import { sampleAction, sampleContext } from '../fake-orchestrator.ts';
import { type FakeConnector, fakeConnector } from '../history/fake-connector.ts';

let count = 0;
let db: Promise<GridsideDatabase>;
let connector: FakeConnector;
let engine: JobEngine;
const TAB: TabRef = { tabId: 7, frameId: 0 };

beforeEach(() => {
  db = openGridsideDb(`gridside-batch-test-${++count}`);
});
afterEach(async () => {
  engine.stop();
  (await db).close();
});

function rowWith(i: number, ip: string | null): RowContext {
  return {
    ...sampleContext,
    key: { value: `r${i}`, source: 'column', confidence: 'high' },
    fields: ip ? { SIP: ip } : {},
  };
}

/** The worker's wiring, as main.ts builds it: engine → cache → batch, pushes tapped for job endings. */
function build(
  options: {
    manyRunsWait?: boolean;
    manyStarts?: boolean;
    /** Telling the page about a row recorded by the batch itself waits for this (a busy page). */
    tellGate?: Promise<void>;
  } = {},
) {
  connector = fakeConnector(options);
  const pushed: ContentPush[] = [];
  // What reaches the console page, through the worker's own transport.
  const browser = createFakeBrowser();
  const transport = createPush(browser.tabs);
  const own = createJobStore(db);
  /** Each many-jobs write, by the statuses it wrote. */
  const writes: string[][] = [];
  const store: JobStore = {
    ...own,
    putAll: (jobs) => {
      writes.push(jobs.map((job) => job.status));
      return own.putAll(jobs);
    },
  };
  const endings = createJobEndings(async (id) => {
    const job = await store.get(id);
    return job ? toJob(job) : undefined;
  });
  let fanOut = async (tab: TabRef, message: ContentPush) => {
    pushed.push(message);
    endings.notice(message);
    await transport(tab, message);
  };
  engine = createJobEngine({ store, connectorFor: async () => connector, push: (t, m) => fanOut(t, m) });
  const cache = createRunCache({ db, store, engine });
  fanOut = ((base) => cache.fanOut(base))(fanOut);
  const batch = createBatchRunner({
    store,
    startJob: (request) => cache.start(request),
    startJobs: async (requests) => {
      const answers = await cache.startMany(requests);
      for (const job of answers)
        if (!(job instanceof Error) && job.cachedAt !== null) await fanOut(TAB, { type: 'job.update', job });
      return answers;
    },
    ended: endings.ended,
    tell: async (job) => {
      await options.tellGate;
      await fanOut(TAB, { type: 'job.update', job: toJob(job) });
    },
    cached: (requests) => cache.answers(requests),
  });
  return { batch, pushed, store, writes, sent: browser.sent };
}

/** The analyst's "Run on N selected rows" with the sample read-only action, from TAB. */
const startRows = (batch: ReturnType<typeof build>['batch'], rows: RowContext[]) =>
  batch.start({ orchestratorId: 'main', action: sampleAction(), rows, tab: TAB, confirmed: false });

describe('batch runs on selected rows', () => {
  it('submits all 20 rows at once, each with its own values, and follows them with one poll', async () => {
    const { batch, store } = build({ manyRunsWait: true });
    const rows = Array.from({ length: 20 }, (_, i) => rowWith(i, `10.0.0.${i}`));
    const { jobIds } = await startRows(batch, rows);
    expect(jobIds).toHaveLength(20);
    expect(new Set(jobIds).size).toBe(20);
    // Every row is submitted although none has ended: the orchestrator queues them itself.
    await vi.waitFor(() => expect(connector.starts).toHaveLength(20));
    // Followed together: the poll names every submitted row.
    await vi.waitFor(() => expect(connector.manyPolls.held).toBe(1));
    await vi.waitFor(() => expect(connector.manyPolls.runsNamed.at(-1)).toBe(20));

    // Ends in an order of the orchestrator's choosing, not the analyst's.
    const order = new Set([8, 1, 20, 4, ...Array.from({ length: 20 }, (_, i) => i + 1)]);
    for (const n of order) connector.finish(`run-${n}`);
    await batch.idle();
    await engine.idle();
    // One poll held at a time for the whole batch, and no run was polled on its own.
    expect(connector.manyPolls.mostHeld).toBe(1);
    expect(connector.polls).toBe(0);
    expect(connector.starts.map((s) => s.params.ip).sort()).toEqual(rows.map((r) => r.fields.SIP).sort());
    for (const [i, id] of jobIds.entries()) {
      const job = await store.get(id);
      expect(job?.status).toBe('succeeded');
      expect(job?.context.key.value).toBe(`r${i}`);
      expect(job?.params.ip).toBe(`10.0.0.${i}`);
    }
  });

  it('saves the rows one answer ended in one transaction, and tells the tab in one message', async () => {
    const { batch, store, writes, sent } = build({ manyRunsWait: true });
    const rows = Array.from({ length: 5 }, (_, i) => rowWith(i, `10.0.4.${i}`));
    const { jobIds } = await startRows(batch, rows);
    await vi.waitFor(() => expect(connector.manyPolls.runsNamed.at(-1)).toBe(5));
    const before = sent.length;
    // Three runs end together: the held poll answers them in one answer.
    for (const n of [2, 3, 5]) connector.finish(`run-${n}`);
    await vi.waitFor(async () => expect((await store.get(jobIds[2]!))?.status).toBe('succeeded'));
    expect(writes.at(-1)).toEqual(['succeeded', 'succeeded', 'succeeded']);
    const told = sent.slice(before).map((s) => s.message as ContentPush);
    expect(told).toHaveLength(1);
    const [together] = told;
    expect(together?.type === 'jobs.update' && together.jobs.map((job) => job.status)).toEqual([
      'succeeded',
      'succeeded',
      'succeeded',
    ]);
    for (const n of [1, 4]) connector.finish(`run-${n}`);
    await batch.idle();
    await engine.idle();
    for (const id of jobIds) expect((await store.get(id))?.status).toBe('succeeded');
  });

  it('starts the rows a few to a request where the engine starts many at once, every row with its own run', async () => {
    const { batch, store } = build({ manyRunsWait: true, manyStarts: true });
    const rows = Array.from({ length: 12 }, (_, i) => rowWith(i, `10.0.5.${i}`));
    const { jobIds } = await startRows(batch, rows);
    await vi.waitFor(() => expect(connector.starts).toHaveLength(12));
    // Fewer requests than rows, every start in one of them.
    expect(connector.manyStarts.length).toBeLessThan(12);
    expect(connector.manyStarts.reduce((a, b) => a + b, 0)).toBe(12);
    for (let n = 1; n <= 12; n++) connector.finish(`run-${n}`);
    await batch.idle();
    await engine.idle();
    const runIds = new Set<string | null>();
    for (const [i, id] of jobIds.entries()) {
      const job = await store.get(id);
      expect(job?.status).toBe('succeeded');
      expect(job?.params.ip).toBe(`10.0.5.${i}`);
      expect(job?.run?.params.ip).toBe(`10.0.5.${i}`);
      runIds.add(job?.runId ?? null);
    }
    expect(runIds.size).toBe(12);
  });

  it('sends a batch of 20 in two requests and a handful of storage transactions, the first four first', async () => {
    const { batch, store } = build({ manyRunsWait: true, manyStarts: true });
    const transactions = vi.spyOn(IDBDatabase.prototype, 'transaction');
    const rows = Array.from({ length: 20 }, (_, i) => rowWith(i, `10.0.8.${i}`));
    const { jobIds } = await startRows(batch, rows);
    await vi.waitFor(async () => {
      const sent = await store.getMany(jobIds);
      expect([...sent.values()].filter((job) => job.runId !== null)).toHaveLength(20);
    });
    // The first four set out at once; the other sixteen follow in one request once it was answered.
    expect(connector.manyStarts).toEqual([4, 16]);
    expect(connector.starts.map((start) => start.params.ip)).toEqual(rows.map((row) => row.fields.SIP));
    // One by one, each row cost four or five transactions of its own (about 90 for this batch). Now: the
    // cache read at the start and the rows written; then for each request the cache, the rows' jobs and
    // the answers read or written once, and the later rows taken off the queue in one transaction.
    expect(transactions.mock.calls.length).toBeLessThanOrEqual(14);
    transactions.mockRestore();
    for (let n = 1; n <= 20; n++) connector.finish(`run-${n}`);
    await batch.idle();
    await engine.idle();
    for (const id of jobIds) expect((await store.get(id))?.status).toBe('succeeded');
  });

  it('follows each row on its own at an engine that cannot wait on many runs, all rows still submitted at once', async () => {
    const { batch, store } = build();
    const rows = Array.from({ length: 8 }, (_, i) => rowWith(i, `10.0.1.${i}`));
    const { jobIds } = await startRows(batch, rows);
    await vi.waitFor(() => expect(connector.starts).toHaveLength(8));
    await vi.waitFor(() => expect(connector.polls).toBe(8));
    for (let i = 1; i <= 8; i++) connector.finish(`run-${i}`);
    await batch.idle();
    await engine.idle();
    for (const id of jobIds) expect((await store.get(id))?.status).toBe('succeeded');
  });

  it('follows each row on its own when the orchestrator has no many-runs wait (an older version)', async () => {
    const { batch, store } = build({ manyRunsWait: true });
    connector.waitForRuns = async () => {
      throw new ConnectorError('not_found', 'The orchestrator has no POST /api/v1/runs/wait.');
    };
    const rows = Array.from({ length: 3 }, (_, i) => rowWith(i, `10.0.3.${i}`));
    const { jobIds } = await startRows(batch, rows);
    await vi.waitFor(() => expect(connector.polls).toBe(3));
    for (let i = 1; i <= 3; i++) connector.finish(`run-${i}`);
    await batch.idle();
    await engine.idle();
    for (const id of jobIds) expect((await store.get(id))?.status).toBe('succeeded');
  });

  it('cancels the submitted rows of a batch at the orchestrator', async () => {
    const { batch, store } = build({ manyRunsWait: true });
    const rows = Array.from({ length: 5 }, (_, i) => rowWith(i, `10.0.2.${i}`));
    const { jobIds } = await startRows(batch, rows);
    await vi.waitFor(async () => {
      for (const id of jobIds) expect((await store.get(id))?.runId).toBeTruthy();
    });
    connector.finish('run-1');
    const first = (await Promise.all(jobIds.map((id) => store.get(id)))).find(
      (job) => job?.runId === 'run-1',
    );
    await vi.waitFor(async () => expect((await store.get(first?.id ?? ''))?.status).toBe('succeeded'));
    const canceled = await Promise.all(jobIds.map((id) => engine.cancel(id)));
    expect(connector.cancels.sort()).toEqual(['run-2', 'run-3', 'run-4', 'run-5']);
    await batch.idle();
    await engine.idle();
    expect(canceled.map((job) => job.status).sort()).toEqual([
      'canceled',
      'canceled',
      'canceled',
      'canceled',
      'succeeded',
    ]);
    for (const id of jobIds) expect((await store.get(id))?.open).toBe(0);
  });

  it('sends a repeated read-only row only after the first ended, and answers it from the cache', async () => {
    const { batch, store } = build({ manyRunsWait: true });
    const rows = [
      rowWith(0, '192.0.2.7'),
      rowWith(1, '192.0.2.8'),
      rowWith(2, '192.0.2.7'),
      rowWith(3, '192.0.2.7'),
    ];
    const { jobIds } = await startRows(batch, rows);
    await vi.waitFor(() => expect(connector.starts).toHaveLength(2));
    expect(connector.starts.map((s) => s.params.ip)).toEqual(['192.0.2.7', '192.0.2.8']);
    connector.finish('run-1');
    connector.finish('run-2');
    await batch.idle();
    await engine.idle();
    expect(connector.starts).toHaveLength(2);
    for (const id of [jobIds[2], jobIds[3]]) {
      const job = await store.get(id ?? '');
      expect(job?.status).toBe('succeeded');
      expect(job?.cachedAt).not.toBeNull();
    }
  });

  it('records a row that lacks a required value as failed, saying which, and runs the rest', async () => {
    const { batch, store, pushed } = build();
    const rows = [rowWith(1, '10.0.0.1'), rowWith(2, null)];
    const { jobIds } = await startRows(batch, rows);
    await vi.waitFor(() => expect(connector.starts).toHaveLength(1));
    connector.finish('run-1');
    await batch.idle();
    await engine.idle();
    const lacking = await store.get(jobIds[1] ?? '');
    expect(lacking?.status).toBe('failed');
    expect(lacking?.error?.message).toMatch(/no value for IP address/);
    expect(pushed.some((m) => m.type === 'job.update' && m.job.id === jobIds[1])).toBe(true);
    expect(connector.starts).toHaveLength(1);
  });

  it('sends the rows that can run without waiting for the others to be recorded', async () => {
    let release = () => {};
    const tellGate = new Promise<void>((resolve) => {
      release = resolve;
    });
    const { batch, store } = build({ tellGate });
    const started = startRows(batch, [rowWith(1, null), rowWith(2, '10.0.6.2'), rowWith(3, null)]);
    // The runnable row reaches the orchestrator while the rows lacking a value are still being recorded.
    await vi.waitFor(() => expect(connector.starts.map((s) => s.params.ip)).toEqual(['10.0.6.2']));
    // The ids are answered only once every row has its record.
    let answered = false;
    void started.then(() => {
      answered = true;
    });
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(answered).toBe(false);
    release();
    const { jobIds } = await started;
    expect((await store.get(jobIds[0]!))?.status).toBe('failed');
    expect((await store.get(jobIds[2]!))?.status).toBe('failed');
    connector.finish('run-1');
    await batch.idle();
    await engine.idle();
    expect((await store.get(jobIds[1]!))?.status).toBe('succeeded');
  });

  it('answers the rows the cache holds at the start, so the rows that must run set out together', async () => {
    const { batch, store, pushed } = build({ manyRunsWait: true, manyStarts: true });
    await startRows(batch, [rowWith(0, '10.0.7.1'), rowWith(1, '10.0.7.2')]);
    await vi.waitFor(() => expect(connector.starts).toHaveLength(2));
    connector.finish('run-1');
    connector.finish('run-2');
    await batch.idle();
    await engine.idle();
    const ips = ['10.0.7.1', '10.0.7.3', '10.0.7.4', '10.0.7.2', '10.0.7.5', '10.0.7.6'];
    const { jobIds } = await startRows(
      batch,
      ips.map((ip, i) => rowWith(10 + i, ip)),
    );
    // Answered by the time the ids are: stored with the cached run, and told to the tab.
    for (const i of [0, 3]) {
      const job = await store.get(jobIds[i]!);
      expect(job?.status).toBe('succeeded');
      expect(job?.cachedAt).not.toBeNull();
      expect(job?.batch?.order).toBe(i);
      expect(job?.runId).toBe(`run-${i === 0 ? 1 : 2}`);
      expect(pushed.some((m) => m.type === 'job.update' && m.job.id === jobIds[i])).toBe(true);
    }
    // The four rows that must run go in one request, none of them held back by a row the cache answers.
    await vi.waitFor(() => expect(connector.starts).toHaveLength(6));
    expect(connector.manyStarts.at(-1)).toBe(4);
    expect(connector.starts.slice(2).map((s) => s.params.ip)).toEqual([
      '10.0.7.3',
      '10.0.7.4',
      '10.0.7.5',
      '10.0.7.6',
    ]);
    for (let n = 3; n <= 6; n++) connector.finish(`run-${n}`);
    await batch.idle();
    await engine.idle();
    for (const id of jobIds) expect((await store.get(id))?.status).toBe('succeeded');
  });

  it('answers repeated values in a batch from the cache once the first has run', async () => {
    const { batch } = build();
    connector = fakeConnector({ finishAtOnce: true });
    const rows = Array.from({ length: 8 }, (_, i) => rowWith(i, '192.0.2.1'));
    await batch.start({ orchestratorId: 'main', action: sampleAction(), rows, tab: TAB, confirmed: false });
    await batch.idle();
    await engine.idle();
    // The rows that start together wait for the first; every other row is answered from the cache.
    expect(connector.starts).toHaveLength(1);
  });

  it('refuses an empty or oversized selection and an unconfirmed action with side effects', async () => {
    const { batch } = build();
    const action = sampleAction();
    await expect(
      batch.start({ orchestratorId: 'main', action, rows: [], tab: TAB, confirmed: false }),
    ).rejects.toThrow(/1 to 200/);
    const many = Array.from({ length: 201 }, (_, i) => rowWith(i, '10.0.0.1'));
    await expect(
      batch.start({ orchestratorId: 'main', action, rows: many, tab: TAB, confirmed: false }),
    ).rejects.toThrow(/1 to 200/);
    const disable = sampleAction({ sideEffects: true });
    await expect(
      batch.start({
        orchestratorId: 'main',
        action: disable,
        rows: [rowWith(1, '10.0.0.1')],
        tab: TAB,
        confirmed: false,
      }),
    ).rejects.toThrow(/confirm/);
  });
});
