import { type BatchPlace, jobRecord, refused, type StoredJob, type TabRef } from './job-record.ts';

/**
 * A start identical to a job already running on the same row joins it (job-engine.ts): how to tell, and
 * what a batch row records then.
 */

/** The record of a batch row that joined an identical run already going on the same row. */
export function alreadyRunning(
  twin: StoredJob,
  row: { id: string; tab: TabRef | null; batch?: BatchPlace },
  at: number,
): StoredJob {
  const { orchestratorId, actionId, actionName, params, context } = twin;
  const start = { ...row, orchestratorId, action: { id: actionId, name: actionName }, params, context };
  return jobRecord(
    start,
    at,
    refused({
      code: 'conflict',
      message: 'Not run again: the same action with the same values was already running on this row.',
    }),
  );
}

export function sameParams(a: Record<string, string>, b: Record<string, string>): boolean {
  const keys = Object.keys(a);
  return keys.length === Object.keys(b).length && keys.every((k) => a[k] === b[k]);
}
