import { type Job, JobSchema } from '../../core/messages.ts';

/** Where a job's updates go: the tab and frame whose content script started it. */
export interface TabRef {
  tabId: number;
  frameId: number;
}

/**
 * A job as stored in IndexedDB: the `Job` the panel sees, plus what the worker needs to find and resume
 * it. `open` is a number because IndexedDB cannot index booleans.
 */
export interface StoredJob extends Job {
  console: string;
  rowKey: string;
  open: 0 | 1;
  tab: TabRef | null;
}

/** The part a content script may see (parsed, so nothing worker-only leaks by accident). */
export function toJob(stored: StoredJob): Job {
  return JobSchema.parse(stored);
}
