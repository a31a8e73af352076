import { StringDecoder } from 'node:string_decoder';
import type { RunOutput } from '../core/api.ts';
import { isDiskFull, logDiskFull } from './disk-full.ts';
import { type CutStreams, longestSpelling, redactedOutput, redactSecrets, secretAt } from './redact.ts';
import type { Db } from './sqlite.ts';

/**
 * What a running plugin prints is saved as it arrives, in bounded chunks, so a crash of the orchestrator
 * (SIGKILL, power loss) does not take it along: after the restart the interrupted run shows everything
 * that was saved. The runner already applies the output cap, so the chunks of a run add up to at most
 * the same cap per stream. Chunks are redacted before they are written; a configured secret split
 * across two reads is held back until it is whole, so no secret ever reaches the disk in pieces.
 * When the run ends normally its final output replaces the chunks.
 */

/** Bytes gathered before a chunk is written at once; smaller output is written after FLUSH_MS. */
const CHUNK_CHARS = 16 * 1024;
const FLUSH_MS = 200;

export const OUTPUT_CHUNKS_SCHEMA = `
CREATE TABLE IF NOT EXISTS output_chunks (
  run_id TEXT NOT NULL,
  seq INTEGER NOT NULL,
  stream TEXT NOT NULL CHECK (stream IN ('stdout', 'stderr')),
  text TEXT NOT NULL,
  truncated INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (run_id, seq)
);
`;

type Stream = 'stdout' | 'stderr';

/**
 * The longest prefix of `pending` that can be redacted and written now: it stops where the rest could be
 * the beginning of a secret still arriving (as it is, or escaped inside JSON), and never inside one.
 */
function safeCut(pending: string, secrets: readonly string[]): number {
  const reach = longestSpelling(secrets);
  let cut = pending.length;
  for (let at = Math.max(0, pending.length - reach + 1); at < pending.length; at++) {
    if (secrets.some((secret) => secretAt(pending, at, secret) === 'begun')) {
      cut = at;
      break;
    }
  }
  for (let moved = true; moved; ) {
    moved = false;
    for (const secret of secrets) {
      if (secret.length === 0) continue;
      for (let at = Math.max(0, cut - reach + 1); at < cut; at++) {
        const end = secretAt(pending, at, secret);
        if (typeof end === 'number' && end > cut) {
          cut = at;
          moved = true;
          break;
        }
      }
    }
  }
  return cut;
}

export class OutputJournal {
  private seq = 0;
  private timer: NodeJS.Timeout | undefined;
  private readonly pending: Record<Stream, string> = { stdout: '', stderr: '' };
  private readonly decoders: Record<Stream, StringDecoder> = {
    stdout: new StringDecoder('utf8'),
    stderr: new StringDecoder('utf8'),
  };
  /** The streams the cap cut, and those whose cut is saved (a row of its own, `truncated` = 1). */
  private readonly cut: CutStreams = { stdout: false, stderr: false };
  private readonly cutSaved: CutStreams = { stdout: false, stderr: false };
  /** Set once the run's whole output is saved: a late read (a pipe held open by a straggler) is ignored. */
  private closed = false;

  constructor(
    private readonly db: Db,
    private readonly runId: string,
    private readonly secrets: readonly string[],
  ) {}

  /** A piece of output the runner kept (within the cap). */
  add(stream: Stream, kept: Buffer, overflowed: boolean): void {
    if (this.closed) return;
    this.pending[stream] += this.decoders[stream].write(kept);
    if (overflowed) this.cut[stream] = true;
    if (this.pending[stream].length >= CHUNK_CHARS || (this.cut[stream] && !this.cutSaved[stream])) {
      this.flushSafely();
    } else {
      this.timer ??= setTimeout(() => this.flushSafely(), FLUSH_MS);
    }
  }

  /**
   * Flushes while the plugin runs. A full disk must not stop the orchestrator (this runs from a timer and
   * the plugin's pipes): the text stays pending in memory (within the output cap) and is written by a
   * later flush once space returns, or with the run's whole output at its end.
   */
  private flushSafely(): void {
    try {
      this.flush(false);
    } catch (error) {
      if (!isDiskFull(error)) throw error;
      logDiskFull(`saving the output of run ${this.runId}`, error);
    }
  }

  /** Writes what can be written; `final` writes everything (the process has ended). */
  flush(final: boolean): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    const insert = this.db.prepare(
      'INSERT INTO output_chunks (run_id, seq, stream, text, truncated) VALUES (?, ?, ?, ?, ?)',
    );
    if (final)
      for (const stream of ['stdout', 'stderr'] as const) this.pending[stream] += this.decoders[stream].end();
    // The journal's state changes only once the transaction is committed: a write refused (a full disk)
    // is rolled back whole and leaves everything pending for the next flush.
    let seq = this.seq;
    const rest = { ...this.pending };
    const write = this.db.transaction(() => {
      for (const stream of ['stdout', 'stderr'] as const) {
        const text = rest[stream];
        const cut = final ? text.length : safeCut(text, this.secrets);
        if (cut === 0) continue;
        // Redacted before it is cut into chunks: a secret the cut fell inside would be in neither piece
        // whole, so neither would be redacted.
        const redacted = redactSecrets(text.slice(0, cut), this.secrets);
        for (let at = 0; at < redacted.length; at += CHUNK_CHARS) {
          insert.run(this.runId, seq++, stream, redacted.slice(at, at + CHUNK_CHARS), 0);
        }
        rest[stream] = text.slice(cut);
      }
      for (const stream of ['stdout', 'stderr'] as const) {
        if (this.cut[stream] && !this.cutSaved[stream]) insert.run(this.runId, seq++, stream, '', 1);
      }
    });
    write();
    this.seq = seq;
    this.pending.stdout = rest.stdout;
    this.pending.stderr = rest.stderr;
    this.cutSaved.stdout = this.cut.stdout;
    this.cutSaved.stderr = this.cut.stderr;
  }

  /** The run ended and its whole output is saved: the chunks are no longer needed. */
  discard(): void {
    this.closed = true;
    clearTimeout(this.timer);
    this.timer = undefined;
    this.db.prepare('DELETE FROM output_chunks WHERE run_id = ?').run(this.runId);
  }
}

/**
 * The output a run had saved when the orchestrator went down, or null when it saved none. Used after a
 * restart for runs that were running; the chunks are removed once read into the run's output. It is
 * redacted again as a whole, so a secret is blanked even if the chunks hold it in pieces.
 */
export function recoverOutput(db: Db, runId: string, secrets: readonly string[]): RunOutput | null {
  const rows = db
    .prepare('SELECT stream, text, truncated FROM output_chunks WHERE run_id = ? ORDER BY seq')
    .all(runId) as { stream: Stream; text: string; truncated: number }[];
  db.prepare('DELETE FROM output_chunks WHERE run_id = ?').run(runId);
  if (rows.length === 0) return null;
  let stdout = '';
  let stderr = '';
  const cut: CutStreams = { stdout: false, stderr: false };
  for (const row of rows) {
    if (row.truncated === 1) cut[row.stream] = true;
    else if (row.stream === 'stdout') stdout += row.text;
    else stderr += row.text;
  }
  return redactedOutput(
    { stdout, stderr, exitCode: null, truncated: cut.stdout || cut.stderr, cut },
    secrets,
  );
}
