import Database from 'better-sqlite3';
import type { RunOutput, RunStatus } from '../core/api.ts';
import { OUTPUT_CHUNKS_SCHEMA, OutputJournal, recoverOutput } from './output-journal.ts';
import { keepRunTallies } from './run-tallies.ts';

/**
 * Everything the orchestrator must not forget across a restart: runs, approvals, outputs, the audit
 * chain and the plugin manifests. One SQLite file in WAL mode; all writes are synchronous, so a run's
 * state is on disk before the HTTP answer that reports it.
 */

import { cacheStatements, type Db } from './sqlite.ts';

export type { Db };

const SCHEMA = `
CREATE TABLE IF NOT EXISTS runs (
  id TEXT PRIMARY KEY,
  action_id TEXT NOT NULL,
  action_name TEXT NOT NULL,
  status TEXT NOT NULL,
  requested_by TEXT NOT NULL,
  params_json TEXT NOT NULL,
  alarm_id TEXT,
  row_key TEXT,
  reason TEXT,
  created_at TEXT NOT NULL,
  started_at TEXT,
  finished_at TEXT,
  duration_ms INTEGER,
  pid INTEGER,
  start_key TEXT,
  start_fingerprint TEXT
);
-- Each history query (newest, a row's, an alarm's, by status: the approvals list) reads its page straight
-- off one of these in created_at order, so it costs the same with a million runs stored as with none.
-- They replace single-column indexes that left SQLite sorting every matching run for each page.
DROP INDEX IF EXISTS runs_alarm;
DROP INDEX IF EXISTS runs_row;
DROP INDEX IF EXISTS runs_status;
CREATE INDEX IF NOT EXISTS runs_created ON runs(created_at);
CREATE INDEX IF NOT EXISTS runs_alarm_created ON runs(alarm_id, created_at);
CREATE INDEX IF NOT EXISTS runs_row_created ON runs(row_key, created_at);
CREATE INDEX IF NOT EXISTS runs_status_created ON runs(status, created_at);
CREATE TABLE IF NOT EXISTS approvals (
  run_id TEXT NOT NULL REFERENCES runs(id),
  level INTEGER NOT NULL,
  status TEXT NOT NULL,
  by TEXT NOT NULL,
  at TEXT NOT NULL,
  comment TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS approvals_run ON approvals(run_id);
CREATE TABLE IF NOT EXISTS outputs (
  run_id TEXT PRIMARY KEY REFERENCES runs(id),
  stdout TEXT NOT NULL,
  stderr TEXT NOT NULL,
  exit_code INTEGER,
  truncated INTEGER NOT NULL,
  taxonomies_json TEXT,
  data_json TEXT
);
CREATE TABLE IF NOT EXISTS plugins (
  id TEXT PRIMARY KEY,
  source TEXT NOT NULL,
  dir TEXT NOT NULL,
  model_json TEXT NOT NULL,
  imported_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS plugin_files (
  plugin_id TEXT NOT NULL,
  path TEXT NOT NULL,
  sha256 TEXT NOT NULL,
  size INTEGER NOT NULL,
  PRIMARY KEY (plugin_id, path)
);
CREATE TABLE IF NOT EXISTS audit (
  seq INTEGER PRIMARY KEY,
  at TEXT NOT NULL,
  actor TEXT NOT NULL,
  event TEXT NOT NULL,
  run_id TEXT,
  action_id TEXT,
  params_json TEXT,
  outcome TEXT NOT NULL,
  prev_hash TEXT NOT NULL,
  hash TEXT NOT NULL
);
-- Append-only: the orchestrator never rewrites history. Someone with the file can drop these triggers,
-- which is what the hash chain (audit-verify) is for.
CREATE TRIGGER IF NOT EXISTS audit_no_update BEFORE UPDATE ON audit
  BEGIN SELECT RAISE(ABORT, 'audit records are append-only'); END;
CREATE TRIGGER IF NOT EXISTS audit_no_delete BEFORE DELETE ON audit
  BEGIN SELECT RAISE(ABORT, 'audit records are append-only'); END;
`;

export function openDb(file: string): Db {
  const db = cacheStatements(new Database(file));
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.pragma('foreign_keys = ON');
  db.exec(SCHEMA);
  keepStartKeys(db);
  db.exec(OUTPUT_CHUNKS_SCHEMA);
  keepRunTallies(db);
  return db;
}

/**
 * A start's idempotency key (`StartRunRequest.idempotencyKey`) and the fingerprint of the start it came
 * with, kept on the run it started, as long as the run is kept. A database from before keys gets the two
 * columns when it is opened; its runs have none. One key names one run per requester: the unique index
 * refuses a second, whatever the code above it does.
 */
function keepStartKeys(db: Db): void {
  const columns = new Set((db.pragma('table_info(runs)') as { name: string }[]).map(({ name }) => name));
  if (!columns.has('start_key')) db.exec('ALTER TABLE runs ADD COLUMN start_key TEXT');
  if (!columns.has('start_fingerprint')) db.exec('ALTER TABLE runs ADD COLUMN start_fingerprint TEXT');
  db.exec(
    'CREATE UNIQUE INDEX IF NOT EXISTS runs_start_key ON runs(requested_by, start_key) WHERE start_key IS NOT NULL',
  );
}

export interface RunRecord {
  id: string;
  actionId: string;
  actionName: string;
  status: RunStatus;
  requestedBy: string;
  /** Values sent by the client or bound from row fields; never encrypted or config-filled values. */
  params: Record<string, string>;
  alarmId: string | null;
  rowKey: string | null;
  reason: string | null;
  createdAt: string;
  startedAt: string | null;
  finishedAt: string | null;
  durationMs: number | null;
  pid: number | null;
  /** The idempotency key the run was started with, if any (`keepStartKeys`). */
  startKey?: string | null;
  /** What the start with `startKey` asked for (runs.ts `startFingerprint`): a repeat must ask the same. */
  startFingerprint?: string | null;
}

export interface ApprovalRecord {
  level: number;
  status: 'approved' | 'denied';
  by: string;
  at: string;
  comment: string;
}

interface RunRow {
  id: string;
  action_id: string;
  action_name: string;
  status: RunStatus;
  requested_by: string;
  params_json: string;
  alarm_id: string | null;
  row_key: string | null;
  reason: string | null;
  created_at: string;
  started_at: string | null;
  finished_at: string | null;
  duration_ms: number | null;
  pid: number | null;
  start_key: string | null;
  start_fingerprint: string | null;
}

const toRecord = (row: RunRow): RunRecord => ({
  id: row.id,
  actionId: row.action_id,
  actionName: row.action_name,
  status: row.status,
  requestedBy: row.requested_by,
  params: JSON.parse(row.params_json) as Record<string, string>,
  alarmId: row.alarm_id,
  rowKey: row.row_key,
  reason: row.reason,
  createdAt: row.created_at,
  startedAt: row.started_at,
  finishedAt: row.finished_at,
  durationMs: row.duration_ms,
  pid: row.pid,
  startKey: row.start_key,
  startFingerprint: row.start_fingerprint,
});

export interface RunFilter {
  alarmId?: string;
  rowKey?: string;
  status?: RunStatus;
  limit: number;
}

/** The history query for `filter` (parameters by name, as in the filter), newest first. */
export function listQuery(filter: Omit<RunFilter, 'limit'>): string {
  const where: string[] = [];
  if (filter.alarmId !== undefined) where.push('alarm_id = @alarmId');
  if (filter.rowKey !== undefined) where.push('row_key = @rowKey');
  if (filter.status !== undefined) where.push('status = @status');
  return `SELECT * FROM runs ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
      ORDER BY created_at DESC, rowid DESC LIMIT @limit`;
}

/** Typed access to the runs, approvals and outputs tables. */
export class RunStore {
  /** One transaction function for every `atomically` (better-sqlite3 builds a wrapper per call otherwise). */
  private readonly inTransaction: (write: () => unknown) => unknown;

  constructor(private readonly db: Db) {
    this.inTransaction = db.transaction((write: () => unknown) => write());
  }

  /**
   * Runs `write` as one transaction: a run's change and its audit record are on disk together or not at
   * all, and cost one commit instead of two.
   */
  atomically<T>(write: () => T): T {
    return this.inTransaction(write) as T;
  }

  insert(run: RunRecord): void {
    this.db
      .prepare(
        `INSERT INTO runs (id, action_id, action_name, status, requested_by, params_json, alarm_id, row_key,
         reason, created_at, started_at, finished_at, duration_ms, pid, start_key, start_fingerprint)
         VALUES (@id, @actionId, @actionName, @status, @requestedBy, @paramsJson, @alarmId, @rowKey, @reason,
         @createdAt, @startedAt, @finishedAt, @durationMs, @pid, @startKey, @startFingerprint)`,
      )
      .run({
        ...run,
        paramsJson: JSON.stringify(run.params),
        startKey: run.startKey ?? null,
        startFingerprint: run.startFingerprint ?? null,
      });
  }

  /** The run `requestedBy` started with the idempotency key `key`, if any. */
  startedWith(requestedBy: string, key: string): RunRecord | undefined {
    const row = this.db
      .prepare('SELECT * FROM runs WHERE requested_by = ? AND start_key = ?')
      .get(requestedBy, key) as RunRow | undefined;
    return row ? toRecord(row) : undefined;
  }

  update(
    id: string,
    change: Partial<Pick<RunRecord, 'status' | 'reason' | 'startedAt' | 'finishedAt' | 'durationMs' | 'pid'>>,
  ): void {
    const columns: Record<string, string> = {
      status: 'status',
      reason: 'reason',
      startedAt: 'started_at',
      finishedAt: 'finished_at',
      durationMs: 'duration_ms',
      pid: 'pid',
    };
    const keys = Object.keys(change).filter((key) => key in columns);
    if (keys.length === 0) return;
    const sets = keys.map((key) => `${columns[key]} = @${key}`).join(', ');
    this.db.prepare(`UPDATE runs SET ${sets} WHERE id = @id`).run({ ...change, id });
  }

  get(id: string): RunRecord | undefined {
    const row = this.db.prepare('SELECT * FROM runs WHERE id = ?').get(id) as RunRow | undefined;
    return row ? toRecord(row) : undefined;
  }

  /** A run's status and action alone (what a long poll looks at), or undefined for an unknown run. */
  statusOf(id: string): Pick<RunRecord, 'status' | 'actionId'> | undefined {
    const row = this.db.prepare('SELECT status, action_id FROM runs WHERE id = ?').get(id) as
      | Pick<RunRow, 'status' | 'action_id'>
      | undefined;
    return row ? { status: row.status, actionId: row.action_id } : undefined;
  }

  list(filter: RunFilter): RunRecord[] {
    return (this.db.prepare(listQuery(filter)).all(filter) as RunRow[]).map(toRecord);
  }

  withStatus(statuses: RunStatus[]): RunRecord[] {
    const marks = statuses.map(() => '?').join(', ');
    const sql = `SELECT * FROM runs WHERE status IN (${marks}) ORDER BY created_at, rowid`;
    return (this.db.prepare(sql).all(...statuses) as RunRow[]).map(toRecord);
  }

  addApproval(runId: string, approval: ApprovalRecord): void {
    this.db
      .prepare(
        'INSERT INTO approvals (run_id, level, status, by, at, comment) VALUES (@runId, @level, @status, @by, @at, @comment)',
      )
      .run({ runId, ...approval });
  }

  approvals(runId: string): ApprovalRecord[] {
    return this.db
      .prepare('SELECT level, status, by, at, comment FROM approvals WHERE run_id = ? ORDER BY rowid')
      .all(runId) as ApprovalRecord[];
  }

  saveOutput(runId: string, output: RunOutput): void {
    this.db
      .prepare(
        `INSERT OR REPLACE INTO outputs (run_id, stdout, stderr, exit_code, truncated, taxonomies_json, data_json)
         VALUES (?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(
        runId,
        output.stdout,
        output.stderr,
        output.exitCode,
        output.truncated ? 1 : 0,
        output.taxonomies ? JSON.stringify(output.taxonomies) : null,
        output.data === undefined ? null : JSON.stringify(output.data),
      );
  }

  /** Saves a running plugin's output as it arrives (output-journal.ts). */
  journal(runId: string, secrets: readonly string[]): OutputJournal {
    return new OutputJournal(this.db, runId, secrets);
  }

  /** After a crash: the output a run had saved so far becomes its output, redacted of `secrets`. */
  recoverOutput(runId: string, secrets: readonly string[]): void {
    const output = recoverOutput(this.db, runId, secrets);
    if (output && !this.output(runId)) this.saveOutput(runId, output);
  }

  output(runId: string): RunOutput | null {
    const row = this.db.prepare('SELECT * FROM outputs WHERE run_id = ?').get(runId) as
      | {
          stdout: string;
          stderr: string;
          exit_code: number | null;
          truncated: number;
          taxonomies_json: string | null;
          data_json: string | null;
        }
      | undefined;
    if (!row) return null;
    const output: RunOutput = {
      stdout: row.stdout,
      stderr: row.stderr,
      exitCode: row.exit_code,
      truncated: row.truncated === 1,
    };
    if (row.taxonomies_json !== null) output.taxonomies = JSON.parse(row.taxonomies_json);
    if (row.data_json !== null) output.data = JSON.parse(row.data_json);
    return output;
  }
}
