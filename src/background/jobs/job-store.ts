import { committed, type GridsideDatabase, type StoredJob } from '../db.ts';

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
  /** The jobs of these ids that exist, by id, read in one transaction. */
  getMany(jobIds: string[]): Promise<Map<string, StoredJob>>;
  /** Unfinished jobs of a row, and its finished ones of the last day, newest first. */
  forRow(console: string, rowKey: string, now: number): Promise<StoredJob[]>;
  /** `forRow` for many rows of one console, read in one transaction, in the order of `rowKeys`. */
  forRows(console: string, rowKeys: string[], now: number): Promise<StoredJob[][]>;
  /** Every open job, batch rows not yet sent included (they carry `queued`). */
  unfinished(): Promise<StoredJob[]>;
  /**
   * Reads and rewrites one job in a single transaction, so two callers (the batch queue sending a row,
   * the analyst canceling it) cannot both act on the same state. `edit` answers the new record, or
   * undefined to leave it; resolves with the job as it was, and whether it was changed.
   */
  change(jobId: string, edit: (job: StoredJob) => StoredJob | undefined): Promise<Changed | undefined>;
  /** `change` for many jobs in one transaction (a batch's rows taken off its queue together), in order. */
  changeMany(
    jobIds: string[],
    edit: (job: StoredJob) => StoredJob | undefined,
  ): Promise<Array<Changed | undefined>>;
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

/** A job as `change` found it, and what it wrote (undefined: left as found). */
export interface Changed {
  before: StoredJob;
  changed: StoredJob | undefined;
}

export function createJobStore(db: Promise<GridsideDatabase>): JobStore {
  /**
   * Open jobs as last written here, so following a run does not read back what this worker just wrote:
   * a batch row was read five to seven times on its way (taken off the queue, followed, polled together,
   * seen ended), each a transaction in the worker and in the browser's storage process. Finished jobs are
   * not kept (they carry the run's output), nor jobs only read (a read can overtake a write).
   *
   * The copy is updated in the same synchronous step that opens the write's transaction, so it changes in
   * the order IndexedDB applies the writes. `change` does not know its result when its transaction opens:
   * the job leaves the copy then, reads meanwhile go to the database (which orders them after the change),
   * and the result comes back only if no later write claimed the job. A write that fails takes its copy
   * out again. Nothing else writes the `jobs` store (job-store-owner.test.ts), and a restarted worker
   * starts with none. So the worker makes one store (main.ts) and hands it to every user: two over one
   * database would each keep copies the other's writes do not touch.
   */
  const open = new Map<string, StoredJob>();
  /** The `change` each job awaits, if any: a write after it takes the claim away. */
  const claims = new Map<string, object>();
  const remember = (job: StoredJob): StoredJob | undefined => {
    claims.delete(job.id);
    if (job.open !== 1) {
      open.delete(job.id);
      return undefined;
    }
    const copy = structuredClone(job);
    open.set(job.id, copy);
    return copy;
  };
  const forget = (job: StoredJob, copy: StoredJob | undefined) => {
    if (copy && open.get(job.id) === copy) open.delete(job.id);
  };
  /** Writes `jobs` in one transaction, the copies updated as it opens. */
  async function write(jobs: StoredJob[]): Promise<void> {
    const tx = (await db).transaction('jobs', 'readwrite');
    const copies = jobs.map(remember);
    try {
      await committed(
        tx,
        jobs.map((job) => tx.store.put(job)),
      );
    } catch (error) {
      for (const [i, job] of jobs.entries()) forget(job, copies[i]);
      throw error;
    }
  }

  async function changeMany(
    jobIds: string[],
    edit: (job: StoredJob) => StoredJob | undefined,
  ): Promise<Array<Changed | undefined>> {
    const tx = (await db).transaction('jobs', 'readwrite');
    const claim = {};
    for (const jobId of jobIds) {
      open.delete(jobId);
      claims.set(jobId, claim);
    }
    try {
      const results = await Promise.all(
        jobIds.map(async (jobId): Promise<Changed | undefined> => {
          const before = await tx.store.get(jobId);
          const changed = before ? edit(before) : undefined;
          if (changed) await tx.store.put(changed);
          return before ? { before, changed } : undefined;
        }),
      );
      await tx.done;
      // Only what it wrote: a job left as found may be another writer's (a worker overlapping this one
      // for a moment), whose next write this store would not see.
      for (const result of results) {
        if (result?.changed && claims.get(result.changed.id) === claim) remember(result.changed);
      }
      return results;
    } finally {
      for (const jobId of jobIds) if (claims.get(jobId) === claim) claims.delete(jobId);
    }
  }

  return {
    put: (job) => write([job]),
    putAll: (jobs) => write(jobs),
    async get(jobId) {
      const known = open.get(jobId);
      if (known) return structuredClone(known);
      return (await db).get('jobs', jobId);
    },
    async getMany(jobIds) {
      const found = new Map<string, StoredJob>();
      const unknown: string[] = [];
      for (const id of new Set(jobIds)) {
        const known = open.get(id);
        if (known) found.set(id, structuredClone(known));
        else unknown.push(id);
      }
      if (unknown.length === 0) return found;
      const tx = (await db).transaction('jobs');
      const read = await Promise.all(unknown.map((id) => tx.store.get(id)));
      for (const job of read) if (job) found.set(job.id, job);
      return found;
    },
    async forRow(console, rowKey, now) {
      return recentOf(await (await db).getAllFromIndex('jobs', 'byRow', [console, rowKey]), now);
    },
    async forRows(console, rowKeys, now) {
      const index = (await db).transaction('jobs').store.index('byRow');
      const read = await Promise.all(rowKeys.map((rowKey) => index.getAll([console, rowKey])));
      return read.map((jobs) => recentOf(jobs, now));
    },
    async unfinished() {
      return (await db).getAllFromIndex('jobs', 'byOpen', 1);
    },
    async change(jobId, edit) {
      const [result] = await changeMany([jobId], edit);
      return result;
    },
    changeMany,
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

/** A row's jobs as `forRow` answers them: the open ones and those of the last day, newest first. */
function recentOf(jobs: StoredJob[], now: number): StoredJob[] {
  return jobs
    .filter((job) => job.open === 1 || now - job.updatedAt < RECENT_JOB_MS)
    .sort((a, b) => b.createdAt - a.createdAt)
    .slice(0, RECENT_JOB_LIMIT);
}
