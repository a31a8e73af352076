import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import {
  OUTPUT_CHUNKS_SCHEMA,
  OutputJournal,
  recoverOutput,
} from '../../../src/orchestrator/output-journal.ts';

const SECRET = 'sk-live-0123456789abcdef';
/** A secret with characters JSON escapes, as a plugin printing JSON shows it: `S3cr3t\"Key\\Value-1234`. */
const JSON_HOSTILE = 'S3cr3t"Key\\Value-1234';

function journal(secrets = [SECRET]) {
  const db = new Database(':memory:');
  db.exec(OUTPUT_CHUNKS_SCHEMA);
  const rows = () =>
    (db.prepare('SELECT text FROM output_chunks ORDER BY seq').all() as { text: string }[]).map(
      (r) => r.text,
    );
  return { db, rows, journal: new OutputJournal(db, 'run-1', secrets) };
}

describe('output journal', () => {
  it('never writes a secret that arrives split across two reads', () => {
    const { db, rows, journal: j } = journal();
    j.add('stdout', Buffer.from(`key=${SECRET.slice(0, 10)}`), false);
    j.flush(false);
    // The start of the secret is held back; what cannot be a secret is written.
    expect(rows().join('')).toBe('key=');
    j.add('stdout', Buffer.from(`${SECRET.slice(10)} ok\n`), false);
    j.flush(false);
    expect(rows().join('')).toBe('key=[redacted] ok\n');
    expect(recoverOutput(db, 'run-1', [SECRET])?.stdout).toBe('key=[redacted] ok\n');
    expect(rows()).toEqual([]);
  });

  it('never writes a secret that the 16 KiB cut between two chunks falls inside', () => {
    const { db, rows, journal: j } = journal();
    const padding = '.'.repeat(16 * 1024 - 5);
    j.add('stdout', Buffer.from(`${padding}${SECRET} ok\n`), false); // 16 KiB gathered: written at once
    expect(rows().join('')).toBe(`${padding}[redacted] ok\n`);
    expect(recoverOutput(db, 'run-1', [SECRET])?.stdout).toBe(`${padding}[redacted] ok\n`);
  });

  it('never writes a JSON-escaped secret, held back while it arrives split across two reads', () => {
    const { rows, journal: j } = journal([JSON_HOSTILE]);
    const printed = `{"key":${JSON.stringify(JSON_HOSTILE)}}\n`;
    j.add('stdout', Buffer.from(printed.slice(0, 16)), false); // ends in `"S3cr3t\"`
    j.flush(false);
    expect(rows().join('')).toBe('{"key":"');
    j.add('stdout', Buffer.from(printed.slice(16)), false);
    j.flush(false);
    expect(rows().join('')).toBe('{"key":"[redacted]"}\n');
  });

  it('redacts the output it recovers as a whole, whatever pieces the chunks hold', () => {
    const { db } = journal();
    const insert = db.prepare('INSERT INTO output_chunks (run_id, seq, stream, text) VALUES (?, ?, ?, ?)');
    insert.run('run-1', 0, 'stdout', `key=${SECRET.slice(0, 10)}`);
    insert.run('run-1', 1, 'stdout', `${SECRET.slice(10)}\n`);
    expect(recoverOutput(db, 'run-1', [SECRET])?.stdout).toBe('key=[redacted]\n');
  });

  it('writes a line that only looks like the start of a secret once the process ends', () => {
    const { db, rows, journal: j } = journal();
    j.add('stdout', Buffer.from('done sk-live'), false);
    j.flush(false);
    j.add('stderr', Buffer.from([0xe2, 0x82]), false); // half of "€"
    j.add('stderr', Buffer.from([0xac]), true);
    j.flush(true);
    expect(rows()).toContain('sk-live'); // held back until now
    // The cap cut stderr: its end, where a secret cut short could be, is masked in what is recovered,
    // and stdout is left whole.
    expect(recoverOutput(db, 'run-1', [SECRET])).toMatchObject({
      stdout: 'done sk-live',
      stderr: '[redacted]',
      truncated: true,
      exitCode: null,
    });
  });
});
