import { bindRow } from '../../core/action-binding.ts';
import type { Action } from '../../core/api.ts';
import type { ContentPush, Job } from '../../core/messages.ts';
import type { RowContext } from '../../core/row-context.ts';
import { isFinished } from '../../core/run-status.ts';
import { UserError } from '../user-error.ts';
import { cacheKey } from './cache.ts';
import { inTurn } from './in-turn.ts';
import { panelErrorOf, type StartJob, TRANSIENT } from './job-engine.ts';
import { cachedFrom, jobRecord, refused, type StoredJob, type TabRef } from './job-record.ts';
import type { JobStore } from './job-store.ts';
import { SUBMITTING_AT_ONCE } from './start-together.ts';

/**
 * One action over many selected rows (`batch.start`). Each row runs with its own bound values; every row is
 * submitted at once, since the orchestrator queues runs itself at its own concurrency (in two requests
 * where the worker can start many rows together, `runTogether`), and the rows are followed together with
 * one long poll where the orchestrator offers one (job-engine.ts). Every row's job
 * id is decided up front and answered at once; each job then reports through the usual `job.update`
 * pushes, so the panel shows progress without a second channel.
 *
 * A read-only row the result cache (cache.ts) can answer at the start is answered then, with the other
 * rows' records: it never takes a place among the rows being submitted, so the first runs set out
 * together. A read-only row whose values repeat an earlier row of the same batch is not sent beside it
 * when the action's results are cached: it waits for that row to end and is then answered from the
 * cache, as a rerun would be.
 *
 * A killed service worker loses nothing: every row is stored before the ids are answered, as a job marked
 * `queued` (never sent). The marker is taken off in one transaction just before the row is sent, so a row
 * is sent at most once, and a row that was sent keeps the job engine's rule for runs nobody confirmed.
 * The rows a new batch sends first are stored without the marker, as the start records a run started
 * alone writes: they leave at once, and a worker killed before their runs are confirmed fails them by
 * that same rule rather than sending them again.
 * After a restart `resume` (worker start-up and the heartbeat) sends the rows still queued, in the
 * analyst's order; their tab hears about them as before. A row whose action its orchestrator no longer
 * offers, or whose orchestrator is gone, is failed with the reason. Canceling a queued row (job engine)
 * marks it canceled, and the queue then skips it.
 */

/**
 * Rows of one batch submitted at once: all of them (a batch has at most `BATCH_MAX_ROWS`). Holding rows
 * back until earlier ones ended left the orchestrator's slots idle between a run's end and the next row's
 * arrival; its own queue starts the next run the moment a slot frees.
 */
export const BATCH_MAX_ROWS = 200;
export const BATCH_CONCURRENCY = BATCH_MAX_ROWS;

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
  /** Validates, stores every row and starts the queue; resolves before the rows run. */
  start(request: BatchRequest): Promise<{ jobIds: string[] }>;
  /** Sends the stored rows of batches no queue in this worker holds; resolves with how many it took. */
  resume(): Promise<number>;
  /** Resolves when every batch started or resumed so far has finished (tests, clean stop). */
  idle(): Promise<void>;
}

type RowRequest = StartJob & { id: string };

/** The start of a stored row whose start record is written: no run was sent yet, none may be sent again. */
function rowRequest(row: StoredJob, action: Action): RowRequest {
  return {
    id: row.id,
    orchestratorId: row.orchestratorId,
    action,
    params: row.params,
    context: row.context,
    tab: row.tab,
    batch: row.batch,
    recorded: true,
  };
}

export function createBatchRunner(deps: {
  store: JobStore;
  /** The worker's start path (read-only cache included); must use `request.id` as the job id. */
  startJob(request: RowRequest): Promise<Job>;
  /**
   * `startJob` for many rows at once (cache.ts `startMany`): each row's job, or the error its start hit.
   * Left out, every row is started on its own.
   */
  startJobs?(requests: RowRequest[]): Promise<Array<Job | Error>>;
  /** Resolves once the job is finished. */
  ended(jobId: string): Promise<void>;
  /** Tells the job's tab about it (a row recorded here: failed, or answered from the cache). */
  tell(job: StoredJob): Promise<void>;
  /**
   * For each request, the finished job the result cache would answer it from now, in one read (cache.ts
   * `answers`); undefined where it must run. Left out, every row runs.
   */
  cached?(requests: RowRequest[]): Promise<Array<StoredJob | undefined>>;
  /**
   * The action as its orchestrator offers it now (undefined: no longer offered; throws when the
   * orchestrator is gone). Asked only for rows resumed after a restart; the catalog can change meanwhile.
   */
  actionNow?(orchestratorId: string, actionId: string, context: RowContext): Promise<Action | undefined>;
  newId?: () => string;
  now?: () => number;
  concurrency?: number;
}): BatchRunner {
  const { store } = deps;
  const newId = deps.newId ?? (() => crypto.randomUUID());
  const now = deps.now ?? Date.now;
  const concurrency = deps.concurrency ?? BATCH_CONCURRENCY;
  const submitting = inTurn(SUBMITTING_AT_ONCE);
  const running = new Set<Promise<void>>();
  /** Rows a queue of this worker holds: the heartbeat's resume must not take them a second time. */
  const held = new Set<string>();

  /** Records a row that cannot run as failed, with the reason, and tells its tab. */
  async function failRow(request: RowRequest, reason: string): Promise<void> {
    const job = jobRecord(request, now(), refused({ code: 'bad_request', message: reason }));
    await store.put(job);
    await deps.tell(job);
  }

  /**
   * Why a resumed row cannot run any more, null when its action is still offered, or `later` when the
   * orchestrator cannot say right now (the row stays queued for the next heartbeat).
   */
  async function stillOffered(row: StoredJob, action: Action): Promise<string | null | 'later'> {
    if (!deps.actionNow) return null;
    try {
      const current = await deps.actionNow(row.orchestratorId, action.id, row.context);
      if (!current) return `Not run: the orchestrator no longer offers ${action.name}.`;
      if (!current.available) return current.unavailableReason ?? `Not run: ${action.name} is not available.`;
      return null;
    } catch (error) {
      const problem = panelErrorOf(error);
      return TRANSIENT.has(problem.code) ? 'later' : `Not run: ${problem.message}`;
    }
  }

  /**
   * Takes the row off the queue and submits it; resolves once the orchestrator answered, with the job to
   * wait for when it runs on, or `later` when its orchestrator cannot be asked now.
   */
  async function submitRow(
    jobId: string,
    resumed: boolean,
  ): Promise<'later' | { ended?: string } | undefined> {
    const waiting = await store.get(jobId);
    if (!waiting?.queued || waiting.open === 0) return;
    const reason = resumed ? await stillOffered(waiting, waiting.queued.action) : null;
    if (reason === 'later') return 'later';
    // Taken off the queue in one transaction: a cancel or another queue that got here first wins.
    const taken = await store.change(jobId, (row) => {
      if (!row.queued || row.open === 0) return undefined;
      return { ...unqueued(row), updatedAt: now() };
    });
    const row = taken?.changed ? taken.before : undefined;
    if (!row?.queued) return;
    if (reason) {
      await failRow(rowRequest(row, row.queued.action), reason);
      return undefined;
    }
    return submitRecorded(rowRequest(row, row.queued.action));
  }

  /** Submits a row whose start record is written; resolves with the job to wait for, if it runs on. */
  async function submitRecorded(request: RowRequest): Promise<{ ended?: string }> {
    const job = await deps.startJob(request);
    return { ended: isFinished(job.status) ? undefined : job.id };
  }

  /**
   * A row sent and followed to its end. Only the submission takes a place in `submitting`: twenty rows
   * setting out together would interleave their storage work, and the first would reach the orchestrator
   * only after all of them had nearly done theirs; a few at a time, the first runs at once and the rest
   * still arrive faster than the orchestrator starts them.
   */
  async function sendRow(row: StoredJob, resumed: boolean, recorded: boolean): Promise<'later' | undefined> {
    const sent = await submitting.run(() =>
      recorded && row.queued
        ? submitRecorded(rowRequest(row, row.queued.action))
        : submitRow(row.id, resumed),
    );
    if (sent === 'later') return 'later';
    if (sent?.ended) await deps.ended(sent.ended);
    return undefined;
  }

  /**
   * A new batch's rows sent together (`startJobs`): the first rows, stored as start records by `start`, in
   * one go; then every other row whose values no earlier row has, taken off the queue in one transaction
   * and sent in one go once the first rows' request is answered, so their storage work does not hold the
   * first runs back. A row repeating an earlier row's values waits for that row to end and then goes
   * alone, so the cache answers it.
   *
   * Sent one by one, each row cost the worker four or five IndexedDB transactions and a share of a fetch,
   * with the browser's storage process and the orchestrator working for each, on the cores the batch's
   * plugins run on. The orchestrator queues the rows at its own concurrency either way.
   */
  function runTogether(
    rows: StoredJob[],
    recorded: ReadonlySet<string>,
    startJobs: NonNullable<typeof deps.startJobs>,
  ): void {
    for (const row of rows) held.add(row.id);
    const sameValues = sameValuesOf(rows);
    const seen = new Set<string>();
    const first: StoredJob[] = [];
    const later: StoredJob[] = [];
    const repeats: StoredJob[] = [];
    for (const row of rows) {
      const values = sameValues(row);
      if (seen.has(values)) repeats.push(row);
      else (recorded.has(row.id) ? first : later).push(row);
      seen.add(values);
    }
    const sentFirst = sendTogether(first, false, startJobs);
    const sentLater = sentFirst.catch(() => undefined).then(() => sendTogether(later, true, startJobs));
    /** When the last row of each set of values ended: a repeat goes then. */
    const lastOfValues = new Map<string, Promise<unknown>>();
    const done: Array<{ row: StoredJob; ended: Promise<unknown> }> = [...first, ...later].map((row) => {
      const sent = recorded.has(row.id) ? sentFirst : sentLater;
      const ended = sent.then((ends) => {
        const jobId = ends.get(row.id);
        return jobId === undefined ? undefined : deps.ended(jobId);
      });
      lastOfValues.set(
        sameValues(row),
        ended.catch(() => undefined),
      );
      return { row, ended };
    });
    for (const row of repeats) {
      const values = sameValues(row);
      const ended = (lastOfValues.get(values) ?? Promise.resolve()).then(() => sendRow(row, false, false));
      lastOfValues.set(
        values,
        ended.catch(() => undefined),
      );
      done.push({ row, ended });
    }
    const all = Promise.all(
      done.map(({ row, ended }) =>
        ended
          .catch((error: unknown) => console.error('Gridside batch row failed', error))
          .finally(() => held.delete(row.id)),
      ),
    ).then(() => {});
    running.add(all);
    void all.finally(() => running.delete(all));
  }

  /**
   * Sends `rows` together; resolves with the job to wait for of each row that runs on. Rows not `recorded`
   * are taken off the queue first, in one transaction: a cancel or another queue that got to a row first
   * wins it.
   */
  async function sendTogether(
    rows: StoredJob[],
    take: boolean,
    startJobs: NonNullable<typeof deps.startJobs>,
  ): Promise<Map<string, string>> {
    const ends = new Map<string, string>();
    if (rows.length === 0) return ends;
    const sending = take
      ? (
          await store.changeMany(
            rows.map((row) => row.id),
            (row) => (row.queued && row.open !== 0 ? { ...unqueued(row), updatedAt: now() } : undefined),
          )
        ).flatMap((taken) => (taken?.changed ? [taken.before] : []))
      : rows;
    const requests = sending.flatMap((row) => (row.queued ? [rowRequest(row, row.queued.action)] : []));
    if (requests.length === 0) return ends;
    const jobs = await startJobs(requests);
    for (const [i, job] of jobs.entries()) {
      const request = requests[i];
      if (job instanceof Error) console.error('Gridside batch row failed', job);
      else if (request && !isFinished(job.status)) ends.set(request.id, job.id);
    }
    return ends;
  }

  /**
   * Sends `rows` in order, at most `concurrency` at once; `stillRunning` (rows of the same batch a previous
   * worker sent) take their slots until they end. A read-only row repeating an earlier row's values waits
   * for that row first, so the cache answers it. Rows in `recorded` were stored as their start records
   * (`start`): they are sent without taking them off the queue.
   */
  function runQueue(
    rows: StoredJob[],
    resumed: boolean,
    stillRunning: StoredJob[] = [],
    recorded: ReadonlySet<string> = new Set(),
  ): void {
    for (const row of rows) held.add(row.id);
    const sameValues = sameValuesOf(rows);
    /** The last row sent (or still running) per set of values: when it ended, a repeat can go. */
    const lastOfValues = new Map<string, Promise<unknown>>();
    for (const row of stillRunning) lastOfValues.set(sameValues(row), deps.ended(row.id));
    let next = 0;
    const worker = async (slot: number) => {
      const before = stillRunning[slot];
      if (before !== undefined) await deps.ended(before.id);
      while (next < rows.length) {
        const row = rows[next++];
        if (row === undefined) break;
        const values = sameValues(row);
        const earlier = lastOfValues.get(values);
        const sending = (earlier ?? Promise.resolve())
          .then(() => sendRow(row, resumed, recorded.has(row.id)))
          .catch((error: unknown) => console.error('Gridside batch row failed', error))
          .finally(() => held.delete(row.id));
        lastOfValues.set(values, sending);
        const outcome = await sending;
        if (outcome !== 'later') continue;
        // The orchestrator is unreachable: leave the rest queued, in order, for the next heartbeat.
        for (const left of rows.slice(next)) held.delete(left.id);
        next = rows.length;
      }
    };
    const slots = Math.min(concurrency, rows.length + stillRunning.length);
    const all = Promise.all(Array.from({ length: slots }, (_, slot) => worker(slot))).then(() => {});
    running.add(all);
    void all.finally(() => running.delete(all));
  }

  return {
    async start({ orchestratorId, action, rows, tab, confirmed }) {
      if (rows.length === 0 || rows.length > BATCH_MAX_ROWS) {
        throw new UserError('bad_request', `A batch runs on 1 to ${BATCH_MAX_ROWS} rows.`);
      }
      if (action.sideEffects && !confirmed) {
        throw new UserError('refused', `${action.name} changes things: confirm the batch first.`);
      }
      if (!action.available) {
        throw new UserError('refused', action.unavailableReason ?? `${action.name} is not available.`);
      }
      const batchId = newId();
      const at = now();
      const runnable: RowRequest[] = [];
      const cannotRun: Array<{ request: RowRequest; reason: string }> = [];
      const jobIds = rows.map((context, order) => {
        const { params, missing } = bindRow(action, context);
        // A change to a row Gridside can only identify by a hash of its values could hit the wrong row.
        if (action.sideEffects && context.key.confidence === 'low') missing.push('a reliable row key');
        const request: RowRequest = { id: newId(), orchestratorId, action, params, context, tab };
        if (missing.length > 0) {
          cannotRun.push({ request, reason: `Not run: this row has no value for ${missing.join(', ')}.` });
        } else {
          runnable.push({ ...request, batch: { id: batchId, order } });
        }
        return request.id;
      });
      const sources = (await deps.cached?.(runnable)) ?? [];
      const queued: StoredJob[] = [];
      const answered: StoredJob[] = [];
      for (const [i, request] of runnable.entries()) {
        const source = sources[i];
        if (source) answered.push(jobRecord(request, at, cachedFrom(source)));
        else queued.push(jobRecord(request, at, undefined, { action }));
      }
      // The rows sent first are stored as their start records, as a run started alone is: taking each off
      // the queue was a transaction of its own, one after the other, before the batch's first run left.
      const recorded = firstToSend(queued.slice(0, concurrency));
      const stored = queued.map((row) => (recorded.has(row.id) ? unqueued(row) : row));
      // Stored before the ids are answered: the panel never holds an id Gridside has no record of. Held
      // from before the write, so a heartbeat's resume meanwhile leaves these rows to this queue.
      for (const row of queued) held.add(row.id);
      await store.putAll([...stored, ...answered]).catch((error: unknown) => {
        for (const row of queued) held.delete(row.id);
        throw error;
      });
      // The rows that can run set out first: recording the others (a write and a message to the page,
      // several milliseconds each) held back the first run. The ids are answered once every row has its
      // record, as above.
      if (queued.length > 0 && deps.startJobs && queued.length <= concurrency) {
        runTogether(queued, recorded, deps.startJobs);
      } else if (queued.length > 0) {
        runQueue(queued, false, [], recorded);
      }
      await Promise.all([
        ...answered.map((job) => deps.tell(job)),
        ...cannotRun.map(({ request, reason }) => failRow(request, reason)),
      ]);
      return { jobIds };
    },

    async resume() {
      const open = await store.unfinished();
      const left = open.filter((job) => job.queued && !held.has(job.id));
      const batches = new Map<string, StoredJob[]>();
      for (const job of left) {
        const batchId = job.batch?.id ?? job.id;
        batches.set(batchId, [...(batches.get(batchId) ?? []), job]);
      }
      for (const [batchId, rowsOfBatch] of batches) {
        rowsOfBatch.sort((a, b) => (a.batch?.order ?? 0) - (b.batch?.order ?? 0));
        const sent = open.filter((job) => !job.queued && job.batch?.id === batchId);
        runQueue(rowsOfBatch, true, sent);
      }
      return left.length;
    },

    async idle() {
      while (running.size > 0) await Promise.allSettled([...running]);
    },
  };
}

/**
 * What makes two rows of a batch the same run: their values, where the cache would answer the repeat;
 * nothing for an action it does not cache, which runs every row anyway.
 */
function sameValuesOf(rows: StoredJob[]): (row: StoredJob) => string {
  const cached = rows.some(
    (row) => row.queued && !row.queued.action.sideEffects && row.queued.action.cacheTtlSeconds > 0,
  );
  return (row) => (cached ? cacheKey(row.orchestratorId, row.actionId, row.params) : row.id);
}

/**
 * The rows a new batch submits first (runQueue, `submitting`), of the rows its queue takes at once: the
 * first `SUBMITTING_AT_ONCE` in order that repeat no earlier row's values (a repeat waits for its earlier
 * row).
 */
function firstToSend(rows: StoredJob[]): Set<string> {
  const sameValues = sameValuesOf(rows);
  const seen = new Set<string>();
  const first = new Set<string>();
  for (const row of rows) {
    if (first.size === SUBMITTING_AT_ONCE) break;
    const values = sameValues(row);
    if (seen.has(values)) continue;
    seen.add(values);
    first.add(row.id);
  }
  return first;
}

/** A queued row's record as its start record: no longer waiting, not sent yet. */
function unqueued(row: StoredJob): StoredJob {
  const { queued: _sending, ...sending } = row;
  return sending;
}

/**
 * Job endings as the worker's pushes report them, for whoever waits on a job (the batch queue). A job
 * that ended before anyone asked is answered from `lookup`.
 */
export function createJobEndings(lookup: (jobId: string) => Promise<Job | undefined>) {
  const waiting = new Map<string, Array<() => void>>();
  return {
    notice(message: ContentPush): void {
      if (message.type !== 'job.update' || !isFinished(message.job.status)) return;
      const waiters = waiting.get(message.job.id);
      waiting.delete(message.job.id);
      for (const resolve of waiters ?? []) resolve();
    },
    ended(jobId: string): Promise<void> {
      return new Promise((resolve) => {
        waiting.set(jobId, [...(waiting.get(jobId) ?? []), resolve]);
        void lookup(jobId).then((job) => {
          if (job && !isFinished(job.status)) return;
          const waiters = waiting.get(jobId) ?? [];
          waiting.delete(jobId);
          for (const done of waiters) done();
        });
      });
    },
  };
}
