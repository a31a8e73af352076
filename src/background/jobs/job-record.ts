import type { Action } from '../../core/api.ts';
import { type Job, JobSchema, type PanelError } from '../../core/messages.ts';
import type { RowContext } from '../../core/row-context.ts';
import { isFinished } from '../../core/run-status.ts';
import type { BatchPlace, QueuedRow, StoredJob, TabRef } from '../db.ts';

export type { BatchPlace, QueuedRow, StoredJob, TabRef } from '../db.ts';

/**
 * The one place a stored job record is made (docs/architecture.md §7). The fields the store's indexes read
 * are derived here, never written by hand: `console` and `rowKey` from the row, `open` from the status.
 */

/** What every job starts from: which action, with which values, on which row, for which tab. */
export interface JobStart {
  id: string;
  orchestratorId: string;
  action: Pick<Action, 'id' | 'name'>;
  params: Record<string, string>;
  context: RowContext;
  tab: TabRef | null;
  /** Set when the job is a row of a batch (batch.ts). */
  batch?: BatchPlace;
  /** Set on a pivot: the first job of the investigation (core/messages.ts JobSchema). */
  parentJobId?: string;
}

/** How far a job's run got. */
export type JobOutcome = Pick<Job, 'runId' | 'status' | 'run' | 'error' | 'cachedAt'>;

/** Nothing sent yet: the record is written before the start request leaves. */
export const NOT_SENT: JobOutcome = {
  runId: null,
  status: 'submitting',
  run: null,
  error: null,
  cachedAt: null,
};

/** A job that never ran: refused before anything was sent, and why. */
export const refused = (error: PanelError): JobOutcome => ({ ...NOT_SENT, status: 'failed', error });

/** A job answered from the read-only cache: `source`'s run, marked with when that run ended. */
export const cachedFrom = (source: StoredJob): JobOutcome => ({
  runId: source.runId,
  status: source.status,
  run: source.run,
  error: source.error,
  cachedAt: source.updatedAt,
});

/** A new job record, created `at`. `queued` marks a batch row stored but not yet sent. */
export function jobRecord(
  start: JobStart,
  at: number,
  outcome: JobOutcome = NOT_SENT,
  queued?: QueuedRow,
): StoredJob {
  const { id, orchestratorId, action, params, context, tab, batch, parentJobId } = start;
  const job: Job = {
    id,
    orchestratorId,
    actionId: action.id,
    actionName: action.name,
    params,
    context,
    ...outcome,
    createdAt: at,
    updatedAt: at,
    ...(parentJobId ? { parentJobId } : {}),
  };
  return {
    ...record(job, isFinished(job.status) ? 0 : 1, tab),
    ...(batch ? { batch } : {}),
    ...(queued ? { queued } : {}),
  };
}

/** A job from another profile (an import): history only, never followed here, whatever its status. */
export function historyRecord(job: Job): StoredJob {
  return record(job, 0, null);
}

function record(job: Job, open: 0 | 1, tab: TabRef | null): StoredJob {
  return { ...job, console: job.context.console, rowKey: job.context.key.value, open, tab };
}

/** The part a content script may see (parsed, so nothing worker-only leaks by accident). */
export function toJob(stored: StoredJob): Job {
  return JobSchema.parse(stored);
}
