import {
  createPrivateKey,
  createPublicKey,
  type KeyObject,
  sign as signBytes,
  verify as verifySignature,
} from 'node:crypto';
import { closeSync, existsSync, fsyncSync, openSync, readFileSync, writeSync } from 'node:fs';
import { z } from 'zod';
import type { AuditRecord } from './audit-record.ts';
import type { Db } from './sqlite.ts';

/**
 * Anchors the audit hash chain outside the database. The chain alone shows an edited or deleted record in
 * the middle, but not the last records dropped, nor a record edited with every hash after it recomputed:
 * whoever holds the database file can do both. So every so often the orchestrator signs a checkpoint —
 * how many records the trail has and the hash of the last one — with an Ed25519 key kept outside the
 * database, and writes it twice: as a record of the trail itself (`audit.checkpoint`) and as a line of an
 * external append-only file. `audit:verify` checks every checkpoint's signature with the public key from
 * the config and compares it with the database: fewer records than a trusted checkpoint counted is a
 * truncation; a different hash at a checkpoint's position is a re-chain.
 */

export const AuditAnchorConfigSchema = z
  .object({
    /** The Ed25519 public key (PEM, `-----BEGIN PUBLIC KEY-----`), which verifies checkpoints. */
    publicKey: z.string().min(1),
    /** PEM file with the private key; never in the database. Relative to the config file. */
    privateKeyFile: z.string().min(1),
    /** External file checkpoints are appended to (one JSON line each). Relative to the config file. */
    checkpointFile: z.string().min(1),
    /** A checkpoint after this many new records… */
    everyRecords: z.number().int().min(1).max(100_000).default(100),
    /** …and at least this often while there are new records (and at shutdown). */
    everySeconds: z.number().int().min(1).max(86_400).default(300),
  })
  .strict();
export type AuditAnchorConfig = z.infer<typeof AuditAnchorConfigSchema>;

export class AuditAnchorError extends Error {}

export interface Checkpoint {
  /** Records in the trail when it was signed (the checkpoint record itself comes after them). */
  count: number;
  /** The hash of record `count` (64 zeros for an empty trail). */
  head: string;
  at: string;
  /** base64 Ed25519 signature of `checkpointMessage`. */
  signature: string;
}

const CheckpointSchema = z
  .object({
    count: z.number().int().min(0),
    head: z.string().regex(/^[0-9a-f]{64}$/),
    at: z.string().min(1),
    signature: z.string().min(1),
  })
  .strict();

export const checkpointMessage = (c: Omit<Checkpoint, 'signature'>): Buffer =>
  Buffer.from(`gridside-audit-checkpoint:v1:${c.count}:${c.head}:${c.at}`, 'utf8');

export function loadPublicKey(pem: string): KeyObject {
  try {
    const key = createPublicKey(pem);
    if (key.asymmetricKeyType !== 'ed25519') throw new Error(`a ${key.asymmetricKeyType} key`);
    return key;
  } catch (error) {
    throw new AuditAnchorError(
      `auditAnchor.publicKey: not an Ed25519 public key (${(error as Error).message})`,
    );
  }
}

export function checkpointIsSigned(checkpoint: Checkpoint, publicKey: KeyObject): boolean {
  try {
    return verifySignature(
      null,
      checkpointMessage(checkpoint),
      publicKey,
      Buffer.from(checkpoint.signature, 'base64'),
    );
  } catch {
    return false;
  }
}

/** A checkpoint as written into the trail (`outcome` of an `audit.checkpoint` record) or the file. */
export function parseCheckpoint(text: string): Checkpoint | undefined {
  try {
    const parsed = CheckpointSchema.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

/** Signs checkpoints for a running orchestrator. */
export class AuditSigner {
  private readonly privateKey: KeyObject;

  constructor(
    private readonly settings: AuditAnchorConfig,
    privateKeyFile: string,
    private readonly checkpointFile: string,
  ) {
    try {
      this.privateKey = createPrivateKey(readFileSync(privateKeyFile));
    } catch (error) {
      throw new AuditAnchorError(
        `auditAnchor.privateKeyFile: cannot read an Ed25519 private key from ${privateKeyFile} (${(error as Error).message})`,
      );
    }
    const probe = { count: 0, head: '0'.repeat(64), at: 'probe' };
    const signature = signBytes(null, checkpointMessage(probe), this.privateKey).toString('base64');
    if (!checkpointIsSigned({ ...probe, signature }, loadPublicKey(settings.publicKey))) {
      throw new AuditAnchorError('auditAnchor: the private key does not match publicKey');
    }
  }

  get everyRecords(): number {
    return this.settings.everyRecords;
  }

  get everySeconds(): number {
    return this.settings.everySeconds;
  }

  sign(count: number, head: string): Checkpoint {
    const at = new Date().toISOString();
    const signature = signBytes(null, checkpointMessage({ count, head, at }), this.privateKey).toString(
      'base64',
    );
    return { count, head, at, signature };
  }

  /** Appends one line and forces it to disk before the checkpoint counts as written. */
  appendToFile(checkpoint: Checkpoint): void {
    const fd = openSync(this.checkpointFile, 'a', 0o600);
    try {
      writeSync(fd, `${JSON.stringify(checkpoint)}\n`);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
  }
}

export interface AnchorReport {
  ok: boolean;
  /** Lines for the admin, in order. */
  lines: string[];
}

/**
 * Checks the trail against every checkpoint (from the trail and from the external file). `records` is
 * the trail as stored, in seq order (already walked by `verifyAuditChain`).
 */
export function checkAnchors(
  records: readonly Pick<AuditRecord, 'seq' | 'event' | 'outcome' | 'hash'>[],
  publicKey: KeyObject,
  checkpointFile: string | undefined,
): AnchorReport {
  const lines: string[] = [];
  let ok = true;
  const trusted: { checkpoint: Checkpoint; source: string }[] = [];
  for (const record of records) {
    if (record.event !== 'audit.checkpoint') continue;
    const checkpoint = parseCheckpoint(record.outcome);
    if (checkpoint && checkpointIsSigned(checkpoint, publicKey)) {
      trusted.push({ checkpoint, source: `the trail (record ${record.seq})` });
    } else {
      ok = false;
      lines.push(`FORGED checkpoint in the trail at record ${record.seq}: its signature does not verify`);
    }
  }
  if (checkpointFile !== undefined) {
    if (!existsSync(checkpointFile)) {
      ok = false;
      lines.push(`MISSING checkpoint file ${checkpointFile}`);
    } else {
      const fileLines = readFileSync(checkpointFile, 'utf8').split('\n');
      fileLines.forEach((line, index) => {
        if (line.trim() === '') return;
        const checkpoint = parseCheckpoint(line);
        if (checkpoint && checkpointIsSigned(checkpoint, publicKey)) {
          trusted.push({ checkpoint, source: `the checkpoint file (line ${index + 1})` });
        } else {
          ok = false;
          lines.push(
            `FORGED checkpoint in ${checkpointFile} line ${index + 1}: its signature does not verify`,
          );
        }
      });
    }
  }
  if (trusted.length === 0) {
    lines.push('no signed checkpoint to check against: truncation and re-chaining cannot be ruled out');
    return { ok, lines };
  }
  const bySeq = new Map(records.map((record) => [record.seq, record.hash]));
  const total = records.length;
  // The newest trusted checkpoint decides how long the trail must at least be.
  const longest = trusted.reduce((a, b) => (b.checkpoint.count > a.checkpoint.count ? b : a));
  if (longest.checkpoint.count > total) {
    ok = false;
    lines.push(
      `TRUNCATED: a checkpoint signed ${longest.checkpoint.at} (${longest.source}) counted ` +
        `${longest.checkpoint.count} records; the database has ${total}`,
    );
  }
  let lastGood: Checkpoint | undefined;
  let firstBad: { checkpoint: Checkpoint; source: string } | undefined;
  for (const entry of [...trusted].sort((a, b) => a.checkpoint.count - b.checkpoint.count)) {
    const { checkpoint } = entry;
    if (checkpoint.count > total) continue; // reported as truncation
    const head = checkpoint.count === 0 ? '0'.repeat(64) : bySeq.get(checkpoint.count);
    if (head === checkpoint.head) {
      if (!firstBad) lastGood = checkpoint;
    } else {
      firstBad ??= entry;
    }
  }
  if (firstBad) {
    ok = false;
    lines.push(
      `RE-CHAINED: record ${firstBad.checkpoint.count} no longer has the hash a checkpoint signed ` +
        `${firstBad.checkpoint.at} (${firstBad.source}) gave it; records after ` +
        `${lastGood ? `record ${lastGood.count} (the last checkpoint that still matches)` : 'the start'} ` +
        'were rewritten',
    );
  }
  if (ok && lastGood) {
    const after = total - lastGood.count;
    lines.push(
      `ANCHORED: ${lastGood.count} records match a signed checkpoint of ${lastGood.at}; ` +
        `${after} record(s) after it are covered by the hash chain only`,
    );
  }
  return { ok, lines };
}

/** The trail's records as `checkAnchors` reads them. */
export function trailForAnchors(db: Db): Pick<AuditRecord, 'seq' | 'event' | 'outcome' | 'hash'>[] {
  return db.prepare('SELECT seq, event, outcome, hash FROM audit ORDER BY seq').all() as Pick<
    AuditRecord,
    'seq' | 'event' | 'outcome' | 'hash'
  >[];
}
