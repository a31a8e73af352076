import 'fake-indexeddb/auto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type GridsideDatabase, openGridsideDb } from '../../../../src/background/db.ts';
import { createRunCache, type RunCache } from '../../../../src/background/jobs/cache.ts';
import { createJobEngine, type JobEngine } from '../../../../src/background/jobs/job-engine.ts';
import type { TabRef } from '../../../../src/background/jobs/job-record.ts';
import { createJobStore, type JobStore } from '../../../../src/background/jobs/job-store.ts';
import type { ContentPush } from '../../../../src/core/messages.ts';
import type { RowContext } from '../../../../src/core/row-context.ts';
import { sampleAction, sampleContext } from '../fake-orchestrator.ts';
import { type FakeConnector, fakeConnector } from '../history/fake-connector.ts';

let count = 0;
let db: Promise<GridsideDatabase>;
let clock: number;
let connector: FakeConnector;
let engine: JobEngine;
let cache: RunCache;
let pushes: Array<{ tab: TabRef; message: ContentPush }>;

const TAB_A: TabRef = { tabId: 1, frameId: 0 };
const TAB_B: TabRef = { tabId: 2, frameId: 0 };
const readOnly = sampleAction({ sideEffects: false, cacheTtlSeconds: 300 });

function build(options: { finishAtOnce?: boolean; watchStore?: (store: JobStore) => void } = {}) {
  connector = fakeConnector(options);
  const push = async (tab: TabRef, message: ContentPush) => {
    pushes.push({ tab, message });
  };
  let fanned: (tab: TabRef, message: ContentPush) => Promise<void> = push;
  // One store per database, as in the worker (main.ts): it remembers the open jobs it wrote.
  const store = createJobStore(db);
  options.watchStore?.(store);
  engine = createJobEngine({
    store,
    connectorFor: async () => connector,
    push: (tab, message) => fanned(tab, message),
    now: () => clock,
  });
  cache = createRunCache({ db, store, engine, now: () => clock });
  fanned = cache.fanOut(push);
}

beforeEach(() => {
  db = openGridsideDb(`gridside-cache-test-${++count}`);
  clock = Date.UTC(2026, 10, 27, 9);
  pushes = [];
});
afterEach(async () => {
  engine.stop();
  (await db).close();
});

function row(key: string, ip = '10.1.2.3'): RowContext {
  return { ...sampleContext, key: { value: key, source: 'column', confidence: 'high' }, fields: { SIP: ip } };
}

const start = (
  context: RowContext,
  over: { refresh?: boolean; tab?: TabRef; action?: typeof readOnly } = {},
) =>
  cache.start({
    orchestratorId: 'main',
    action: over.action ?? readOnly,
    params: { ip: context.fields.SIP ?? '' },
    context,
    tab: over.tab ?? TAB_A,
    refresh: over.refresh ?? false,
  });

describe('read-only result cache', () => {
  it('answers a second identical request within the TTL from the cache, for the asking row', async () => {
    build({ finishAtOnce: true });
    const first = await start(row('r1'));
    expect(first.status).toBe('succeeded');
    expect(first.cachedAt).toBeNull();
    clock += 60_000;
    const again = await start(row('r2'));
    expect(connector.starts).toHaveLength(1);
    expect(again.status).toBe('succeeded');
    expect(again.id).not.toBe(first.id);
    expect(again.context.key.value).toBe('r2');
    expect(again.cachedAt).toBe(first.updatedAt);
    expect(again.run?.output?.stdout).toBe(first.run?.output?.stdout);
    // The cached answer is history too, and shows beside its own row after a reload.
    expect((await engine.forRow(sampleContext.console, 'r2')).map((j) => j.id)).toEqual([again.id]);
  });

  it('runs again once the TTL has passed, and when the analyst asks for a refresh', async () => {
    build({ finishAtOnce: true });
    await start(row('r1'));
    clock += 301_000;
    const stale = await start(row('r1'));
    expect(stale.cachedAt).toBeNull();
    expect(connector.starts).toHaveLength(2);
    clock += 1_000;
    const refreshed = await start(row('r1'), { refresh: true });
    expect(refreshed.cachedAt).toBeNull();
    expect(connector.starts).toHaveLength(3);
  });

  it('keys on the final parameters, whatever their order', async () => {
    build({ finishAtOnce: true });
    const action = sampleAction({ cacheTtlSeconds: 300 });
    const base = { orchestratorId: 'main', action, context: row('r1'), tab: TAB_A };
    await cache.start({ ...base, params: { ip: '1.1.1.1', port: '53' } });
    const same = await cache.start({ ...base, params: { port: '53', ip: '1.1.1.1' } });
    const other = await cache.start({ ...base, params: { ip: '8.8.8.8', port: '53' } });
    expect(same.cachedAt).not.toBeNull();
    expect(other.cachedAt).toBeNull();
    expect(connector.starts).toHaveLength(2);
  });

  it('never caches or merges an action with side effects', async () => {
    build();
    const disable = sampleAction({ id: 'ad/disable', sideEffects: true, cacheTtlSeconds: 300 });
    const one = await start(row('r1'), { action: disable });
    const two = await start(row('r2'), { action: disable });
    expect(two.id).not.toBe(one.id);
    connector.finish(one.runId ?? '');
    connector.finish(two.runId ?? '');
    await engine.idle();
    const three = await start(row('r3'), { action: disable });
    expect(three.cachedAt).toBeNull();
    expect(connector.starts).toHaveLength(3);
    connector.finish(three.runId ?? '');
    await engine.idle();
  });

  it('does not cache a read-only action whose TTL is 0, but still merges identical running requests', async () => {
    build();
    const noTtl = sampleAction({ cacheTtlSeconds: 0 });
    const one = await start(row('r1'), { action: noTtl });
    const joined = await start(row('r2'), { action: noTtl, tab: TAB_B });
    expect(joined.id).toBe(one.id);
    connector.finish(one.runId ?? '');
    await engine.idle();
    const later = await start(row('r2'), { action: noTtl });
    expect(later.cachedAt).toBeNull();
    expect(connector.starts).toHaveLength(2);
    connector.finish(later.runId ?? '');
    await engine.idle();
  });

  it('merges identical in-flight runs: both tabs get the same job and both hear it finish', async () => {
    build();
    const [one, two] = await Promise.all([start(row('r1')), start(row('r2'), { tab: TAB_B })]);
    expect(two.id).toBe(one.id);
    expect(connector.starts).toHaveLength(1);
    connector.finish(one.runId ?? '');
    await engine.idle();
    const finished = (tab: TabRef) =>
      pushes.some(
        (p) =>
          p.tab.tabId === tab.tabId &&
          p.message.type === 'job.update' &&
          p.message.job.id === one.id &&
          p.message.job.status === 'succeeded',
      );
    expect(finished(TAB_A)).toBe(true);
    expect(finished(TAB_B)).toBe(true);
  });

  it('does not join a run of another console', async () => {
    build();
    const one = await start(row('r1'));
    const elsewhere = await start({ ...row('r1'), console: 'https://other.example.com' });
    expect(elsewhere.id).not.toBe(one.id);
    expect(connector.starts).toHaveLength(2);
    connector.finish(one.runId ?? '');
    connector.finish(elsewhere.runId ?? '');
    await engine.idle();
  });

  it('does not remember a run that failed to start', async () => {
    build({ finishAtOnce: true });
    const { ConnectorError } = await import('../../../../src/background/connectors/connector.ts');
    connector.failNext.push(() => new ConnectorError('unauthorized', 'The token was refused.'));
    const failed = await start(row('r1'));
    expect(failed.status).toBe('failed');
    const retried = await start(row('r1'));
    expect(retried.status).toBe('succeeded');
    expect(retried.cachedAt).toBeNull();
  });

  it('reads the row’s jobs for the twin check beside its own record, not after it', async () => {
    const events: string[] = [];
    const database = await db;
    const realGet = database.get.bind(database);
    // The cache record's read, seen from outside: when it starts and when its answer comes back.
    database.get = (async (...args: Parameters<typeof realGet>) => {
      if (args[0] === 'cache') events.push('cache record asked');
      const answer = await realGet(...args);
      if (args[0] === 'cache') events.push('cache record answered');
      return answer;
    }) as typeof database.get;
    build({
      finishAtOnce: true,
      watchStore: (store) => {
        const realForRow = store.forRow.bind(store);
        store.forRow = (...args) => {
          events.push('row jobs asked');
          return realForRow(...args);
        };
      },
    });

    expect((await start(row('r1'))).status).toBe('succeeded');
    expect(events).toEqual(['row jobs asked', 'cache record asked', 'cache record answered']);

    // The twin check still finds an identical run going on the row, from the jobs read early: a start
    // whose id is promised already (a batch row) cannot join through the cache and meets it there.
    const slow = fakeConnector();
    connector = slow;
    const first = await start(row('r2', '10.9.9.9'));
    const promised = await cache.start({
      id: 'promised-row',
      orchestratorId: 'main',
      action: readOnly,
      params: { ip: '10.9.9.9' },
      context: row('r2', '10.9.9.9'),
      tab: TAB_B,
    });
    expect(promised.id).toBe(first.id);
    expect(slow.starts).toHaveLength(1);
    expect((await engine.get('promised-row'))?.error?.code).toBe('conflict');
  });
  it('tells which of many requests it would answer now, in one read, by the same rule as a start', async () => {
    build({ finishAtOnce: true });
    await start(row('r1', '10.1.1.1'));
    clock += 200_000;
    await start(row('r2', '10.1.1.2'));
    clock += 150_000;
    // A run still going is not an answer.
    connector = fakeConnector();
    await start(row('r3', '10.1.1.3'));
    const ask = (ip: string, action = readOnly) => ({ orchestratorId: 'main', action, params: { ip } });
    const disable = sampleAction({ id: 'ad/disable', sideEffects: true, cacheTtlSeconds: 300 });
    const answers = await cache.answers([
      ask('10.1.1.1'), // ran 350 s ago: past the TTL
      ask('10.1.1.2'), // 150 s ago: fresh
      ask('10.1.1.3'),
      ask('10.1.1.4'), // never ran
      ask('10.1.1.2', disable),
      ask('10.1.1.2'),
    ]);
    expect(answers.map((job) => job?.params.ip ?? null)).toEqual([
      null,
      '10.1.1.2',
      null,
      null,
      null,
      '10.1.1.2',
    ]);
    // A start asked now agrees with each answer.
    expect((await start(row('r4', '10.1.1.2'))).cachedAt).not.toBeNull();
    expect((await start(row('r5', '10.1.1.1'))).cachedAt).toBeNull();
  });
});
