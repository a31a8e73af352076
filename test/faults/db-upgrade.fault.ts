import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import type { Connector } from '../../src/background/connectors/connector.ts';
import { DB_VERSION, openGridsideDb } from '../../src/background/db.ts';
import { createHistory } from '../../src/background/history/history.ts';
import { createJobEngine } from '../../src/background/jobs/job-engine.ts';
import { createJobStore } from '../../src/background/jobs/job-store.ts';
import { createPinService } from '../../src/background/pins/pins.ts';
import { createSecretStore } from '../../src/background/settings/secret-store.ts';
import type { Run } from '../../src/core/api.ts';
import { HistoryQuerySchema } from '../../src/core/history.ts';
import {
  CONSOLE,
  v1FinishedJob,
  v1RunningJob,
  v2Pin,
  writeVersion1,
  writeVersion2,
} from './old-databases.ts';

/**
 * An update of Gridside opens the database an earlier release wrote. Every earlier version, filled with
 * records in that release's shapes, is opened with today's code: every job is still found beside its row,
 * in the run history and (if it was still running) followed to its end; every pin is still beside its row.
 */

const now = Date.UTC(2026, 11, 4, 12);
const here = { origin: CONSOLE };
const everything = HistoryQuerySchema.parse({});

/** Today's worker, on the database `name`: the stores and services it reads old records through. */
function currentWorker(name: string) {
  const db = openGridsideDb(name);
  const jobs = createJobStore(db);
  return {
    db,
    jobs,
    history: createHistory(jobs),
    pins: createPinService({ db, job: (id) => jobs.get(id), now: () => now }),
    secrets: createSecretStore(db),
  };
}

/** A connector whose runs have all finished by now: resume must take an old open job to its end. */
function finishedConnector(finish: (runId: string) => Run): Connector {
  const refuse = () => Promise.reject(new Error('not used by resume'));
  return {
    listActions: refuse,
    startRun: refuse,
    cancelRun: refuse,
    testConnection: refuse,
    getRun: async (runId) => finish(runId),
  };
}

describe('a database written by release version 1 (secrets and jobs)', () => {
  const name = 'gridside-upgrade-from-1';
  const done = v1FinishedJob('job-done', '4711', '198.51.100.7', now - 3_600_000);
  const running = v1RunningJob('job-running', '4712', '198.51.100.8', now - 60_000);

  it('opens at the current version with every job beside its row and in the history', async () => {
    await writeVersion1(name, { jobs: [done, running], secret: 'old-bare-token' });
    const worker = currentWorker(name);
    const db = await worker.db;
    expect(db.version).toBe(DB_VERSION);

    const beside = await worker.jobs.forRow(CONSOLE, '4711', now);
    expect(beside.map((j) => j.id)).toEqual(['job-done']);
    expect(beside[0]?.run?.output?.stdout).toBe(done.run.output.stdout);

    const page = await worker.history.search(everything, null, 50);
    expect(page.jobs.map((j) => j.id)).toEqual(['job-running', 'job-done']);
    expect(page.jobs[1]?.run?.output?.taxonomies).toEqual(done.run.output.taxonomies);
    // Searching by the row's value finds the old job through today's matcher.
    const found = await worker.history.search(HistoryQuerySchema.parse({ text: '198.51.100.7' }), null, 50);
    expect(found.jobs.map((j) => j.id)).toEqual(['job-done']);

    // The bare token predates origin binding: it stays stored, but is never handed out (re-entered once).
    expect(await db.get('secrets', 'main')).toBe('old-bare-token');
    expect(await worker.secrets.get('main', 'https://orchestrator.example')).toBeUndefined();

    // The new stores exist and work: the old finished job can be pinned.
    const pin = await worker.pins.add('job-done', 'kept across the update', here);
    expect(pin.summary).toBe(done.run.output.stdout);
    expect(await worker.pins.markers(CONSOLE, ['4711', '4712'], here)).toEqual({ '4711': 1 });
    db.close();
  });

  it('follows the job that was still running to its end', async () => {
    const worker = currentWorker(name);
    const pushed: string[] = [];
    const engine = createJobEngine({
      store: worker.jobs,
      connectorFor: async () => finishedConnector((runId) => ({ ...done.run, id: runId }) as unknown as Run),
      push: async (_tab, message) => {
        if (message.type === 'job.update') pushed.push(`${message.job.id}:${message.job.status}`);
      },
      now: () => now,
    });
    expect(await engine.resumeUnfinished('restart')).toBe(1);
    await engine.idle();
    const resumed = await worker.jobs.get('job-running');
    expect(resumed?.status).toBe('succeeded');
    expect(resumed?.open).toBe(0);
    expect(resumed?.run?.output?.stdout).toBe(done.run.output.stdout);
    expect(pushed).toEqual(['job-running:succeeded']);
    engine.stop();
    (await worker.db).close();
  });
});

describe('a database written by release version 2 (pins)', () => {
  const name = 'gridside-upgrade-from-2';
  const first = v1FinishedJob('job-a', '5001', '203.0.113.10', now - 7_200_000);
  const second = v1FinishedJob('job-b', '5001', '203.0.113.11', now - 3_600_000);
  const other = v1FinishedJob('job-c', '5002', '203.0.113.12', now - 1_800_000);
  const pins = [
    v2Pin(first, 'first look', now - 7_000_000),
    v2Pin(second, 'escalated to tier 2', now - 3_500_000),
  ];

  it('opens at the current version with every pin beside its row and every job in the history', async () => {
    await writeVersion2(name, {
      jobs: [first, second, other],
      pins,
      secret: { secret: 'bound-token', origin: 'https://orchestrator.example' },
    });
    const worker = currentWorker(name);
    const db = await worker.db;
    expect(db.version).toBe(DB_VERSION);

    const rowPins = await worker.pins.forRow(CONSOLE, '5001', here);
    expect(rowPins.map((p) => [p.jobId, p.note])).toEqual([
      ['job-b', 'escalated to tier 2'],
      ['job-a', 'first look'],
    ]);
    expect(rowPins[0]?.output?.stdout).toBe(second.run.output.stdout);
    expect(await worker.pins.markers(CONSOLE, ['5001', '5002'], here)).toEqual({ '5001': 2 });
    // A note still changes, on a pin written by the old release.
    const edited = await worker.pins.setNote('pin:job-a', 'closed: false positive', here);
    expect(edited.note).toBe('closed: false positive');

    const page = await worker.history.search(everything, null, 50);
    expect(page.jobs.map((j) => j.id)).toEqual(['job-c', 'job-b', 'job-a']);
    expect(await worker.secrets.get('main', 'https://orchestrator.example')).toBe('bound-token');
    db.close();
  });

  it('opens again (the next worker start) with nothing changed', async () => {
    const worker = currentWorker(name);
    expect((await worker.pins.forRow(CONSOLE, '5001', here)).length).toBe(2);
    expect((await worker.history.search(everything, null, 50)).jobs.length).toBe(3);
    (await worker.db).close();
  });
});
