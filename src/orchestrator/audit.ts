import { hash } from 'node:crypto';
import type { AuditSigner } from './audit-anchor.ts';
import { type AuditEntry, type AuditRecord, type AuditRow, fromRow } from './audit-record.ts';
import { isDiskFull, logDiskFull } from './disk-full.ts';
import { redactSecrets } from './redact.ts';
import type { Db } from './sqlite.ts';

export { redactSecrets } from './redact.ts';

/**
 * The audit trail: one append-only table whose records are chained by hash, so that editing, deleting or
 * reordering a record after the fact is detectable (`npm run audit:verify`). Every run, approval, denial,
 * cancel, refused request and plugin import is recorded here, with secret values redacted.
 */

export type { AuditEntry, AuditEvent, AuditRecord } from './audit-record.ts';

/** The chain starts from this value, so the first record's prevHash is well defined. */
export const GENESIS_HASH = '0'.repeat(64);

/** JSON with object keys sorted at every depth: the same record always hashes the same. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

export function recordHash(record: Omit<AuditRecord, 'hash'> & { hash?: string }): string {
  const { prevHash, hash: _stored, ...content } = record;
  // The one-shot form: a Hash object per record cost more than hashing the record itself.
  return hash('sha256', prevHash + canonicalJson(content), 'hex');
}

export class AuditLog {
  private signer: AuditSigner | undefined;
  private sinceCheckpoint = 0;
  private timer: NodeJS.Timeout | undefined;

  /** Exact secret values to blank out of anything recorded, whatever field they hide in. */
  constructor(
    private readonly db: Db,
    private readonly secrets: () => readonly string[] = () => [],
  ) {}

  /**
   * From now on, signs a checkpoint (audit-anchor.ts) after every `everyRecords` records and every
   * `everySeconds` while records were added.
   */
  anchorWith(signer: AuditSigner): void {
    this.signer = signer;
    this.timer = setInterval(() => {
      try {
        if (this.sinceCheckpoint > 0) this.checkpoint();
      } catch (error) {
        // A full disk must not stop the orchestrator: the checkpoint is signed on a later tick.
        if (!isDiskFull(error)) throw error;
        logDiskFull('signing an audit checkpoint', error);
      }
    }, signer.everySeconds * 1000);
    this.timer.unref();
  }

  /** Signs the trail as it is now (also at shutdown), into the trail and the external file. */
  checkpoint(): void {
    const signer = this.signer;
    if (!signer) return;
    const last = this.db.prepare('SELECT seq, hash FROM audit ORDER BY seq DESC LIMIT 1').get() as
      | { seq: number; hash: string }
      | undefined;
    const checkpoint = signer.sign(last?.seq ?? 0, last?.hash ?? GENESIS_HASH);
    this.sinceCheckpoint = 0;
    this.write({ actor: 'system', event: 'audit.checkpoint', outcome: JSON.stringify(checkpoint) });
    try {
      signer.appendToFile(checkpoint);
    } catch (error) {
      // The checkpoint is still in the trail; the admin must learn that the outside copy is missing.
      process.stderr.write(
        `gridside-orchestrator: could not write the audit checkpoint file: ${(error as Error).message}\n`,
      );
    }
  }

  stopAnchoring(): void {
    clearInterval(this.timer);
    if (this.sinceCheckpoint > 0) this.checkpoint();
    this.signer = undefined;
  }

  append(entry: AuditEntry): AuditRecord {
    const record = this.write(entry);
    if (this.signer) {
      this.sinceCheckpoint += 1;
      if (this.sinceCheckpoint >= this.signer.everyRecords) this.checkpoint();
    }
    return record;
  }

  private write(entry: AuditEntry): AuditRecord {
    const secrets = this.secrets(); // once per record, not once per field
    const redact = (text: string): string => redactSecrets(text, secrets);
    const write = this.db.transaction((): AuditRecord => {
      const last = this.db.prepare('SELECT seq, hash FROM audit ORDER BY seq DESC LIMIT 1').get() as
        | { seq: number; hash: string }
        | undefined;
      const params = entry.params
        ? Object.fromEntries(Object.entries(entry.params).map(([k, v]) => [k, redact(v)]))
        : null;
      const base = {
        seq: (last?.seq ?? 0) + 1,
        at: new Date().toISOString(),
        actor: redact(entry.actor),
        event: entry.event,
        runId: entry.runId ?? null,
        actionId: entry.actionId ?? null,
        params,
        outcome: redact(entry.outcome),
        prevHash: last?.hash ?? GENESIS_HASH,
      };
      const record: AuditRecord = { ...base, hash: recordHash(base) };
      this.db
        .prepare(
          `INSERT INTO audit (seq, at, actor, event, run_id, action_id, params_json, outcome, prev_hash, hash)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        )
        .run(
          record.seq,
          record.at,
          record.actor,
          record.event,
          record.runId,
          record.actionId,
          record.params === null ? null : JSON.stringify(record.params),
          record.outcome,
          record.prevHash,
          record.hash,
        );
      return record;
    });
    return write();
  }
}

/**
 * Whether the stored params text is exactly what the trail wrote: the JSON text of an object of strings.
 * The hash covers what the text parses to, and readers differ on some texts: with a key given twice,
 * `{"account":"evil","account":"victim"}`, JSON.parse keeps the last value and SQLite's json_extract the
 * first, so a record edited that way would hash as the original while a query over the table reads the
 * edit. Any text the trail would not have written is an edit.
 */
function paramsTextAsWritten(text: string | null, params: AuditRecord['params']): boolean {
  if (text === null) return true;
  if (params === null || typeof params !== 'object' || Array.isArray(params)) return false;
  if (!Object.values(params).every((v) => typeof v === 'string')) return false;
  return JSON.stringify(params) === text;
}

export type ChainCheck =
  | { ok: true; count: number }
  | { ok: false; count: number; seq: number; problem: string };

/** Walks the chain from the first record; reports the first record that does not fit. */
export function verifyAuditChain(db: Db): ChainCheck {
  const rows = db.prepare('SELECT * FROM audit ORDER BY seq').iterate() as IterableIterator<AuditRow>;
  let expectedSeq = 1;
  let prevHash = GENESIS_HASH;
  let count = 0;
  for (const row of rows) {
    let record: AuditRecord;
    try {
      record = fromRow(row);
    } catch {
      return { ok: false, count, seq: row.seq, problem: 'params are not valid JSON (record edited)' };
    }
    if (!paramsTextAsWritten(row.params_json, record.params)) {
      return {
        ok: false,
        count,
        seq: row.seq,
        problem: 'params are not stored as the trail writes them (record edited)',
      };
    }
    if (record.seq !== expectedSeq) {
      return {
        ok: false,
        count,
        seq: expectedSeq,
        problem: `record missing (next record present is seq ${record.seq})`,
      };
    }
    if (record.prevHash !== prevHash) {
      return {
        ok: false,
        count,
        seq: record.seq,
        problem: `prevHash ${record.prevHash.slice(0, 12)}… does not match the hash of the record before it (${prevHash.slice(0, 12)}…)`,
      };
    }
    const recomputed = recordHash(record);
    if (recomputed !== record.hash) {
      return {
        ok: false,
        count,
        seq: record.seq,
        problem: `content does not match its hash (stored ${record.hash.slice(0, 12)}…, recomputed ${recomputed.slice(0, 12)}…): the record was edited`,
      };
    }
    prevHash = record.hash;
    expectedSeq += 1;
    count += 1;
  }
  return { ok: true, count };
}
