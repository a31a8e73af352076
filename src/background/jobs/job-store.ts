import type { GridsideDatabase } from '../db.ts';
import type { StoredJob } from './job-record.ts';

/** How long a finished job still shows beside its row after a reload. */
export const RECENT_JOB_MS = 24 * 60 * 60 * 1000;
const RECENT_JOB_LIMIT = 20;

export interface JobStore {
  put(job: StoredJob): Promise<void>;
  /** Writes many jobs in one transaction (a batch's rows, up front): all of them or none. */
  putAll(jobs: StoredJob[]): Promise<void>;
  get(jobId: string): Promise<StoredJob | undefined>;
  /** Unfinished jobs of a row, and its finished ones of the last day, newest first. */
  forRow(console: string, rowKey: string, now: number): Promise<StoredJob[]>;
  /** Every open job, batch rows not yet sent included (they carry `queued`). */
  unfinished(): Promise<StoredJob[]>;
  /**
   * Reads and rewrites one job in a single transaction, so two callers (the batch queue sending a row,
   * the analyst canceling it) cannot both act on the same state. `edit` answers the new record, or
   * undefined to leave it; resolves with the job as it was, and whether it was changed.
   */
  change(
    jobId: string,
    edit: (job: StoredJob) => StoredJob | undefined,
  ): Promise<{ before: StoredJob; changed: StoredJob | undefined } | undefined>;
}

export function createJobStore(db: Promise<GridsideDatabase>): JobStore {
  return {
    async put(job) {
      await (await db).put('jobs', job);
    },
    async putAll(jobs) {
      const tx = (await db).transaction('jobs', 'readwrite');
      await Promise.all([...jobs.map((job) => tx.store.put(job)), tx.done]);
    },
    async get(jobId) {
      return (await db).get('jobs', jobId);
    },
    async forRow(console, rowKey, now) {
      const jobs = await (await db).getAllFromIndex('jobs', 'byRow', [console, rowKey]);
      return jobs
        .filter((job) => job.open === 1 || now - job.updatedAt < RECENT_JOB_MS)
        .sort((a, b) => b.createdAt - a.createdAt)
        .slice(0, RECENT_JOB_LIMIT);
    },
    async unfinished() {
      return (await db).getAllFromIndex('jobs', 'byOpen', 1);
    },
    async change(jobId, edit) {
      const tx = (await db).transaction('jobs', 'readwrite');
      const before = await tx.store.get(jobId);
      const changed = before ? edit(before) : undefined;
      if (changed) await tx.store.put(changed);
      await tx.done;
      return before ? { before, changed } : undefined;
    },
  };
}
