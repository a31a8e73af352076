import 'fake-indexeddb/auto';
import { openDB } from 'idb';
import { describe, expect, it } from 'vitest';
import { type GridsideDatabase, openGridsideDb } from '../../../../src/background/db.ts';
import type { StoredJob } from '../../../../src/background/jobs/job-record.ts';
import { createPinService, type PinRequester } from '../../../../src/background/pins/pins.ts';
import type { Run } from '../../../../src/core/api.ts';
import { PIN_SUMMARY_CHARS } from '../../../../src/core/pins.ts';
import { sampleContext } from '../fake-orchestrator.ts';

const consoleOrigin = sampleContext.console;
const own: PinRequester = { origin: consoleOrigin };
const otherConsole: PinRequester = { origin: 'https://other-console.example' };

let dbCount = 0;
const freshDb = () => openGridsideDb(`gridside-pins-test-${++dbCount}`);

function finishedRun(stdout: string, requestedBy = 'alice'): Run {
  return {
    id: 'run-1',
    actionId: 'whois/lookup-ip',
    actionName: 'Look up IP owner',
    status: 'succeeded',
    requestedBy,
    params: {},
    alarmId: '4711',
    rowKey: '4711',
    approvals: [],
    output: {
      stdout,
      stderr: '',
      exitCode: 0,
      truncated: false,
      taxonomies: [{ level: 'malicious', namespace: 'Whois', predicate: 'Owner', value: 'Bad AS' }],
    },
    reason: null,
    timing: { createdAt: '2026-01-01T00:00:00Z', startedAt: null, finishedAt: null, durationMs: 5 },
  };
}

function job(id: string, overrides: Partial<StoredJob> = {}): StoredJob {
  return {
    id,
    orchestratorId: 'main',
    actionId: 'whois/lookup-ip',
    actionName: 'Look up IP owner',
    params: { ip: '10.1.2.3' },
    context: sampleContext,
    runId: 'run-1',
    status: 'succeeded',
    run: finishedRun(`owner of 10.1.2.3: Bad AS (${id})`),
    error: null,
    createdAt: 1,
    updatedAt: 2,
    cachedAt: null,
    console: consoleOrigin,
    rowKey: '4711',
    open: 0,
    tab: { tabId: 1, frameId: 0 },
    ...overrides,
  };
}

function setup(db: Promise<GridsideDatabase>, jobs: StoredJob[]) {
  let clock = 1_000;
  const byId = new Map(jobs.map((j) => [j.id, j]));
  return createPinService({ db, job: async (id) => byId.get(id), now: () => ++clock });
}

describe('pinned results', () => {
  it('pins a finished run beside its alarm and lists the row’s pins newest first', async () => {
    const pins = setup(freshDb(), [job('job-1'), job('job-2')]);
    await pins.add('job-1', undefined, own);
    await pins.add('job-2', 'escalated to tier 2', own);

    const listed = await pins.forRow(consoleOrigin, '4711', own);
    expect(listed.map((p) => p.jobId)).toEqual(['job-2', 'job-1']);
    expect(listed[0]).toMatchObject({
      kind: 'alarm',
      alarmId: '4711',
      actionName: 'Look up IP owner',
      status: 'succeeded',
      pinnedBy: 'alice',
      note: 'escalated to tier 2',
      summary: 'owner of 10.1.2.3: Bad AS (job-2)',
    });
    expect(listed[0]?.verdicts.map((v) => v.level)).toEqual(['malicious']);
  });

  it('keeps one pin when the same run is pinned twice', async () => {
    const pins = setup(freshDb(), [job('job-1')]);
    const first = await pins.add('job-1', 'first look', own);
    const again = await pins.add('job-1', undefined, own);
    expect(again.id).toBe(first.id);
    expect(again.note).toBe('first look');
    expect(await pins.forRow(consoleOrigin, '4711', own)).toHaveLength(1);
  });

  it('keeps the first 2 KB of stdout as the summary and says "you" when the engine names nobody', async () => {
    const long = 'x'.repeat(10_000);
    const pins = setup(freshDb(), [job('job-1', { run: finishedRun(long, '') })]);
    const pin = await pins.add('job-1', undefined, own);
    expect(pin.summary).toHaveLength(PIN_SUMMARY_CHARS);
    expect(pin.output?.stdout).toBe(long);
    expect(pin.pinnedBy).toBe('you');
  });

  it('refuses to pin a run that is still going', async () => {
    const pins = setup(freshDb(), [job('job-1', { status: 'running', open: 1, run: null })]);
    await expect(pins.add('job-1', undefined, own)).rejects.toMatchObject({ code: 'conflict' });
  });

  it('edits the note and unpins', async () => {
    const pins = setup(freshDb(), [job('job-1'), job('job-2')]);
    const a = await pins.add('job-1', undefined, own);
    const b = await pins.add('job-2', undefined, own);
    expect((await pins.setNote(a.id, 'false positive: our scanner', own)).note).toBe(
      'false positive: our scanner',
    );
    await pins.remove(b.id, own);
    const left = await pins.forRow(consoleOrigin, '4711', own);
    expect(left.map((p) => [p.jobId, p.note])).toEqual([['job-1', 'false positive: our scanner']]);
    await expect(pins.remove(b.id, own)).rejects.toMatchObject({ code: 'not_found' });
  });

  it('answers the rows on screen with a count per pinned row, leaving unpinned rows out', async () => {
    const logRow = (id: string, rowKey: string) =>
      job(id, {
        rowKey,
        context: { ...sampleContext, kind: 'log', key: { ...sampleContext.key, value: rowKey } },
      });
    const pins = setup(freshDb(), [
      job('a1'),
      job('a2'),
      logRow('l1', 'log-9'),
      logRow('weird', '__proto__'),
    ]);
    for (const id of ['a1', 'a2', 'l1', 'weird']) await pins.add(id, undefined, own);

    const markers = await pins.markers(consoleOrigin, ['4711', 'log-8', 'log-9', '__proto__', '4711'], own);
    expect(markers).toEqual({ '4711': 2, 'log-9': 1, ['__proto__']: 1 });
    expect(Object.hasOwn(markers, '__proto__')).toBe(true);
    expect(await pins.markers(consoleOrigin, [], own)).toEqual({});
  });

  it('never shows or changes another console’s pins', async () => {
    const pins = setup(freshDb(), [job('job-1')]);
    const pin = await pins.add('job-1', undefined, own);

    await expect(pins.forRow(consoleOrigin, '4711', otherConsole)).rejects.toMatchObject({
      code: 'bad_request',
    });
    await expect(pins.markers(consoleOrigin, ['4711'], otherConsole)).rejects.toMatchObject({
      code: 'bad_request',
    });
    await expect(pins.setNote(pin.id, 'hijacked', otherConsole)).rejects.toMatchObject({ code: 'not_found' });
    await expect(pins.remove(pin.id, otherConsole)).rejects.toMatchObject({ code: 'not_found' });
    await expect(pins.add('job-1', undefined, otherConsole)).rejects.toMatchObject({ code: 'not_found' });
    // The other console asking about its own origin sees nothing of ours.
    expect(await pins.markers(otherConsole.origin, ['4711'], otherConsole)).toEqual({});
    expect((await pins.forRow(consoleOrigin, '4711', own))[0]?.note).toBe('');
  });
});

describe('pins across versions of the database', () => {
  it('keeps every job of a database written before pins existed, and the pins written survive a re-open', async () => {
    const name = 'gridside-pins-test-upgrade';
    // The database exactly as version 1 (secrets and durable jobs) left it.
    const old = await openDB(name, 1, {
      upgrade(db) {
        db.createObjectStore('secrets');
        const jobs = db.createObjectStore('jobs', { keyPath: 'id' });
        jobs.createIndex('byRow', ['console', 'rowKey']);
        jobs.createIndex('byOpen', 'open');
      },
    });
    const oldJobs = [
      job('old-1'),
      job('old-2', { rowKey: 'log-1' }),
      job('old-3', { status: 'running', open: 1 }),
    ];
    for (const j of oldJobs) await old.put('jobs', j);
    await old.put('secrets', 'token-kept', 'main');
    old.close();

    const db = await openGridsideDb(name);
    expect((await db.getAll('jobs')).map((j) => j.id).sort()).toEqual(['old-1', 'old-2', 'old-3']);
    expect(await db.getAllFromIndex('jobs', 'byOpen', 1)).toHaveLength(1);
    expect(await db.get('secrets', 'main')).toBe('token-kept');
    const pins = setup(Promise.resolve(db), oldJobs);
    await pins.add('old-1', 'kept across updates', own);
    db.close();

    const reopened = await openGridsideDb(name);
    const after = setup(Promise.resolve(reopened), []);
    expect((await after.forRow(consoleOrigin, '4711', own)).map((p) => p.note)).toEqual([
      'kept across updates',
    ]);
    expect(await after.markers(consoleOrigin, ['4711', 'log-1'], own)).toEqual({ '4711': 1 });
    reopened.close();
  });
});
