import type Database from 'better-sqlite3';

/** The orchestrator's SQLite handle (opened and migrated by store.ts), as every module that uses it names it. */
export type Db = Database.Database;
