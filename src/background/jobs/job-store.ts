import type { GridsideDatabase } from '../db.ts';
import type { StoredJob } from './job-record.ts';

/** How long a finished job still shows beside its row after a reload. */
export const RECENT_JOB_MS = 24 * 60 * 60 * 1000;
const RECENT_JOB_LIMIT = 20;

export interface JobStore {
  put(job: StoredJob): Promise<void>;
  get(jobId: string): Promise<StoredJob | undefined>;
  /** Unfinished jobs of a row, and its finished ones of the last day, newest first. */
  forRow(console: string, rowKey: string, now: number): Promise<StoredJob[]>;
  unfinished(): Promise<StoredJob[]>;
}

export function createJobStore(db: Promise<GridsideDatabase>): JobStore {
  return {
    async put(job) {
      await (await db).put('jobs', job);
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
  };
}
