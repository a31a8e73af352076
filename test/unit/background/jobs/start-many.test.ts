import 'fake-indexeddb/auto';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ConnectorError } from '../../../../src/background/connectors/connector.ts';
import { type GridsideDatabase, openGridsideDb } from '../../../../src/background/db.ts';
import { createRunCache, type RunCache } from '../../../../src/background/jobs/cache.ts';
import {
  createJobEngine,
  type JobEngine,
  type StartJob,
} from '../../../../src/background/jobs/job-engine.ts';
import type { TabRef } from '../../../../src/background/jobs/job-record.ts';
import { createJobStore, type JobStore } from '../../../../src/background/jobs/job-store.ts';
import type { ContentPush, Job } from '../../../../src/core/messages.ts';
import type { RowContext } from '../../../../src/core/row-context.ts';
import { sampleAction, sampleContext } from '../fake-orchestrator.ts';
import { type FakeConnector, fakeConnector } from '../history/fake-connector.ts';

/**
 * A batch's rows started together (job-engine.ts and cache.ts `startMany`): one request for the rows, one
 * write of their answers, the cache read and written once, and each row its own outcome when some fail.
 */

let count = 0;
let db: Promise<GridsideDatabase>;
let connector: FakeConnector;
let engine: JobEngine;
let cache: RunCache;
let store: JobStore;
let pushed: ContentPush[];
const TAB: TabRef = { tabId: 3, frameId: 0 };

beforeEach(() => {
  db = openGridsideDb(`gridside-start-many-test-${++count}`);
  pushed = [];
});
afterEach(async () => {
  engine.stop();
  vi.restoreAllMocks();
  (await db).close();
});

function build(options: { manyStarts?: boolean } = {}) {
  connector = fakeConnector(options);
  store = createJobStore(db);
  engine = createJobEngine({
    store,
    connectorFor: async () => connector,
    push: async (_tab, message) => {
      pushed.push(message);
    },
  });
  cache = createRunCache({ db, store, engine });
}

const ip = (i: number) => `10.0.9.${i}`;
const rowOf = (i: number): RowContext => ({
  ...sampleContext,
  key: { value: `r${i}`, source: 'column', confidence: 'high' },
  fields: { SIP: ip(i) },
});

/** Row `i` of a batch, as the batch queue asks for it. */
function rowStart(i: number, over: Partial<StartJob> = {}): StartJob & { id: string } {
  return {
    id: `job-${i}`,
    orchestratorId: 'main',
    action: sampleAction(),
    params: { ip: ip(i) },
    context: rowOf(i),
    tab: TAB,
    batch: { id: 'batch-1', order: i },
    ...over,
  };
}

const statuses = (answers: Array<Job | Error>) =>
  answers.map((answer) => (answer instanceof Error ? answer.message : answer.status));

describe('starting many rows at once', () => {
  it('asks the orchestrator once for all of them and saves their answers in one transaction', async () => {
    build({ manyStarts: true });
    const writes = vi.spyOn(store, 'putAll');
    const answers = await engine.startMany([0, 1, 2, 3, 4].map((i) => rowStart(i)));
    expect(statuses(answers)).toEqual(Array(5).fill('running'));
    expect(connector.manyStarts).toEqual([5]);
    // Two writes in all: the start records before the request left, and the answers after it.
    expect(writes.mock.calls.map(([jobs]) => jobs.map((job) => job.status))).toEqual([
      Array(5).fill('submitting'),
      Array(5).fill('running'),
    ]);
    for (const i of [0, 1, 2, 3, 4]) {
      const job = await store.get(`job-${i}`);
      expect(job?.runId).toBe(`run-${i + 1}`);
      expect(job?.run?.params.ip).toBe(ip(i));
      expect(job?.batch).toEqual({ id: 'batch-1', order: i });
    }
    // The tab hears of each row, and each is followed to its end.
    expect(
      pushed.filter((m) => m.type === 'job.update').map((m) => m.type === 'job.update' && m.job.id),
    ).toEqual([0, 1, 2, 3, 4].map((i) => `job-${i}`));
    for (const i of [1, 2, 3, 4, 5]) connector.finish(`run-${i}`);
    await engine.idle();
    for (const i of [0, 1, 2, 3, 4]) expect((await store.get(`job-${i}`))?.status).toBe('succeeded');
  });

  it('records a row the orchestrator refused as failed with its reason, and runs the others', async () => {
    build({ manyStarts: true });
    const startRun = connector.startRun.bind(connector);
    connector.startRuns = async (requests) =>
      Promise.all(
        requests.map((request) =>
          request.params.ip === ip(1)
            ? new ConnectorError('refused', 'Whois is switched off on this orchestrator.')
            : startRun(request),
        ),
      );
    const answers = await engine.startMany([0, 1, 2].map((i) => rowStart(i)));
    expect(statuses(answers)).toEqual(['running', 'failed', 'running']);
    const refused = await store.get('job-1');
    expect(refused?.error?.message).toBe('Whois is switched off on this orchestrator.');
    expect(refused?.open).toBe(0);
    expect(connector.starts.map((start) => start.params.ip)).toEqual([ip(0), ip(2)]);
  });

  it('fails every row with the reason when the request itself fails, and keeps no row open', async () => {
    build({ manyStarts: true });
    connector.startRuns = async () => {
      throw new ConnectorError('unreachable', 'The orchestrator did not answer.');
    };
    const answers = await engine.startMany([0, 1, 2].map((i) => rowStart(i)));
    expect(statuses(answers)).toEqual(['failed', 'failed', 'failed']);
    for (const i of [0, 1, 2]) {
      const job = await store.get(`job-${i}`);
      expect(job?.error?.message).toBe('The orchestrator did not answer.');
    }
    expect(await store.unfinished()).toEqual([]);
  });

  it('starts each row on its own at an engine that cannot start many runs in one request', async () => {
    build();
    const answers = await engine.startMany([0, 1, 2].map((i) => rowStart(i)));
    expect(statuses(answers)).toEqual(['running', 'running', 'running']);
    expect(connector.manyStarts).toEqual([]);
    expect(connector.starts.map((start) => start.params.ip)).toEqual([0, 1, 2].map(ip));
  });

  it('splits rows beyond what one request may carry into several requests, in order', async () => {
    build({ manyStarts: true });
    const answers = await engine.startMany(Array.from({ length: 120 }, (_, i) => rowStart(i)));
    expect(answers.every((answer) => !(answer instanceof Error) && answer.status === 'running')).toBe(true);
    expect(connector.manyStarts).toEqual([50, 50, 20]);
    expect((await store.get('job-119'))?.run?.params.ip).toBe(ip(119));
  });
});

describe('starting many read-only rows through the result cache', () => {
  it('answers the rows it holds, runs the rest in one request, and remembers those for the next start', async () => {
    build({ manyStarts: true });
    // Row 0's IP was looked up on another row a moment ago.
    const earlier = await cache.start({
      ...rowStart(0, { context: rowOf(90) }),
      id: undefined,
      batch: undefined,
    });
    connector.finish(earlier.runId ?? '');
    await engine.idle();

    const answers = await cache.startMany([0, 1, 2, 3].map((i) => rowStart(i)));
    expect(statuses(answers)).toEqual(['succeeded', 'running', 'running', 'running']);
    const cached = answers[0];
    expect(cached instanceof Error ? null : cached?.cachedAt).not.toBeNull();
    expect(connector.manyStarts).toEqual([3]);

    for (const i of [2, 3, 4]) connector.finish(`run-${i}`);
    await engine.idle();
    // Another row with row 2's IP: the cache answers it from the run the batch started.
    const again = await cache.start({
      ...rowStart(2, { context: rowOf(91) }),
      id: undefined,
      batch: undefined,
    });
    expect(again.cachedAt).not.toBeNull();
    expect(connector.starts).toHaveLength(4);
  });

  it('a row whose values another start is sending takes its turn behind it, outside the request', async () => {
    build({ manyStarts: true });
    const single = cache.start({ ...rowStart(0, { context: rowOf(90) }), id: undefined, batch: undefined });
    const answers = await cache.startMany([0, 1].map((i) => rowStart(i)));
    await single;
    expect(statuses(answers)).toEqual(['running', 'running']);
    // Row 1 went in the many-runs request; row 0 took its turn behind the start under way.
    expect(connector.manyStarts).toEqual([1]);
    expect(connector.starts.map((start) => start.params.ip).sort()).toEqual([ip(0), ip(0), ip(1)]);
  });
});
