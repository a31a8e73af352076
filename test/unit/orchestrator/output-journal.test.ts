import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import {
  OUTPUT_CHUNKS_SCHEMA,
  OutputJournal,
  recoverOutput,
} from '../../../src/orchestrator/output-journal.ts';

const SECRET = 'sk-live-0123456789abcdef';

function journal() {
  const db = new Database(':memory:');
  db.exec(OUTPUT_CHUNKS_SCHEMA);
  const rows = () =>
    (db.prepare('SELECT text FROM output_chunks ORDER BY seq').all() as { text: string }[]).map(
      (r) => r.text,
    );
  return { db, rows, journal: new OutputJournal(db, 'run-1', [SECRET]) };
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
    expect(recoverOutput(db, 'run-1')?.stdout).toBe('key=[redacted] ok\n');
    expect(rows()).toEqual([]);
  });

  it('writes a line that only looks like the start of a secret once the process ends', () => {
    const { db, journal: j } = journal();
    j.add('stdout', Buffer.from('done sk-live'), false);
    j.flush(false);
    j.add('stderr', Buffer.from([0xe2, 0x82]), false); // half of "€"
    j.add('stderr', Buffer.from([0xac]), true);
    j.flush(true);
    expect(recoverOutput(db, 'run-1')).toMatchObject({
      stdout: 'done sk-live',
      stderr: '€',
      truncated: true,
      exitCode: null,
    });
  });
});
