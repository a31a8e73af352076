import { type DBSchema, type IDBPDatabase, type IDBPTransaction, openDB, type StoreNames } from 'idb';
import type { CacheRecord } from './jobs/cache.ts';
import type { StoredJob } from './jobs/job-record.ts';
import type { PinStoreSchema } from './pins.ts';
import type { BoundSecret } from './secret-store.ts';

/**
 * The worker's IndexedDB database (extension origin only: content scripts never open it, the page's
 * origin would own it). One database, versioned by numbered migration steps: a later store (pins, history,
 * cache, audit) adds a step at the end of `MIGRATIONS` and extends `GridsideDb`; existing steps never
 * change, so an update never loses a record (docs/architecture.md §7).
 */
export interface GridsideDb extends DBSchema {
  /** Orchestrator entry id → its token or API key. */
  /** Orchestrator entry id → its secret and the origin it was entered for (a bare string: older, unbound). */
  secrets: { key: string; value: BoundSecret | string };
  jobs: {
    key: string;
    value: StoredJob;
    indexes: {
      /** `[console origin, row key]`: the jobs of one row, for `jobs.forRow`. */
      byRow: [string, string];
      /** 1 while the job still needs polling, 0 once terminal: what resume scans. */
      byOpen: number;
      /** `[createdAt, id]`: the run history, newest first, paged by cursor (history.ts). */
      byCreated: [number, string];
    };
  };
  /** Read-only result cache: key (orchestrator + action + canonical params) → the job that ran it (jobs/cache.ts). */
  cache: { key: string; value: CacheRecord };
  /** Pinned results, by pin id; `byRow` is `[console origin, row key]` (pins.ts). */
  pins: PinStoreSchema;
}

export type GridsideDatabase = IDBPDatabase<GridsideDb>;
type UpgradeTx = IDBPTransaction<GridsideDb, StoreNames<GridsideDb>[], 'versionchange'>;
type Migration = (db: GridsideDatabase, tx: UpgradeTx) => void;

const MIGRATIONS: Migration[] = [
  // 1: secrets and durable jobs.
  (db) => {
    db.createObjectStore('secrets');
    const jobs = db.createObjectStore('jobs', { keyPath: 'id' });
    jobs.createIndex('byRow', ['console', 'rowKey']);
    jobs.createIndex('byOpen', 'open');
  },
  // 2: pinned results beside alarms and log rows, by pin id, found by [console origin, row key].
  (db) => {
    const pins = db.createObjectStore('pins', { keyPath: 'id' });
    pins.createIndex('byRow', ['console', 'rowKey']);
  },
  // 3: the read-only result cache, and the jobs ordered by start time for the run history.
  (db, tx) => {
    db.createObjectStore('cache', { keyPath: 'key' });
    tx.objectStore('jobs').createIndex('byCreated', ['createdAt', 'id']);
  },
];

export const DB_NAME = 'gridside';
export const DB_VERSION = MIGRATIONS.length;

export function openGridsideDb(name = DB_NAME): Promise<GridsideDatabase> {
  return openDB<GridsideDb>(name, DB_VERSION, {
    upgrade(db, oldVersion, _newVersion, tx) {
      for (let step = oldVersion; step < MIGRATIONS.length; step++) MIGRATIONS[step]?.(db, tx);
    },
  });
}
