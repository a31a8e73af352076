import { type DBSchema, type IDBPDatabase, type IDBPTransaction, openDB, type StoreNames } from 'idb';
import type { Action } from '../core/api.ts';
import type { Job } from '../core/messages.ts';
import type { Pin } from '../core/pins.ts';

/**
 * The worker's IndexedDB database (extension origin only: content scripts never open it, the page's
 * origin would own it). One database, versioned by numbered migration steps: a later store (pins, history,
 * cache, audit) adds a step at the end of `MIGRATIONS` and extends `GridsideDb`; existing steps never
 * change, so an update never loses a record (docs/architecture.md §7).
 */
/*
 * What each store holds. The shapes are declared here, next to the migrations that create their stores and
 * indexes, and the modules that own a store import them from here (never the other way round, so the
 * database module depends on no feature of the worker).
 */

/** A secret and the origin it was entered for (secret-store.ts: it is only handed out for that origin). */
export interface BoundSecret {
  secret: string;
  origin: string;
}

/** Where a job's updates go: the tab and frame whose content script started it. */
export interface TabRef {
  tabId: number;
  frameId: number;
}

/** A batch row's batch, and its place in the analyst's selection (jobs/batch.ts). */
export interface BatchPlace {
  id: string;
  order: number;
}

/**
 * A batch row stored but not yet sent to the orchestrator (jobs/batch.ts): what a restarted worker needs
 * to send it later. Removed, in one transaction, just before the row is sent.
 */
export interface QueuedRow {
  action: Action;
}

/**
 * A job as stored (made only by jobs/job-record.ts, written only through jobs/job-store.ts): the `Job` the
 * panel sees, plus what the worker needs to find and resume it. `console` and `rowKey` feed the `byRow`
 * index; `open` is a number because IndexedDB cannot index booleans.
 */
export interface StoredJob extends Job {
  console: string;
  rowKey: string;
  open: 0 | 1;
  tab: TabRef | null;
  /** Set on a batch's rows, for good: a restarted queue counts the batch's rows still running. */
  batch?: BatchPlace;
  /** Present only while the job is a batch row waiting for its turn: it has never been sent. */
  queued?: QueuedRow;
}

/** A read-only result cache entry (jobs/cache.ts): the job that last ran this key. */
export interface CacheRecord {
  key: string;
  jobId: string;
  at: number;
}

export interface GridsideDb extends DBSchema {
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
  /** Pinned results, by pin id (pins.ts). */
  pins: {
    key: string;
    value: Pin;
    indexes: {
      /** `[console origin, row key]`: the pins of one row, for `pins.forRow` and `marks.onScreen`. */
      byRow: [string, string];
    };
  };
}

export type GridsideDatabase = IDBPDatabase<GridsideDb>;

/**
 * Resolves once `writes` are done and their read-write transaction has committed. A transaction the
 * browser aborts (its disk full, say) fails its pending writes with a bare AbortError, and a write that
 * succeeded can still be lost when the commit fails; this rejects with the transaction's own error, which
 * says why (storage-full.ts reads it). idb's one-call `db.put` would reject with the AbortError instead.
 */
export async function committed(
  tx: { done: Promise<void>; error: DOMException | null },
  writes: readonly Promise<unknown>[],
): Promise<void> {
  try {
    await Promise.all([...writes, tx.done]);
  } catch (error) {
    throw tx.error ?? error;
  }
}
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
