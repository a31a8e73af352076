import type { GridsideDatabase, StoredJob } from '../db.ts';

/**
 * The `jobs` store's only reader and writer (docs/architecture.md §7): the job engine, the batch queue, the
 * result cache, the history and import all go through it. Records are made by job-record.ts.
 */

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
  /**
   * Visits jobs in start order (`[createdAt, id]`) within `range`, oldest first (`next`) or newest first
   * (`prev`), in one read transaction, until `visit` answers false. Resolves with whether any job is left
   * after the last one visited: a page of the history knows there is a next page without reading it.
   */
  byStartTime(
    range: IDBKeyRange | null,
    direction: 'next' | 'prev',
    visit: (job: StoredJob) => boolean,
  ): Promise<boolean>;
  /**
   * Adds the jobs whose id no record has yet, checked and added in one transaction (an import: another
   * import cannot slip in between, and nothing is overwritten). Resolves with how many it added.
   */
  addMissing(jobs: StoredJob[]): Promise<number>;
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
    async byStartTime(range, direction, visit) {
      const tx = (await db).transaction('jobs');
      let cursor = await tx.store.index('byCreated').openCursor(range, direction);
      while (cursor) {
        const more = visit(cursor.value);
        cursor = await cursor.continue();
        if (!more) break;
      }
      await tx.done;
      return cursor !== null;
    },
    async addMissing(jobs) {
      const tx = (await db).transaction('jobs', 'readwrite');
      let added = 0;
      for (const job of jobs) {
        if ((await tx.store.getKey(job.id)) !== undefined) continue;
        await tx.store.add(job);
        added++;
      }
      await tx.done;
      return added;
    },
  };
}
