import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { DURATION_BUCKETS, readRunTallies } from '../../src/orchestrator/run-tallies.ts';
import { openDb, type RunRecord, RunStore } from '../../src/orchestrator/store.ts';

/**
 * /metrics reads running totals instead of counting every run at each scrape (run-tallies.ts). Whatever
 * happens to the runs, the totals must equal what counting them would give.
 */
const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});
const dbFile = () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'gridside-tallies-'));
  dirs.push(dir);
  return path.join(dir, 'o.db');
};

const run = (id: string, actionId: string, over: Partial<RunRecord> = {}): RunRecord => ({
  id,
  actionId,
  actionName: actionId,
  status: 'queued',
  requestedBy: 'alice',
  params: {},
  alarmId: null,
  rowKey: 'log-1',
  reason: null,
  createdAt: new Date().toISOString(),
  startedAt: null,
  finishedAt: null,
  durationMs: null,
  pid: null,
  ...over,
});

/** What counting every run gives, the way /metrics counted before. */
function counted(db: Database.Database) {
  const byActionAndStatus = db
    .prepare('SELECT action_id AS action, status, COUNT(*) AS n FROM runs GROUP BY 1, 2 ORDER BY 1, 2')
    .all();
  const durations = db
    .prepare(
      'SELECT COUNT(*) AS n, COALESCE(SUM(duration_ms), 0) AS total FROM runs WHERE duration_ms IS NOT NULL',
    )
    .get() as { n: number; total: number };
  const buckets = DURATION_BUCKETS.map((le) => ({
    leMs: le * 1000,
    n: (db.prepare('SELECT COUNT(*) AS n FROM runs WHERE duration_ms <= ?').get(le * 1000) as { n: number })
      .n,
  }));
  return { byActionAndStatus, durations: { n: durations.n, totalMs: durations.total, buckets } };
}
const tallied = (db: Database.Database) => {
  const { byActionAndStatus, durations } = readRunTallies(db);
  return { byActionAndStatus, durations };
};

describe('run totals for /metrics', () => {
  it('follow inserts, status changes, durations and deletes', () => {
    const db = openDb(dbFile());
    const store = new RunStore(db);
    store.insert(run('a', 'geo/ip'));
    store.insert(run('b', 'geo/ip'));
    store.insert(run('c', 'ad/disable', { status: 'pending_approval' }));
    store.update('a', { status: 'running', startedAt: new Date().toISOString() });
    store.update('a', { status: 'succeeded', durationMs: 180 });
    store.update('b', { status: 'running' });
    store.update('b', { status: 'failed', durationMs: 42_000 });
    store.update('b', { reason: 'the plugin exited with code 1' });
    store.update('c', { status: 'denied' });
    // A finished run imported whole (as the scale benchmark seeds them) counts too.
    store.insert(run('d', 'geo/ip', { status: 'succeeded', durationMs: 900 }));
    expect(tallied(db)).toEqual(counted(db));
    expect(readRunTallies(db).inStatus('succeeded')).toBe(2);
    expect(readRunTallies(db).inStatus('pending_approval')).toBe(0);

    db.pragma('foreign_keys = OFF');
    db.prepare('DELETE FROM runs WHERE id = ?').run('d');
    expect(tallied(db)).toEqual(counted(db));
    db.close();
  });

  it('are counted once for a database that had runs before the totals existed', () => {
    const file = dbFile();
    const first = openDb(file);
    const store = new RunStore(first);
    store.insert(run('a', 'geo/ip', { status: 'succeeded', durationMs: 300 }));
    store.insert(run('b', 'geo/ip', { status: 'failed', durationMs: 7000 }));
    // As an orchestrator of an earlier version left it: runs, no totals.
    first.exec(
      'DROP TRIGGER run_tallies_insert; DROP TRIGGER run_tallies_update; DROP TRIGGER run_tallies_delete; DROP TABLE run_counts; DROP TABLE run_durations;',
    );
    store.insert(run('c', 'geo/ip', { status: 'succeeded', durationMs: 50 }));
    first.close();

    const again = openDb(file);
    expect(tallied(again)).toEqual(counted(again));
    expect(readRunTallies(again).durations.n).toBe(3);
    again.close();
  });
});

describe('a run change and its audit record', () => {
  it('are kept together or not at all', async () => {
    const { AuditLog } = await import('../../src/orchestrator/audit.ts');
    const db = openDb(dbFile());
    const store = new RunStore(db);
    let failing = false;
    // The audit log reads the secrets to redact on every append: failing there fails the append.
    const audit = new AuditLog(db, () => {
      if (failing) throw new Error('disk full');
      return [];
    });
    store.atomically(() => {
      store.insert(run('a', 'geo/ip'));
      audit.append({ actor: 'alice', event: 'run.requested', runId: 'a', outcome: 'queued' });
    });
    failing = true;
    expect(() =>
      store.atomically(() => {
        store.insert(run('b', 'geo/ip'));
        audit.append({ actor: 'alice', event: 'run.requested', runId: 'b', outcome: 'queued' });
      }),
    ).toThrow('disk full');
    expect(store.get('a')).toBeDefined();
    expect(store.get('b')).toBeUndefined();
    expect(readRunTallies(db).inStatus('queued')).toBe(1);
    db.close();
  });
});
