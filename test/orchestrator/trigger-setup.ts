import { readFileSync } from 'node:fs';
import Database from 'better-sqlite3';
import { EVENT_SIGNATURE_HEADER, EVENT_TIMESTAMP_HEADER } from '../../src/core/triggers-api.ts';
import { signEvent } from '../../src/orchestrator/webhook-signature.ts';
import type { OrchestratorHandle } from '../support/orchestrator-process.ts';

/** Shared pieces of the trigger tests: signing and posting events, reading the audit trail and the fixtures. */

export const WEBHOOK_SECRET = 'trigger-test-webhook-secret-7f3a91';

export async function postEvent(
  orch: OrchestratorHandle,
  body: unknown,
  options: {
    secret?: string;
    timestamp?: number;
    raw?: string;
    signature?: string;
    contentType?: string;
  } = {},
) {
  const raw = options.raw ?? JSON.stringify(body);
  const timestamp = String(options.timestamp ?? Math.floor(Date.now() / 1000));
  const signature = options.signature ?? signEvent(options.secret ?? WEBHOOK_SECRET, timestamp, raw);
  const response = await fetch(`${orch.url}/api/v1/events`, {
    method: 'POST',
    headers: {
      'content-type': options.contentType ?? 'application/json',
      [EVENT_TIMESTAMP_HEADER]: timestamp,
      [EVENT_SIGNATURE_HEADER]: signature,
    },
    body: raw,
  });
  // biome-ignore lint/suspicious/noExplicitAny: tests read the answer loosely and check it field by field
  return { status: response.status, body: (await response.json()) as any, raw, timestamp, signature };
}

export interface AuditRow {
  seq: number;
  actor: string;
  event: string;
  run_id: string | null;
  action_id: string | null;
  outcome: string;
}

/** The audit trail as the orchestrator wrote it to its database (read-only beside the running process). */
export function auditTrail(orch: OrchestratorHandle): AuditRow[] {
  const db = new Database(orch.db, { readonly: true, fileMustExist: true });
  try {
    return db
      .prepare('SELECT seq, actor, event, run_id, action_id, outcome FROM audit ORDER BY seq')
      .all() as AuditRow[];
  } finally {
    db.close();
  }
}

export function logrhythmFixture<T = unknown>(name: string): T {
  return JSON.parse(readFileSync(new URL(`../fixtures/logrhythm/${name}`, import.meta.url), 'utf8')) as T;
}
