import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { openDb, type RunRecord, RunStore } from '../../../src/orchestrator/store.ts';

/**
 * Idempotency keys in the run store: a database from before keys gets their columns when it is opened,
 * and one key names one run per requester whatever the code above the store does.
 */

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function dbFile(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'gridside-start-keys-'));
  dirs.push(dir);
  return path.join(dir, 'orchestrator.db');
}

/** The runs table as orchestrators before idempotency keys created it. */
const RUNS_BEFORE_KEYS = `
CREATE TABLE runs (
  id TEXT PRIMARY KEY, action_id TEXT NOT NULL, action_name TEXT NOT NULL, status TEXT NOT NULL,
  requested_by TEXT NOT NULL, params_json TEXT NOT NULL, alarm_id TEXT, row_key TEXT, reason TEXT,
  created_at TEXT NOT NULL, started_at TEXT, finished_at TEXT, duration_ms INTEGER, pid INTEGER
);
INSERT INTO runs VALUES ('old-run', 'ad/disable', 'Disable Account', 'pending_approval', 'alice', '{}',
  '7', 'alarm-7', NULL, '2025-01-01T00:00:00.000Z', NULL, NULL, NULL, NULL);
`;

const run = (id: string, change: Partial<RunRecord> = {}): RunRecord => ({
  id,
  actionId: 'ad/disable',
  actionName: 'Disable Account',
  status: 'pending_approval',
  requestedBy: 'alice',
  params: {},
  alarmId: null,
  rowKey: null,
  reason: null,
  createdAt: new Date().toISOString(),
  startedAt: null,
  finishedAt: null,
  durationMs: null,
  pid: null,
  ...change,
});

describe('idempotency keys in the run store', () => {
  it('are added to a database from before them, its runs kept without a key', () => {
    const file = dbFile();
    const old = new Database(file);
    old.exec(RUNS_BEFORE_KEYS);
    old.close();
    const db = openDb(file);
    const store = new RunStore(db);
    expect(store.get('old-run')).toMatchObject({ status: 'pending_approval', startKey: null });
    store.insert(run('new-run', { startKey: 'job-1', startFingerprint: 'f1' }));
    expect(store.startedWith('alice', 'job-1')?.id).toBe('new-run');
    db.close();
    // Opened again: nothing to add twice.
    const again = openDb(file);
    expect(new RunStore(again).startedWith('alice', 'job-1')?.startFingerprint).toBe('f1');
    again.close();
  });

  it('name one run per requester', () => {
    const db = openDb(dbFile());
    const store = new RunStore(db);
    store.insert(run('a', { startKey: 'job-1', startFingerprint: 'f' }));
    expect(() => store.insert(run('b', { startKey: 'job-1', startFingerprint: 'f' }))).toThrow(/UNIQUE/);
    store.insert(run('c', { requestedBy: 'dave', startKey: 'job-1', startFingerprint: 'f' }));
    // Runs without a key are not one another's repeats.
    store.insert(run('d'));
    store.insert(run('e'));
    expect(store.startedWith('alice', 'job-1')?.id).toBe('a');
    expect(store.startedWith('dave', 'job-1')?.id).toBe('c');
    expect(store.startedWith('alice', 'job-2')).toBeUndefined();
    db.close();
  });
});
