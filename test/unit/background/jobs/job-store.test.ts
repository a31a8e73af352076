import 'fake-indexeddb/auto';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { type GridsideDatabase, openGridsideDb, type StoredJob } from '../../../../src/background/db.ts';
import { jobRecord } from '../../../../src/background/jobs/job-record.ts';
import { createJobStore, type JobStore } from '../../../../src/background/jobs/job-store.ts';
import { sampleAction, sampleContext } from '../fake-orchestrator.ts';

/**
 * The job store remembers the open jobs it wrote (job-store.ts), so following a run does not read back
 * what the worker just wrote. What it answers must always be what the database holds.
 */

let count = 0;
let db: Promise<GridsideDatabase>;
let store: JobStore;

beforeEach(() => {
  db = openGridsideDb(`gridside-job-store-test-${++count}`);
  store = createJobStore(db);
});
afterEach(async () => {
  vi.restoreAllMocks();
  (await db).close();
});

const job = (id: string, changes: Partial<StoredJob> = {}): StoredJob => ({
  ...jobRecord(
    {
      id,
      orchestratorId: 'local',
      action: sampleAction(),
      params: { ip: '10.1.2.3' },
      context: sampleContext,
      tab: null,
    },
    1_000,
  ),
  ...changes,
});
/** What the database itself holds, read past the store's memory. */
const stored = async (id: string) => (await db).get('jobs', id);
const reads = () => vi.spyOn(IDBObjectStore.prototype, 'get');

describe('the job store', () => {
  it('answers an open job it wrote without reading the database, as a copy', async () => {
    await store.put(job('a', { status: 'running', runId: 'run-1' }));
    const get = reads();
    const answer = await store.get('a');
    expect(get).not.toHaveBeenCalled();
    expect(answer).toEqual(await stored('a'));
    // A caller changing its answer changes neither the database nor the next answer.
    if (answer) answer.status = 'failed';
    expect((await store.get('a'))?.status).toBe('running');
  });

  it('reads a finished job from the database, and an open job it did not write', async () => {
    await store.put(job('done', { status: 'succeeded', open: 0 }));
    await (await db).put('jobs', job('elsewhere', { status: 'running' }));
    const get = reads();
    expect((await store.get('done'))?.status).toBe('succeeded');
    expect((await store.get('elsewhere'))?.status).toBe('running');
    expect(get).toHaveBeenCalledTimes(2);
  });

  it('forgets a job once it is written finished', async () => {
    await store.put(job('a', { status: 'running' }));
    await store.put(job('a', { status: 'succeeded', open: 0 }));
    expect((await store.get('a'))?.status).toBe('succeeded');
  });

  it('answers what a change wrote, and a write made after the change began wins over it', async () => {
    await store.putAll([job('a', { status: 'queued' }), job('b', { status: 'queued' })]);
    await store.change('a', (current) => ({ ...current, status: 'submitting' }));
    expect((await store.get('a'))?.status).toBe('submitting');

    // The change's transaction opens first, so the database applies it first and keeps the later write.
    const changing = store.change('b', (current) => ({ ...current, status: 'submitting' }));
    await Promise.resolve();
    const later = store.put(job('b', { status: 'running', runId: 'run-2' }));
    await Promise.all([changing, later]);
    expect((await stored('b'))?.status).toBe('running');
    expect((await store.get('b'))?.status).toBe('running');
  });

  it('while a change is under way, reads go to the database, which answers after it', async () => {
    await store.put(job('a', { status: 'queued' }));
    const changing = store.change('a', (current) => ({ ...current, status: 'submitting' }));
    await Promise.resolve();
    const during = store.get('a');
    await changing;
    expect((await during)?.status).toBe('submitting');
  });

  it('takes back its copy when a write fails, and answers what the database kept', async () => {
    await store.put(job('a', { status: 'running', runId: 'run-1' }));
    vi.spyOn(IDBObjectStore.prototype, 'put').mockImplementation(() => {
      throw new DOMException('The disk is full', 'QuotaExceededError');
    });
    await expect(
      store.put(job('a', { status: 'running', runId: 'run-1', error: null, updatedAt: 2_000 })),
    ).rejects.toThrow('The disk is full');
    vi.restoreAllMocks();
    expect((await store.get('a'))?.updatedAt).toBe(1_000);
  });
  it('remembers only what a change wrote, not a job it found changed by another writer', async () => {
    await store.put(job('b', { status: 'queued' }));
    const other = createJobStore(db);
    // Another writer (a worker overlapping this one for a moment) took 'b' first.
    await other.change('b', (current) => ({ ...current, status: 'submitting' }));
    const result = await store.change('b', (current) =>
      current.status === 'queued' ? { ...current, status: 'submitting' } : undefined,
    );
    expect(result?.before.status).toBe('submitting');
    expect(result?.changed).toBeUndefined();
    // The other writer goes on with 'b': this store answers what the database holds, not what it found.
    await other.put(job('b', { status: 'running', runId: 'run-b' }));
    expect((await store.get('b'))?.status).toBe('running');
  });

  it('changes many jobs in one transaction, leaving each one its edit declines', async () => {
    await store.putAll([job('a', { status: 'queued' }), job('b', { status: 'canceled', open: 0 }), job('c')]);
    const transactions = vi.spyOn(IDBDatabase.prototype, 'transaction');
    const results = await store.changeMany(['a', 'b', 'missing', 'c'], (current) =>
      current.open === 1 ? { ...current, status: 'running' } : undefined,
    );
    expect(transactions).toHaveBeenCalledTimes(1);
    expect(results.map((result) => result?.before.id)).toEqual(['a', 'b', undefined, 'c']);
    expect(results.map((result) => result?.changed?.status)).toEqual([
      'running',
      undefined,
      undefined,
      'running',
    ]);
    expect((await stored('a'))?.status).toBe('running');
    expect((await stored('b'))?.status).toBe('canceled');
    // What it wrote is remembered: answered without reading the database.
    const get = reads();
    expect((await store.get('c'))?.status).toBe('running');
    expect(get).not.toHaveBeenCalled();
  });

  it("reads many rows' jobs in one transaction, each row as forRow answers it", async () => {
    const on = (rowKey: string) => ({ ...sampleContext, key: { ...sampleContext.key, value: rowKey } });
    await store.putAll([
      job('a', { context: on('r1'), rowKey: 'r1', createdAt: 1_000 }),
      job('b', { context: on('r1'), rowKey: 'r1', createdAt: 2_000 }),
      job('c', { context: on('r2'), rowKey: 'r2' }),
    ]);
    const transactions = vi.spyOn(IDBDatabase.prototype, 'transaction');
    const rows = await store.forRows(sampleContext.console, ['r2', 'r1', 'r3'], 1_500);
    expect(transactions).toHaveBeenCalledTimes(1);
    expect(rows.map((jobs) => jobs.map((found) => found.id))).toEqual([['c'], ['b', 'a'], []]);
    expect(rows[1]).toEqual(await store.forRow(sampleContext.console, 'r1', 1_500));
  });
});
