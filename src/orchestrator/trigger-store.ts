import type { RowKind } from '../core/row-context.ts';
import type { Db } from './store.ts';

/**
 * What triggers must not forget across a restart: which run each trigger started and for which row (the
 * extension's marks and the dedupe window read it), the events a poll already handled, where the poll
 * continues from, and the webhook signatures already used (a replay within the window is refused).
 */

const SCHEMA = `
CREATE TABLE IF NOT EXISTS trigger_runs (
  run_id TEXT NOT NULL REFERENCES runs(id),
  rule TEXT NOT NULL,
  action_id TEXT NOT NULL,
  values_key TEXT NOT NULL,
  kind TEXT NOT NULL,
  row_key TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  PRIMARY KEY (run_id, kind, row_key)
);
CREATE INDEX IF NOT EXISTS trigger_runs_row ON trigger_runs(kind, row_key, created_at);
CREATE INDEX IF NOT EXISTS trigger_runs_dedupe ON trigger_runs(action_id, values_key, created_at);
CREATE TABLE IF NOT EXISTS trigger_seen (
  source TEXT NOT NULL,
  event_id TEXT NOT NULL,
  at INTEGER NOT NULL,
  PRIMARY KEY (source, event_id)
);
CREATE TABLE IF NOT EXISTS trigger_cursor (
  source TEXT PRIMARY KEY,
  cursor TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS webhook_signatures (
  signature TEXT PRIMARY KEY,
  at INTEGER NOT NULL
);
`;

export interface TriggerRunRecord {
  runId: string;
  rule: string;
  createdAt: number;
}

export class TriggerStore {
  constructor(private readonly db: Db) {
    db.exec(SCHEMA);
  }

  recordRun(run: {
    runId: string;
    rule: string;
    actionId: string;
    valuesKey: string;
    kind: RowKind;
    rowKey: string;
    at: number;
  }): void {
    this.db
      .prepare(
        `INSERT OR IGNORE INTO trigger_runs (run_id, rule, action_id, values_key, kind, row_key, created_at)
         VALUES (@runId, @rule, @actionId, @valuesKey, @kind, @rowKey, @at)`,
      )
      .run(run);
  }

  /** The run the same action with the same values started since `since`, if any. */
  recentRun(actionId: string, valuesKey: string, since: number): string | undefined {
    const row = this.db
      .prepare(
        'SELECT run_id FROM trigger_runs WHERE action_id = ? AND values_key = ? AND created_at >= ? ORDER BY created_at DESC LIMIT 1',
      )
      .get(actionId, valuesKey, since) as { run_id: string } | undefined;
    return row?.run_id;
  }

  /** The newest triggered run of a row. */
  latestForRow(kind: RowKind, rowKey: string): TriggerRunRecord | undefined {
    const row = this.db
      .prepare(
        'SELECT run_id, rule, created_at FROM trigger_runs WHERE kind = ? AND row_key = ? ORDER BY created_at DESC, rowid DESC LIMIT 1',
      )
      .get(kind, rowKey) as { run_id: string; rule: string; created_at: number } | undefined;
    return row ? { runId: row.run_id, rule: row.rule, createdAt: row.created_at } : undefined;
  }

  /** Marks an event handled; false when it already was (then it must not be handled again). */
  markSeen(source: string, eventId: string, at: number): boolean {
    const result = this.db
      .prepare('INSERT OR IGNORE INTO trigger_seen (source, event_id, at) VALUES (?, ?, ?)')
      .run(source, eventId, at);
    return result.changes === 1;
  }

  wasSeen(source: string, eventId: string): boolean {
    return (
      this.db.prepare('SELECT 1 FROM trigger_seen WHERE source = ? AND event_id = ?').get(source, eventId) !==
      undefined
    );
  }

  cursor(source: string): string | undefined {
    const row = this.db.prepare('SELECT cursor FROM trigger_cursor WHERE source = ?').get(source) as
      | { cursor: string }
      | undefined;
    return row?.cursor;
  }

  saveCursor(source: string, cursor: string): void {
    this.db
      .prepare(
        'INSERT INTO trigger_cursor (source, cursor) VALUES (?, ?) ON CONFLICT(source) DO UPDATE SET cursor = excluded.cursor',
      )
      .run(source, cursor);
  }

  /**
   * Remembers a webhook signature; false when it was used before (a replay). `signedAt` is the request's
   * signed timestamp (Unix seconds). A signature is accepted while that timestamp is within
   * `toleranceSeconds` of now, compared in whole seconds, so it must be kept at least until `signedAt +
   * toleranceSeconds + 1` s has passed. Forgetting by time of receipt instead let a request signed at the
   * far edge of the window (a SIEM clock running ahead) be sent again just before its timestamp left it.
   */
  useSignature(signature: string, signedAt: number, toleranceSeconds: number, nowMs: number): boolean {
    // `at` holds the signed time in ms. Orchestrators before this one stored the time of receipt, up to
    // one window before the signed time: keeping every row one window longer covers their rows too.
    this.db
      .prepare('DELETE FROM webhook_signatures WHERE at < ?')
      .run(nowMs - (2 * toleranceSeconds + 1) * 1000);
    const result = this.db
      .prepare('INSERT OR IGNORE INTO webhook_signatures (signature, at) VALUES (?, ?)')
      .run(signature, signedAt * 1000);
    return result.changes === 1;
  }
}
