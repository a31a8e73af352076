/**
 * A run's statuses, and the one answer to "is this job finished?" (docs/architecture.md §5). No zod here:
 * the content script's panel imports this module, and `api.ts` builds its schema from `RUN_STATUSES`.
 */

export const RUN_STATUSES = [
  'queued',
  'pending_approval',
  'running',
  'succeeded',
  'failed',
  'denied',
  'canceled',
  'timed_out',
] as const;
export type RunStatus = (typeof RUN_STATUSES)[number];

/** A job's status in the worker: a run status, or `submitting` before the engine has answered. */
export type JobStatus = RunStatus | 'submitting';

/** An exhaustive map, so the compiler demands an answer for every status added to the API. */
const FINISHED: Record<JobStatus, boolean> = {
  submitting: false,
  queued: false,
  pending_approval: false,
  running: false,
  succeeded: true,
  failed: true,
  denied: true,
  canceled: true,
  timed_out: true,
};

/** Whether the run is over: nothing about it changes any more, so nobody needs to follow it. */
export const isFinished = (status: JobStatus): boolean => FINISHED[status];
