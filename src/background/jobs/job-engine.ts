import type { Action, Run } from '../../core/api.ts';
import type { ContentPush, Job, PanelError } from '../../core/messages.ts';
import type { RowContext } from '../../core/row-context.ts';
import { isFinished } from '../../core/run-status.ts';
import type { Connector, StartRun } from '../connectors/connector.ts';
import { withObservables } from '../connectors/result-observables.ts';
import { UserError } from '../user-error.ts';
import { createFollowTogether } from './follow-together.ts';
import { type BatchPlace, jobRecord, type StoredJob, type TabRef, toJob } from './job-record.ts';
import type { JobStore } from './job-store.ts';
import { type Backoff, DEFAULT_BACKOFF, nextDelay } from './poll-schedule.ts';
import { createStartTogether, startGroups } from './start-together.ts';
import { alreadyRunning, sameParams } from './twin-job.ts';

/**
 * Durable jobs (docs/architecture.md §7). A job is written to IndexedDB before its start request leaves, so a run the
 * orchestrator accepted is never forgotten; every later change is saved and, at the same time, pushed to
 * the tab that asked.
 * Polling runs on in-memory timers while the worker lives; `resumeUnfinished` (called at worker start-up
 * and by the `chrome.alarms` heartbeat) picks up whatever a killed worker left behind. A batch row that was
 * stored but never sent (`queued`) belongs to the batch queue (batch.ts), not to resume: it is neither
 * polled nor failed here, only canceled on the analyst's word.
 */
export interface JobEngineDeps {
  store: JobStore;
  /** The connector for a saved orchestrator entry; throws `UserError('not_configured')` otherwise. */
  connectorFor(orchestratorId: string): Promise<Connector>;
  /** Sends to one tab and frame; must not throw when the tab is gone. */
  push(tab: TabRef, message: ContentPush): Promise<void>;
  newId?: () => string;
  now?: () => number;
  /** Long-poll length asked of engines that support it. */
  longPollSeconds?: number;
  backoff?: Backoff;
}

export interface StartJob {
  /** Chosen by the caller when it must know the id before the run starts (a batch); otherwise new. */
  id?: string;
  orchestratorId: string;
  action: Action;
  params: Record<string, string>;
  context: RowContext;
  tab: TabRef | null;
  /** Set when the job is a row of a batch (batch.ts). */
  batch?: BatchPlace;
  /** Set on a pivot from another job's result. */
  parentJobId?: string;
  /**
   * The row's stored jobs, when the caller began reading them already (the result cache reads them beside
   * its own record, one IndexedDB round trip instead of two in turn): the twin check uses them.
   */
  rowJobs?: Promise<StoredJob[]>;
  /**
   * The job's start record is stored already: a batch row taken off its queue (batch.ts) is exactly that
   * record, so it is not written a second time before the request leaves.
   */
  recorded?: boolean;
  /**
   * The analyst waits for this run in a panel: a read-only one may be answered when it ends (see
   * `start`). Auto-enrichment and batches leave it out: they start many runs and must not wait on each.
   */
  answerAtEnd?: boolean;
}

export interface JobEngine {
  start(request: StartJob): Promise<Job>;
  /**
   * `start` for many rows of a batch at once: each answered with its job, or with the error its start
   * hit (which `start` would have thrown). See `startMany` below.
   */
  startMany(requests: StartJob[]): Promise<Array<Job | Error>>;
  get(jobId: string): Promise<StoredJob | undefined>;
  forRow(console: string, rowKey: string): Promise<Job[]>;
  cancel(jobId: string): Promise<Job>;
  /**
   * Sends again the start of a job whose answer was lost (`PanelError.sendAgain`), under the job's own
   * key and with its own values: the engine answers with the run the first start made, or starts it now,
   * once. `action` is the job's action as the catalog has it now; `tab` is where the job shows.
   */
  resend(jobId: string, action: Action, tab: TabRef | null): Promise<Job>;
  /**
   * Follows every unfinished job not already followed; resolves with how many it picked up. `after` says
   * why: only a new worker (`restart`) can tell that a start saved without a run id was lost with the
   * worker before it. On a `heartbeat` such a job is a start this worker is still making (its request on
   * its way, or a batch row between its queue and its request), and it is left to it.
   */
  resumeUnfinished(after: 'restart' | 'heartbeat'): Promise<number>;
  /** Resolves once no job is being followed (tests, and a clean stop). */
  idle(): Promise<void>;
  /** Stops following (the worker is going away); stored jobs stay unfinished for the next resume. */
  stop(): void;
}

/** Errors worth retrying: the run may well still be going at the orchestrator. */
export const TRANSIENT: ReadonlySet<PanelError['code']> = new Set([
  'unreachable',
  'timeout',
  'server_error',
  'rate_limited',
]);

/**
 * Answers in a row Gridside does not understand (`bad_response`) before a followed job gives up: one such
 * answer may be damaged on the way, and the run it is about is most likely still going.
 */
export const BAD_ANSWERS_BEFORE_GIVING_UP = 3;

/**
 * Failures after which a start's request may have reached the orchestrator and only its answer was lost:
 * no connection to the end (a dropped one looks the same), no answer in time, or a gateway's error.
 */
const ANSWER_MAY_BE_LOST: ReadonlySet<PanelError['code']> = new Set([
  'unreachable',
  'timeout',
  'server_error',
]);

/** How often a side effect's start whose answer was lost is sent, with its key, before Gridside gives up. */
export const START_ATTEMPTS = 3;

/** What the analyst is told to do when a run may exist that Gridside has no answer about. */
const CHECK_RUN_HISTORY = "Check the orchestrator's run history before running it again.";

export function createJobEngine(deps: JobEngineDeps): JobEngine {
  const { store, push } = deps;
  const now = deps.now ?? Date.now;
  const newId = deps.newId ?? (() => crypto.randomUUID());
  // The orchestrator holds a long-poll until the run ends, so intermediate states (queued → running) show
  // at most this late; short enough to keep the panel honest, long enough to save most requests.
  const longPollSeconds = deps.longPollSeconds ?? 15;
  const backoff = deps.backoff ?? DEFAULT_BACKOFF;
  const lifetime = new AbortController();
  const following = new Map<string, Promise<void>>();
  /** Jobs whose start this worker is making, from their record until they are followed or finished. */
  const starting = new Set<string>();
  const startsTogether = createStartTogether();

  async function save(job: StoredJob): Promise<StoredJob> {
    const saved = { ...job, updatedAt: now() };
    // The write is queued first and the panel is told while it commits: a verdict does not wait for the
    // disk. A worker killed in between resumes from the last saved state and pushes this one again.
    const written = store.put(saved);
    // Nor does anything wait for the page to take the push (a busy console page takes tens of ms, and the
    // next long poll would leave that much later). Pushes to one frame arrive in the order they were sent.
    if (saved.tab) void push(saved.tab, { type: 'job.update', job: toJob(saved) });
    await written;
    return saved;
  }

  /**
   * Saves `jobs` in one transaction and tells each tab of them in the same turn (push.ts sends the pushes
   * of one turn to a frame as one message), rather than a transaction and a message per job.
   */
  async function saveAll(jobs: StoredJob[]): Promise<void> {
    const written = store.putAll(jobs);
    for (const job of jobs) if (job.tab) void push(job.tab, jobUpdate(job));
    await written;
  }

  function finishWithError(job: StoredJob, error: PanelError): Promise<StoredJob> {
    return save(failed(job, error));
  }

  function withRun(job: StoredJob, run: Run): StoredJob {
    return {
      ...job,
      runId: run.id,
      status: run.status,
      run: withObservables(run, Object.values(job.params)),
      error: null,
      open: isFinished(run.status) ? 0 : 1,
    };
  }

  function sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      if (lifetime.signal.aborted) return resolve();
      const timer = setTimeout(done, ms);
      lifetime.signal.addEventListener('abort', done, { once: true });
      function done() {
        clearTimeout(timer);
        lifetime.signal.removeEventListener('abort', done);
        resolve();
      }
    });
  }

  /** Saves the job with the run as answered, when anything changed (a clear error counts as a change). */
  async function seeRun(job: StoredJob, run: Run): Promise<StoredJob> {
    const [seen] = await seeRuns([{ job, run }]);
    return seen ?? job;
  }

  /**
   * `seeRun` for the runs of one answer (a batch's shared poll): the changed jobs are written in one
   * transaction, and each tab is told of them together (the pushes leave in one turn, which push.ts sends
   * as one message), rather than a transaction and a message per row.
   */
  async function seeRuns(seen: ReadonlyArray<{ job: StoredJob; run: Run }>): Promise<StoredJob[]> {
    const at = now();
    const after = seen.map(({ job, run }) =>
      job.error !== null || JSON.stringify(run) !== JSON.stringify(job.run)
        ? { ...withRun(job, run), updatedAt: at }
        : job,
    );
    const changed = after.filter((job, i) => job !== seen[i]?.job);
    if (changed.length > 0) await saveAll(changed);
    return after;
  }

  // A batch's rows share one long poll where the engine offers one (follow-together.ts).
  const together = createFollowTogether({
    load: (jobId) => store.get(jobId),
    seeRuns,
    sayProblem: (job, problem) => save({ ...job, error: problem }),
    transient: (problem) => TRANSIENT.has(problem.code),
    problemOf: panelErrorOf,
    sleep,
    lifetime: lifetime.signal,
    longPollSeconds,
    backoff,
    now,
  });

  function follow(jobId: string): void {
    if (following.has(jobId) || lifetime.signal.aborted) return;
    const loop = pollUntilDone(jobId).finally(() => following.delete(jobId));
    following.set(jobId, loop);
  }

  async function pollUntilDone(jobId: string): Promise<void> {
    let delay = backoff.firstMs;
    let badAnswers = 0;
    /** Set when the batch's shared poll handed this row back to be followed on its own. */
    let alone = false;
    while (!lifetime.signal.aborted) {
      let job = await store.get(jobId);
      if (!job || job.open === 0 || job.queued) return;
      if (!job.runId) {
        // The worker died between saving the job and hearing back from the orchestrator: we cannot know
        // whether the run started, and starting it again could repeat a side effect. Sending the same
        // start again cannot, where the engine takes keys (`resend` makes sure it keeps them).
        const takesKeys = await deps.connectorFor(job.orchestratorId).then(
          (connector) => connector.startsOnceByKey !== undefined,
          () => false,
        );
        await finishWithError(job, {
          code: 'internal',
          message: 'Gridside was restarted before the orchestrator confirmed this run.',
          ...sendAgainOr(takesKeys && !job.batch),
        });
        return;
      }
      let connector: Connector;
      try {
        connector = await deps.connectorFor(job.orchestratorId);
      } catch (error) {
        await finishWithError(job, panelErrorOf(error));
        return;
      }
      if (job.batch && connector.waitForRuns && !alone) {
        const key = JSON.stringify([job.orchestratorId, job.batch.id]);
        if ((await together.follow(key, job.id, connector)) === 'done') return;
        alone = true;
        continue;
      }
      const askedAt = now();
      try {
        const run = connector.waitForRun
          ? await connector.waitForRun(job.runId, longPollSeconds, lifetime.signal, job.run)
          : await connector.getRun(job.runId, lifetime.signal);
        if (lifetime.signal.aborted) return;
        badAnswers = 0;
        const before = job;
        job = await seeRun(job, run);
        const changed = job !== before;
        if (isFinished(run.status)) return;
        // A long-poll the server honoured already waited, and one that answered early with a change (queued
        // → running) is asked again at once: the next one waits at the server, so the verdict shows the
        // moment the run ends. One it ignored (answered at once, unchanged) falls back to interval polling.
        const waited = connector.waitForRun && now() - askedAt >= (longPollSeconds * 1000) / 2;
        const askAgainNow = waited || (connector.waitForRun !== undefined && changed);
        if (changed || waited) delay = backoff.firstMs;
        if (!askAgainNow) {
          await sleep(delay);
          delay = nextDelay(delay, backoff);
        }
      } catch (error) {
        if (lifetime.signal.aborted) return;
        const panelError = panelErrorOf(error);
        const retry =
          TRANSIENT.has(panelError.code) ||
          (panelError.code === 'bad_response' && ++badAnswers < BAD_ANSWERS_BEFORE_GIVING_UP);
        if (!retry) {
          await finishWithError(job, panelError);
          return;
        }
        // Say so once, keep the job open and keep trying; the alarm heartbeat also retries after a restart.
        if (job.error?.message !== panelError.message) await save({ ...job, error: panelError });
        const retryAfter = error instanceof UserError ? error.retryAfterMs : undefined;
        await sleep(Math.max(retryAfter ?? 0, delay));
        delay = nextDelay(delay, backoff);
      }
    }
  }

  /** The job already running this request's action with the same values on its row, if any. */
  async function twinOf(request: StartJob): Promise<StoredJob | undefined> {
    const { id, orchestratorId, action, params, context, rowJobs } = request;
    // A batch row's own stored record, and rows still waiting in a batch, are not running: never twins.
    return (await (rowJobs ?? store.forRow(context.console, context.key.value, now()))).find(
      (j) =>
        j.open === 1 &&
        j.id !== id &&
        !j.queued &&
        j.orchestratorId === orchestratorId &&
        j.actionId === action.id &&
        sameParams(j.params, params),
    );
  }

  /** Joins the running `twin` instead of running the request again. */
  async function joinTwin(twin: StoredJob, request: StartJob): Promise<Job> {
    const { id, tab, batch } = request;
    // A batch promised the panel this id: record why it did not run, so the id still says something.
    if (id) await save(alreadyRunning(twin, { id, tab, batch }, now()));
    const joined = tab ? await save({ ...twin, tab }) : twin;
    follow(joined.id);
    return toJob(joined);
  }

  /** A new job's start record, with the id the caller chose if it did. */
  function startRecord(request: StartJob): StoredJob {
    const { id, orchestratorId, action, params, context, tab, batch, parentJobId } = request;
    return jobRecord(
      { id: id ?? newId(), orchestratorId, action, params, context, tab, batch, parentJobId },
      now(),
    );
  }

  /** What the orchestrator is asked to run for `request`, under the id of its job's record. */
  function asked({ action, params, context, batch, answerAtEnd }: StartJob, jobId: string): StartRun {
    // A read-only lookup the analyst waits for is answered when it ends, where the engine can: the
    // browser then has nothing to do while the plugin runs (docs/architecture.md). A worker lost
    // meanwhile loses nothing that running the lookup again cannot give back.
    return {
      action,
      params,
      context,
      answerAtEnd: answerAtEnd === true && !action.sideEffects && !batch,
      // Saved before the request leaves: the start sent again under it is answered with the same run.
      key: jobId,
    };
  }

  /**
   * Sends a start (`send`), and sends it again while its answer may have been lost on the way, for an
   * action with side effects on an engine known to answer a repeated key with the run it started
   * (`Connector.startsOnceByKey`): at most `START_ATTEMPTS` times, a little further apart each time. A
   * read-only lookup is not sent again: its failure says so, and running it again is harmless.
   */
  async function sendStart<T>(
    connector: Connector,
    sideEffects: boolean,
    send: () => Promise<T>,
  ): Promise<T> {
    let delay = backoff.firstMs;
    for (let attempt = 1; ; attempt++) {
      try {
        return await send();
      } catch (error) {
        const again =
          sideEffects &&
          attempt < START_ATTEMPTS &&
          answerMayBeLost(error) &&
          connector.startsOnceByKey?.() === true &&
          !lifetime.signal.aborted;
        if (!again) throw error;
        await sleep(delay);
        delay = nextDelay(delay, backoff);
      }
    }
  }

  /**
   * Starts the rows of one orchestrator together: their start records written in one transaction (unless
   * the caller wrote them), one request per group of `startGroups` where the engine starts many runs in
   * one, and every answer saved in one transaction and told to the tabs in one turn. An engine without
   * many-run starts has each row submitted alone.
   */
  async function submitMany(
    group: Array<{ request: StartJob; record: StoredJob }>,
  ): Promise<Array<Job | Error>> {
    const first = group[0];
    if (!first) return [];
    const connecting = deps.connectorFor(first.request.orchestratorId);
    connecting.catch(() => undefined);
    const records = group.map(({ record }) => record);
    // Saved before the request leaves, as for a start alone.
    const unrecorded = group.filter(({ request }) => !request.recorded).map(({ record }) => record);
    if (unrecorded.length > 0) await store.putAll(unrecorded);
    let connector: Connector;
    try {
      connector = await connecting;
    } catch (error) {
      const refused = records.map((job) => ({ ...failed(job, panelErrorOf(error)), updatedAt: now() }));
      await saveAll(refused);
      return refused.map(toJob);
    }
    const startRuns = connector.startRuns?.bind(connector);
    if (!startRuns) {
      return Promise.all(
        group.map(({ request, record }) => submit({ ...request, recorded: true }, record).catch(asError)),
      );
    }
    const requests = group.map(({ request, record }) => asked(request, record.id));
    const answers = (
      await Promise.all(
        startGroups(requests).map(async (part) => {
          const sideEffects = part.some(({ action }) => action.sideEffects);
          const answered: Array<Run | Error> = await sendStart(connector, sideEffects, () =>
            startRuns(part, lifetime.signal),
          ).catch((error: unknown) => part.map(() => asError(error)));
          return part.map((_, i) => answered[i] ?? new Error('the engine answered fewer starts than asked'));
        }),
      )
    ).flat();
    const at = now();
    const after = records.map((job, i) => {
      const answer = answers[i] ?? new Error('the engine answered fewer starts than asked');
      const action = group[i]!.request.action;
      const changed =
        answer instanceof Error ? failed(job, startFailure(action, answer, false)) : withRun(job, answer);
      return { ...changed, updatedAt: at };
    });
    try {
      await saveAll(after);
    } catch (error) {
      return group.map(({ request }, i) => {
        const runId = after[i]?.runId;
        return runId ? startedButNotRecorded(request.action.name, runId, error) : asError(error);
      });
    }
    for (const job of after) if (job.open === 1) follow(job.id);
    return after.map(toJob);
  }

  /** Saves the start `record` (unless the caller did), asks the orchestrator, and follows the run. */
  async function submit(request: StartJob, record: StoredJob): Promise<Job> {
    const { orchestratorId, action, batch } = request;
    let job = record;
    // The connector (the orchestrator's entry and token) is read while the record is being written; a
    // failure to read it is answered below, once the record is saved.
    const connecting = deps.connectorFor(orchestratorId);
    connecting.catch(() => undefined);
    // Saved before the request leaves: if the worker dies now, resume knows a run may exist.
    if (!request.recorded) await store.put(job);
    let run: Run;
    let reached: Connector | undefined;
    try {
      const connector = await connecting;
      reached = connector;
      const start = asked(request, record.id);
      // A batch row sent on its own goes with the others sent meanwhile (start-together.ts).
      run = await sendStart(connector, action.sideEffects, () =>
        batch
          ? startsTogether.start(orchestratorId, connector, start, lifetime.signal)
          : connector.startRun(start, lifetime.signal),
      );
    } catch (error) {
      // A batch's row is sent again with its batch, not on its own.
      const keepsKeys = !batch && reached?.startsOnceByKey?.() === true;
      return toJob(await finishWithError(job, startFailure(action, error, keepsKeys)));
    }
    try {
      job = await save(withRun(job, run));
    } catch (error) {
      throw startedButNotRecorded(action.name, run.id, error);
    }
    if (job.open === 1) follow(job.id);
    return toJob(job);
  }

  /** Submits `request` under a start record of its own, known meanwhile as a start being made. */
  async function submitNew(request: StartJob): Promise<Job> {
    const record = startRecord(request);
    starting.add(record.id);
    try {
      return await submit(request, record);
    } finally {
      starting.delete(record.id);
    }
  }

  return {
    async start(request) {
      // Identical in-flight runs are merged (docs/architecture.md §7): a double click or a second panel on the same
      // row joins the running job instead of running the plugin twice.
      const twin = await twinOf(request);
      if (twin) return joinTwin(twin, request);
      return submitNew(request);
    },

    // A batch's rows set out together (batch.ts): a request per row cost the worker, the browser and the
    // orchestrator a few transactions and a fetch each, on the cores the batch's plugins run on.
    async startMany(requests) {
      const results: Array<Job | Error> = [];
      const byOrchestrator = new Map<string, Array<{ at: number; request: StartJob; record: StoredJob }>>();
      for (const [at, request] of requests.entries()) {
        try {
          const twin = await twinOf(request);
          if (twin) {
            results[at] = await joinTwin(twin, request);
            continue;
          }
        } catch (error) {
          results[at] = asError(error);
          continue;
        }
        const group = byOrchestrator.get(request.orchestratorId) ?? [];
        group.push({ at, request, record: startRecord(request) });
        byOrchestrator.set(request.orchestratorId, group);
      }
      const groups = [...byOrchestrator.values()];
      const ids = groups.flatMap((group) => group.map(({ record }) => record.id));
      for (const id of ids) starting.add(id);
      try {
        await Promise.all(
          groups.map(async (group) => {
            const answers = await submitMany(group).catch((error: unknown) =>
              group.map(() => asError(error)),
            );
            for (const [i, { at }] of group.entries()) results[at] = answers[i] ?? asError(undefined);
          }),
        );
      } finally {
        for (const id of ids) starting.delete(id);
      }
      return results;
    },

    get: (jobId) => store.get(jobId),

    async forRow(console, rowKey) {
      return (await store.forRow(console, rowKey, now())).map(toJob);
    },

    async cancel(jobId) {
      let job = await store.get(jobId);
      if (!job) throw new UserError('not_found', 'Gridside has no record of this run.');
      if (job.open === 0) return toJob(job);
      if (job.queued) {
        // Never sent: cancel it here, in the same transaction the batch queue takes rows from, so it
        // cannot be sent after this answer. If the queue took it first, it is being submitted (below).
        const canceled = await store.change(jobId, (current) => {
          if (!current.queued || current.open === 0) return undefined;
          const { queued: _sent, ...rest } = current;
          return { ...rest, status: 'canceled', open: 0, updatedAt: now() };
        });
        if (canceled?.changed) {
          if (canceled.changed.tab) await push(canceled.changed.tab, jobUpdate(canceled.changed));
          return toJob(canceled.changed);
        }
        job = canceled?.before ?? job;
        if (job.open === 0) return toJob(job);
      }
      if (!job.runId) {
        throw new UserError(
          'conflict',
          'This run is still being submitted to the orchestrator.',
          'Try canceling again in a moment.',
        );
      }
      const connector = await deps.connectorFor(job.orchestratorId);
      await connector.cancelRun(job.runId);
      const run = await connector.getRun(job.runId);
      const saved = await save(withRun(job, run));
      return toJob(saved);
    },

    async resend(jobId, action, tab) {
      const job = await store.get(jobId);
      if (!job) throw new UserError('not_found', 'Gridside has no record of this run.');
      if (job.error?.sendAgain !== true || job.runId !== null || job.actionId !== action.id) {
        throw new UserError('conflict', 'This run’s start cannot be sent again.', 'Use Run again.');
      }
      const connector = await deps.connectorFor(job.orchestratorId);
      // A worker that has just woken has not heard yet: the orchestrator's catalog says.
      if (connector.startsOnceByKey?.() === false) await connector.listActions(job.context).catch(() => []);
      if (connector.startsOnceByKey?.() !== true) {
        throw new UserError(
          'conflict',
          'Gridside cannot tell whether this orchestrator would start the run a second time.',
          CHECK_RUN_HISTORY,
        );
      }
      const { orchestratorId, params, context, parentJobId } = job;
      return submitNew({ id: job.id, orchestratorId, action, params, context, tab, parentJobId });
    },

    async resumeUnfinished(after) {
      const jobs = await store.unfinished();
      let picked = 0;
      for (const job of jobs) {
        if (following.has(job.id) || starting.has(job.id) || job.queued) continue;
        if (!job.runId && after === 'heartbeat') continue;
        follow(job.id);
        picked++;
      }
      return picked;
    },

    async idle() {
      while (following.size > 0) await Promise.allSettled([...following.values()]);
    },

    stop() {
      lifetime.abort();
    },
  };
}

const jobUpdate = (job: StoredJob): ContentPush => ({ type: 'job.update', job: toJob(job) });

/** The job ended by `error`: failed, unless it had ended already. */
function failed(job: StoredJob, error: PanelError): StoredJob {
  const status = isFinished(job.status) ? job.status : 'failed';
  return { ...job, status, error, open: 0 };
}

/** Whether `error` leaves open that a start reached the engine, and only its answer was lost. */
const answerMayBeLost = (error: unknown): boolean =>
  error instanceof UserError && ANSWER_MAY_BE_LOST.has(error.code);

/**
 * What a failed start tells the analyst. A side effect's start whose answer was lost may have started
 * its run all the same (a run waiting for approval, or already done): the job is not closed as a plain
 * failure to try again, which could disable the account twice, but with what is known, as after a
 * restart before the orchestrator confirmed a run.
 */
function startFailure(
  action: Pick<Action, 'name' | 'sideEffects'>,
  error: unknown,
  keepsKeys: boolean,
): PanelError {
  if (!action.sideEffects || !answerMayBeLost(error)) return panelErrorOf(error);
  return {
    code: (error as UserError).code,
    message: `${action.name} may have started on the orchestrator: its start was sent, but no answer came back. ${(error as UserError).message}`,
    ...sendAgainOr(keepsKeys),
  };
}

/**
 * What the analyst can do about a start that may have been made: send the same start again where the
 * engine answers it with the run it made (`keepsKeys`), else look in the engine's history first.
 */
function sendAgainOr(keepsKeys: boolean): Pick<PanelError, 'hint' | 'sendAgain'> {
  if (!keepsKeys) return { hint: CHECK_RUN_HISTORY };
  return {
    hint: 'Send it again: the orchestrator answers with the run if it started, and starts it once if it did not.',
    sendAgain: true,
  };
}

/** A start's failure as an `Error` (`startMany` answers one per row). */
export const asError = (error: unknown): Error =>
  error instanceof Error ? error : new Error(`Gridside could not start this run: ${String(error)}`);

/**
 * The orchestrator took the run, but the browser refused to record its answer (usually because its
 * storage is full, or because it closed Gridside's database after such a refusal). The run goes on at
 * the orchestrator: say so, rather than "internal error", so the analyst follows it there and does not
 * start it twice. The start record saved before the request tells a later worker that a run may exist.
 */
function startedButNotRecorded(actionName: string, runId: string, error: unknown): UserError {
  console.error('Gridside could not record a started run', error);
  return new UserError(
    'internal',
    `${actionName} was started on the orchestrator (run ${runId}), but this browser could not save Gridside’s record of it.`,
    'Follow the run in the orchestrator’s run history rather than starting it again. If this computer’s disk is full, free some space.',
  );
}

export function panelErrorOf(error: unknown): PanelError {
  if (error instanceof UserError) return error.toPanelError();
  // A programming error: say something true, and keep the details for the worker's console.
  console.error('Gridside job failed unexpectedly', error);
  return { code: 'internal', message: 'Gridside hit an internal error while running this action.' };
}
