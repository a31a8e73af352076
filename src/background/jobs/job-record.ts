import { type Job, JobSchema } from '../../core/messages.ts';
import type { StoredJob } from '../db.ts';

export type { BatchPlace, QueuedRow, StoredJob, TabRef } from '../db.ts';

/** The part a content script may see (parsed, so nothing worker-only leaks by accident). */
export function toJob(stored: StoredJob): Job {
  return JobSchema.parse(stored);
}
