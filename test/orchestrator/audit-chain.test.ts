import type Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import {
  AuditLog,
  canonicalJson,
  recordHash,
  redactSecrets,
  verifyAuditChain,
} from '../../src/orchestrator/audit.ts';
import { openDb } from '../../src/orchestrator/store.ts';

/** The audit hash chain on an in-memory database: what verification catches besides an edited record. */

function logWith(count: number, secrets: string[] = []): Database.Database {
  const db = openDb(':memory:');
  const audit = new AuditLog(db, () => secrets);
  for (let i = 1; i <= count; i++) {
    audit.append({
      actor: 'alice',
      event: 'run.requested',
      runId: `r${i}`,
      params: { ip: `10.0.0.${i}` },
      outcome: 'queued',
    });
  }
  return db;
}

describe('audit chain', () => {
  it('accepts an untouched chain and counts it', () => {
    expect(verifyAuditChain(logWith(5))).toEqual({ ok: true, count: 5 });
  });

  it('names a deleted record by its missing seq', () => {
    const db = logWith(5);
    db.exec('DROP TRIGGER audit_no_delete');
    db.prepare('DELETE FROM audit WHERE seq = 3').run();
    const check = verifyAuditChain(db);
    expect(check).toMatchObject({ ok: false, seq: 3 });
    expect(!check.ok && check.problem).toContain('missing');
  });

  it('catches an edited record re-hashed to look consistent: its successor no longer links to it', () => {
    const db = logWith(4);
    db.exec('DROP TRIGGER audit_no_update');
    const row = db.prepare('SELECT * FROM audit WHERE seq = 2').get() as Record<string, string | number>;
    const forged = {
      seq: 2,
      at: row.at as string,
      actor: 'nobody',
      event: row.event as string,
      runId: row.run_id as string,
      actionId: null,
      params: JSON.parse(row.params_json as string),
      outcome: row.outcome as string,
      prevHash: row.prev_hash as string,
    };
    db.prepare('UPDATE audit SET actor = ?, hash = ? WHERE seq = 2').run('nobody', recordHash(forged));
    const check = verifyAuditChain(db);
    expect(check).toMatchObject({ ok: false, seq: 3 });
    expect(!check.ok && check.problem).toContain('prevHash');
  });

  it('names a record whose params were rewritten with a key given twice, which SQLite reads differently', () => {
    const db = logWith(0);
    const audit = new AuditLog(db);
    audit.append({
      actor: 'alice',
      event: 'run.requested',
      params: { account: 'victim' },
      outcome: 'queued',
    });
    audit.append({ actor: 'alice', event: 'run.finished', outcome: 'succeeded' });
    db.exec('DROP TRIGGER audit_no_update');
    db.prepare('UPDATE audit SET params_json = ? WHERE seq = 1').run('{"account":"evil","account":"victim"}');
    // A query over the table now reads the edit, while JSON.parse still reads the value that was hashed.
    const read = db.prepare(
      "SELECT json_extract(params_json, '$.account') AS account FROM audit WHERE seq = 1",
    );
    expect(read.get()).toEqual({ account: 'evil' });
    const check = verifyAuditChain(db);
    expect(check).toMatchObject({ ok: false, count: 0, seq: 1 });
    expect(!check.ok && check.problem).toContain('record edited');
  });

  for (const [name, text] of [
    ['spaces added', '{"account": "victim"}'],
    ['a JSON null for no params', 'null'],
  ] as const) {
    it(`names a record whose params text was rewritten to the same values (${name})`, () => {
      const db = logWith(0);
      const audit = new AuditLog(db);
      const params = name.includes('null') ? undefined : { account: 'victim' };
      audit.append({ actor: 'alice', event: 'run.requested', params, outcome: 'queued' });
      db.exec('DROP TRIGGER audit_no_update');
      db.prepare('UPDATE audit SET params_json = ? WHERE seq = 1').run(text);
      expect(verifyAuditChain(db)).toMatchObject({ ok: false, seq: 1, problem: /record edited/ });
    });
  }

  it('blanks configured secret values out of what it records', () => {
    const db = logWith(0);
    new AuditLog(db, () => ['hunter2-secret']).append({
      actor: 'alice',
      event: 'run.finished',
      params: { note: 'key=hunter2-secret' },
      outcome: 'printed hunter2-secret',
    });
    const text = JSON.stringify(db.prepare('SELECT * FROM audit').all());
    expect(text).not.toContain('hunter2-secret');
    expect(verifyAuditChain(db).ok).toBe(true);
  });

  it('hashes the same record the same way whatever its key order', () => {
    expect(canonicalJson({ b: 1, a: { d: [1, { f: 2, e: 3 }], c: null } })).toBe(
      '{"a":{"c":null,"d":[1,{"e":3,"f":2}]},"b":1}',
    );
    expect(redactSecrets('abcabc', ['abc', 'abcabc'])).toBe('[redacted]');
  });
});
