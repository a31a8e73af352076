import { bindRow } from '../core/action-binding.ts';
import type { Action } from '../core/api.ts';
import type { ContentPush, Job } from '../core/messages.ts';
import type { RowContext } from '../core/row-context.ts';
import { ConnectorError } from './connectors/connector.ts';
import type { StartJob } from './jobs/job-engine.ts';
import type { StoredJob, TabRef } from './jobs/job-record.ts';

/**
 * One action over many selected rows (`batch.start`). Each row runs with its own bound values; at most
 * `BATCH_CONCURRENCY` run at once so a 200-row selection does not flood the orchestrator. Every row's job
 * id is decided up front and answered at once; each job then reports through the usual `job.update`
 * pushes, so the panel shows progress without a second channel.
 *
 * The queue lives in the worker's memory: rows not yet started when the browser stops the worker are not
 * started later (a batch is something the analyst watches, and a restarted worker cannot tell whether the
 * analyst still wants it).
 */

export const BATCH_CONCURRENCY = 4;
export const BATCH_MAX_ROWS = 200;

export interface BatchRow {
  jobId: string;
  rowKey: string;
}

export interface BatchRequest {
  orchestratorId: string;
  action: Action;
  rows: RowContext[];
  tab: TabRef | null;
  /** The analyst confirmed running an action with side effects on every row. */
  confirmed: boolean;
}

export interface BatchRunner {
  /** Validates, allocates job ids and starts the queue; resolves before the rows run. */
  start(request: BatchRequest): Promise<{ jobIds: string[] }>;
  /** Resolves when every batch started so far has finished (tests, clean stop). */
  idle(): Promise<void>;
}

export function createBatchRunner(deps: {
  /** The worker's start path (read-only cache included); must use `request.id` as the job id. */
  startJob(request: StartJob & { id: string }): Promise<Job>;
  /** Resolves once the job is finished. */
  ended(jobId: string): Promise<void>;
  /** For a row that cannot run: records a failed job with this id and pushes it. */
  failRow(request: StartJob & { id: string }, reason: string): Promise<void>;
  newId?: () => string;
  concurrency?: number;
}): BatchRunner {
  const newId = deps.newId ?? (() => crypto.randomUUID());
  const concurrency = deps.concurrency ?? BATCH_CONCURRENCY;
  const running = new Set<Promise<void>>();

  async function runRow(request: StartJob & { id: string }, missing: string[]): Promise<void> {
    if (missing.length > 0) {
      await deps.failRow(request, `Not run: this row has no value for ${missing.join(', ')}.`);
      return;
    }
    const job = await deps.startJob(request);
    if (!isFinished(job)) await deps.ended(job.id);
  }

  return {
    async start({ orchestratorId, action, rows, tab, confirmed }) {
      if (rows.length === 0 || rows.length > BATCH_MAX_ROWS) {
        throw new ConnectorError('bad_request', `A batch runs on 1 to ${BATCH_MAX_ROWS} rows.`);
      }
      if (action.sideEffects && !confirmed) {
        throw new ConnectorError('refused', `${action.name} changes things: confirm the batch first.`);
      }
      if (!action.available) {
        throw new ConnectorError('refused', action.unavailableReason ?? `${action.name} is not available.`);
      }
      const queue = rows.map((context) => {
        const { params, missing } = bindRow(action, context);
        // A change to a row Gridside can only identify by a hash of its values could hit the wrong row.
        if (action.sideEffects && context.key.confidence === 'low') missing.push('a reliable row key');
        return { request: { id: newId(), orchestratorId, action, params, context, tab }, missing };
      });
      const jobIds = queue.map((q) => q.request.id);
      let next = 0;
      const worker = async () => {
        while (next < queue.length) {
          const item = queue[next++];
          if (!item) break;
          await runRow(item.request, item.missing).catch((error: unknown) =>
            console.error('Gridside batch row failed', error),
          );
        }
      };
      const all = Promise.all(Array.from({ length: Math.min(concurrency, queue.length) }, worker)).then(
        () => {},
      );
      running.add(all);
      void all.finally(() => running.delete(all));
      return { jobIds };
    },

    async idle() {
      while (running.size > 0) await Promise.allSettled([...running]);
    },
  };
}

const FINISHED = new Set(['succeeded', 'failed', 'denied', 'canceled', 'timed_out']);
const isFinished = (job: Job) => FINISHED.has(job.status);

/**
 * Job endings as the worker's pushes report them, for whoever waits on a job (the batch queue). A job
 * that ended before anyone asked is answered from `lookup`.
 */
export function createJobEndings(lookup: (jobId: string) => Promise<Job | undefined>) {
  const waiting = new Map<string, Array<() => void>>();
  return {
    notice(message: ContentPush): void {
      if (message.type !== 'job.update' || !isFinished(message.job)) return;
      const waiters = waiting.get(message.job.id);
      waiting.delete(message.job.id);
      for (const resolve of waiters ?? []) resolve();
    },
    ended(jobId: string): Promise<void> {
      return new Promise((resolve) => {
        waiting.set(jobId, [...(waiting.get(jobId) ?? []), resolve]);
        void lookup(jobId).then((job) => {
          if (job && !isFinished(job)) return;
          const waiters = waiting.get(jobId) ?? [];
          waiting.delete(jobId);
          for (const done of waiters) done();
        });
      });
    },
  };
}

/** The record of a selected row that could not run: failed, with the reason, so the list says why. */
export function batchFailedRow(request: StartJob & { id: string }, reason: string, at: number): StoredJob {
  return {
    id: request.id,
    orchestratorId: request.orchestratorId,
    actionId: request.action.id,
    actionName: request.action.name,
    params: request.params,
    context: request.context,
    runId: null,
    status: 'failed',
    run: null,
    error: { code: 'bad_request', message: reason },
    createdAt: at,
    updatedAt: at,
    cachedAt: null,
    console: request.context.console,
    rowKey: request.context.key.value,
    open: 0,
    tab: request.tab,
  };
}
