import type Database from 'better-sqlite3';

/** The orchestrator's SQLite handle (opened and migrated by store.ts), as every module that uses it names it. */
export type Db = Database.Database;

/** Distinct statements kept compiled; the orchestrator's SQL comes from a few dozen fixed shapes. */
export const STATEMENT_CACHE_SIZE = 256;

/**
 * Makes `db.prepare` hand back a statement already compiled for the same SQL. Every request used to compile
 * its statements again (parsing and planning each one): about 1.9 ms of the orchestrator's thread per
 * run, on the path between the plugin's exit and the verdict. A statement being iterated (`busy`) is not
 * shared: the caller gets a fresh one. Statements are used as prepared (no call site changes a
 * statement's mode with `pluck`, `raw`, `expand` or `bind`), so handing one out twice is safe.
 */
export function cacheStatements(db: Db, size = STATEMENT_CACHE_SIZE): Db {
  const compile = db.prepare.bind(db);
  const cache = new Map<string, Database.Statement>();
  const prepare = (source: string): Database.Statement => {
    const cached = cache.get(source);
    if (cached && !cached.busy) {
      // Most recently used last: the first entry is the one to drop when the cache is full.
      cache.delete(source);
      cache.set(source, cached);
      return cached;
    }
    const statement = compile(source);
    if (cached) return statement;
    cache.set(source, statement);
    if (cache.size > size) cache.delete(cache.keys().next().value as string);
    return statement;
  };
  db.prepare = prepare as Db['prepare'];
  return db;
}
