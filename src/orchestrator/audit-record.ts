/**
 * The shapes of the audit trail (audit.ts): what is appended, and a record as stored with its hashes. Kept
 * apart so the checkpoint signer (audit-anchor.ts) can read records without importing the trail itself.
 */

export type AuditEvent =
  | 'run.requested'
  | 'run.started'
  | 'run.finished'
  | 'run.canceled'
  | 'approval.approved'
  | 'approval.denied'
  | 'request.refused'
  | 'plugin.imported'
  | 'plugin.refused'
  | 'audit.checkpoint'
  | 'outputs.pruned'
  | 'plugin.import-refused'
  | 'plugin.files-changed'
  | 'plugin.trusted'
  | 'plugin.disabled'
  | 'plugin.enabled'
  | 'trigger.fired'
  | 'trigger.skipped'
  | 'trigger.poll';

export interface AuditEntry {
  actor: string;
  event: AuditEvent;
  runId?: string | null;
  actionId?: string | null;
  params?: Record<string, string> | null;
  outcome: string;
}

export interface AuditRecord {
  seq: number;
  at: string;
  actor: string;
  event: string;
  runId: string | null;
  actionId: string | null;
  params: Record<string, string> | null;
  outcome: string;
  prevHash: string;
  hash: string;
}

/** An audit record as the `audit` table holds it. */
export interface AuditRow {
  seq: number;
  at: string;
  actor: string;
  event: string;
  run_id: string | null;
  action_id: string | null;
  params_json: string | null;
  outcome: string;
  prev_hash: string;
  hash: string;
}

/** The table's row as the record the trail and its readers (syslog, verify) use. */
export const fromRow = (row: AuditRow): AuditRecord => ({
  seq: row.seq,
  at: row.at,
  actor: row.actor,
  event: row.event,
  runId: row.run_id,
  actionId: row.action_id,
  params: row.params_json === null ? null : (JSON.parse(row.params_json) as Record<string, string>),
  outcome: row.outcome,
  prevHash: row.prev_hash,
  hash: row.hash,
});
