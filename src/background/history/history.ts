import type { HistoryCursor, HistoryPage, HistoryQuery } from '../../core/history.ts';
import type { Job } from '../../core/messages.ts';
import { type StoredJob, toJob } from '../jobs/job-record.ts';
import type { JobStore } from '../jobs/job-store.ts';

/**
 * The run history: the durable jobs themselves (docs/architecture.md §7), read newest first through an IndexedDB
 * cursor on `byCreated` (`[createdAt, id]`), so a page never loads more than it shows and the next page
 * starts exactly after the last job shown, even when two jobs share a millisecond.
 */

/** A page stops after looking at this many jobs, so a rare filter cannot freeze the page on 10,000 jobs. */
export const SCAN_LIMIT = 5_000;

export interface HistoryService {
  search(query: HistoryQuery, after: HistoryCursor | null, limit: number): Promise<HistoryPage>;
  get(jobId: string): Promise<Job | undefined>;
  /** Every matching job, oldest first, one at a time (export). */
  each(query: HistoryQuery | undefined, visit: (job: StoredJob) => void): Promise<number>;
}

export function createHistory(store: JobStore): HistoryService {
  return {
    async search(query, after, limit) {
      const range = rangeFor(query, after);
      if (range === 'none' || limit <= 0) return { jobs: [], next: null, scanned: 0 };
      const matches = jobMatcher(query);
      const jobs: Job[] = [];
      let scanned = 0;
      let last: HistoryCursor | null = null;
      const more = await store.byStartTime(range, 'prev', (job) => {
        scanned++;
        last = [job.createdAt, job.id];
        if (matches(job)) jobs.push(toJob(job));
        return jobs.length < limit && scanned < SCAN_LIMIT;
      });
      return { jobs, next: more ? last : null, scanned };
    },

    async get(jobId) {
      const job = await store.get(jobId);
      return job ? toJob(job) : undefined;
    },

    async each(query, visit) {
      const matches = query ? jobMatcher(query) : () => true;
      const range = query ? rangeFor(query, null) : null;
      if (range === 'none') return 0;
      let count = 0;
      await store.byStartTime(range, 'next', (job) => {
        if (matches(job)) {
          visit(job);
          count++;
        }
        return true;
      });
      return count;
    },
  };
}

/** The `[createdAt, id]` range the date filter and the page cursor allow. */
function rangeFor(query: HistoryQuery, after: HistoryCursor | null): IDBKeyRange | null | 'none' {
  const low: [number, string] | null = query.from !== undefined ? [query.from, ''] : null;
  // Strings sort after numbers in IndexedDB keys, so `[to, '']` is the first key at `to`: excluded.
  let high: [number, string] | null = query.to !== undefined ? [query.to, ''] : null;
  if (after && (!high || compareKeys(after, high) < 0)) high = after;
  if (low && high) {
    if (compareKeys(low, high) >= 0) return 'none';
    return IDBKeyRange.bound(low, high, false, true);
  }
  if (low) return IDBKeyRange.lowerBound(low);
  if (high) return IDBKeyRange.upperBound(high, true);
  return null;
}

function compareKeys(a: readonly [number, string], b: readonly [number, string]): number {
  return a[0] - b[0] || (a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0);
}

/** Everything the analyst can find a run by, besides dates: the filters of `HistoryQuery`. */
export function jobMatcher(query: HistoryQuery): (job: StoredJob) => boolean {
  const action = query.action.trim().toLowerCase();
  const text = query.text.trim().toLowerCase();
  const alarmId = query.alarmId.trim();
  return (job) => {
    if (query.status && job.status !== query.status) return false;
    if (action && !`${job.actionId}\n${job.actionName}`.toLowerCase().includes(action)) return false;
    if (alarmId && job.context.alarmId !== alarmId && job.run?.alarmId !== alarmId) return false;
    if (text && !searchableValues(job).some((v) => v.toLowerCase().includes(text))) return false;
    return true;
  };
}

function searchableValues(job: StoredJob): string[] {
  return [
    ...Object.values(job.params),
    ...Object.values(job.context.fields),
    ...Object.values(job.context.labels),
    job.context.key.value,
  ];
}
