import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { cacheStatements } from '../../../src/orchestrator/sqlite.ts';
import { openDb, RunStore } from '../../../src/orchestrator/store.ts';

/** `db.prepare` compiles each distinct SQL once (sqlite.ts); the orchestrator's store uses it. */

const open: Database.Database[] = [];
afterEach(() => {
  for (const db of open.splice(0)) db.close();
});
function memory(size?: number): Database.Database {
  const db = cacheStatements(new Database(':memory:'), size);
  open.push(db);
  db.exec('CREATE TABLE t (n INTEGER)');
  return db;
}

describe('the statement cache', () => {
  it('hands back the statement compiled for the same SQL, and a new one for other SQL', () => {
    const db = memory();
    const insert = db.prepare('INSERT INTO t (n) VALUES (?)');
    expect(db.prepare('INSERT INTO t (n) VALUES (?)')).toBe(insert);
    expect(db.prepare('SELECT n FROM t')).not.toBe(insert);
    insert.run(1);
    db.prepare('INSERT INTO t (n) VALUES (?)').run(2);
    expect(db.prepare('SELECT n FROM t ORDER BY n').all()).toEqual([{ n: 1 }, { n: 2 }]);
  });

  it('does not share a statement that is still being iterated', () => {
    const db = memory();
    for (const n of [1, 2, 3]) db.prepare('INSERT INTO t (n) VALUES (?)').run(n);
    const seen: number[] = [];
    for (const row of db.prepare('SELECT n FROM t ORDER BY n').iterate() as IterableIterator<{ n: number }>) {
      // The same SQL while the first statement is busy: better-sqlite3 would throw if it were handed out.
      seen.push(row.n + (db.prepare('SELECT n FROM t ORDER BY n').all() as unknown[]).length);
    }
    expect(seen).toEqual([4, 5, 6]);
  });

  it('keeps at most its size, dropping the statement used least recently', () => {
    const db = memory(2);
    const a = db.prepare('SELECT 1');
    const b = db.prepare('SELECT 2');
    expect(db.prepare('SELECT 1')).toBe(a); // now the most recent
    db.prepare('SELECT 3'); // drops SELECT 2
    expect(db.prepare('SELECT 1')).toBe(a);
    expect(db.prepare('SELECT 2')).not.toBe(b);
  });

  it("is on in the orchestrator's store: a run's reads and writes reuse their statements", () => {
    const db = openDb(':memory:');
    open.push(db);
    expect(db.prepare('SELECT * FROM runs WHERE id = ?')).toBe(db.prepare('SELECT * FROM runs WHERE id = ?'));
    const store = new RunStore(db);
    expect(store.atomically(() => 42)).toBe(42);
    expect(() =>
      store.atomically(() => {
        throw new Error('rolled back');
      }),
    ).toThrow('rolled back');
  });
});
