import type { ContentPush, Job } from '../../core/messages.ts';
import { isFinished } from '../../core/run-status.ts';
import { type CacheRecord, committed, type GridsideDatabase } from '../db.ts';
import { asError, type JobEngine, type StartJob } from './job-engine.ts';
import { cachedFrom, jobRecord, type StoredJob, type TabRef, toJob } from './job-record.ts';
import type { JobStore } from './job-store.ts';

/**
 * The read-only result cache and cross-row merging (docs/architecture.md §7). Only actions the catalog marks
 * `sideEffects: false` take part: asking twice for the reputation of one IP changes nothing, so within
 * `cacheTtlSeconds` the answer is reused (a new job for the asking row, marked `cachedAt`), and a second
 * identical request while the first is still running joins it. An action that changes something is always
 * run exactly as often as the analyst asks.
 *
 * The `cache` store maps a key (orchestrator + action + canonical params) to the job that last ran it;
 * whether that job is running, fresh or stale is read from the job itself, so nothing has to be told when
 * a job ends.
 */

export interface RunCache {
  /** `engine.start`, answered from the cache or joined to an identical running job when allowed. */
  start(request: StartJob & { refresh?: boolean; id?: string }): Promise<Job>;
  /**
   * `start` for a batch's rows at once (their ids chosen, so none joins a running job): the cache and the
   * rows' jobs read together, the rows it answers recorded in one transaction, the rest started together
   * (`engine.startMany`) and remembered in one transaction. Answers each row's job, or the error its
   * start hit.
   */
  startMany(requests: Array<StartJob & { id: string }>): Promise<Array<Job | Error>>;
  /** Whether a read-only request would be answered from the cache now, sending no run (auto-enrichment). */
  isFresh(request: Pick<StartJob, 'orchestratorId' | 'action' | 'params'>): Promise<boolean>;
  /**
   * For each request, the finished job the cache would answer it from now (undefined: it must run), read
   * in one go (a batch's rows, batch.ts).
   */
  answers(
    requests: Array<Pick<StartJob, 'orchestratorId' | 'action' | 'params'>>,
  ): Promise<Array<StoredJob | undefined>>;
  /** Wraps the worker's push so every tab that joined a merged job hears its updates. */
  fanOut(
    push: (tab: TabRef, message: ContentPush) => Promise<void>,
  ): (tab: TabRef, message: ContentPush) => Promise<void>;
}

export function cacheKey(orchestratorId: string, actionId: string, params: Record<string, string>): string {
  const canonical = Object.keys(params)
    .sort()
    .map((k) => [k, params[k]]);
  return JSON.stringify([orchestratorId, actionId, canonical]);
}

/** Whether `source` (the job a cache record points at) answers `action` now: succeeded, within the TTL. */
function answersNow(source: StoredJob | undefined, action: StartJob['action'], now: number): boolean {
  return source?.status === 'succeeded' && now - source.updatedAt < action.cacheTtlSeconds * 1000;
}

export function createRunCache(deps: {
  /** For the `cache` store, which this module owns. */
  db: Promise<GridsideDatabase>;
  /** The jobs the cache entries point at. */
  store: JobStore;
  engine: JobEngine;
  now?: () => number;
  newId?: () => string;
}): RunCache {
  const now = deps.now ?? Date.now;
  const newId = deps.newId ?? (() => crypto.randomUUID());
  /** Starts between "nothing in the cache" and "record written": a same-key request waits for them. */
  const starting = new Map<string, Promise<Job>>();
  /** Merged job id → the other tabs that joined it. */
  const joined = new Map<string, TabRef[]>();

  function join(job: StoredJob, tab: TabRef | null): Job {
    if (tab && !(job.tab && sameTab(job.tab, tab))) {
      const tabs = joined.get(job.id) ?? [];
      if (!tabs.some((t) => sameTab(t, tab))) tabs.push(tab);
      joined.set(job.id, tabs);
    }
    return toJob(job);
  }

  /** The asking row's own job, answered from `source`. */
  function cacheCopy(source: StoredJob, request: StartJob & { id?: string }): StoredJob {
    const { orchestratorId, actionId, actionName } = source;
    const { params, context, tab, batch, parentJobId } = request;
    const start = { id: request.id ?? newId(), orchestratorId, action: { id: actionId, name: actionName } };
    return jobRecord({ ...start, params, context, tab, batch, parentJobId }, now(), cachedFrom(source));
  }

  async function fromCache(source: StoredJob, request: StartJob & { id?: string }): Promise<Job> {
    const copy = cacheCopy(source, request);
    await deps.store.put(copy);
    return toJob(copy);
  }

  /** Remembers that `job` ran each key, in one transaction. */
  async function remember(ran: Array<{ key: string; job: Job }>): Promise<void> {
    // A start that failed outright is not worth remembering: the next request should try again.
    const worth = ran.filter(({ job }) => !(isFinished(job.status) && job.status !== 'succeeded'));
    if (worth.length === 0) return;
    const tx = (await deps.db).transaction('cache', 'readwrite');
    const at = now();
    await committed(
      tx,
      worth.map(({ key, job }) => tx.store.put({ key, jobId: job.id, at } satisfies CacheRecord)),
    );
  }

  /** Each request's row's jobs (`JobStore.forRow`), one read per console. */
  async function rowJobsOf(requests: StartJob[]): Promise<StoredJob[][]> {
    const byConsole = new Map<string, number[]>();
    for (const [i, { context }] of requests.entries()) {
      byConsole.set(context.console, [...(byConsole.get(context.console) ?? []), i]);
    }
    const found: StoredJob[][] = requests.map(() => []);
    await Promise.all(
      [...byConsole].map(async ([console, at]) => {
        const keys = at.map((i) => requests[i]?.context.key.value ?? '');
        const jobs = await deps.store.forRows(console, keys, now());
        for (const [k, i] of at.entries()) found[i] = jobs[k] ?? [];
      }),
    );
    return found;
  }

  async function startShared(
    key: string,
    request: StartJob & { refresh?: boolean; id?: string },
  ): Promise<Job> {
    const db = await deps.db;
    // Read beside the cache record: the engine's twin check needs them when the cache cannot answer.
    const rowJobs = deps.store.forRow(request.context.console, request.context.key.value, now());
    rowJobs.catch(() => undefined);
    const record = await db.get('cache', key);
    const source = record ? await deps.store.get(record.jobId) : undefined;
    if (source) {
      // Joining is limited to one console: a console page only ever sees its own rows' jobs. A batch row
      // has its job id promised already, so it waits for a cached answer instead of joining.
      const joinable = source.open === 1 && source.console === request.context.console;
      if (joinable && !request.id) return join(source, request.tab);
      if (answersNow(source, request.action, now()) && !request.refresh) return fromCache(source, request);
    }
    const job = await deps.engine.start({ ...request, rowJobs });
    await remember([{ key, job }]);
    return job;
  }

  async function start(request: StartJob & { refresh?: boolean; id?: string }): Promise<Job> {
    if (request.action.sideEffects) return deps.engine.start(request);
    const key = cacheKey(request.orchestratorId, request.action.id, request.params);
    const pending = starting.get(key);
    if (pending && request.id) await pending.catch(() => null);
    else if (pending) {
      const job = await pending.catch(() => null);
      const stored = job ? await deps.engine.get(job.id) : undefined;
      if (stored && stored.open === 1 && stored.console === request.context.console)
        return join(stored, request.tab);
    }
    const started = startShared(key, request);
    starting.set(key, started);
    try {
      return await started;
    } finally {
      if (starting.get(key) === started) starting.delete(key);
    }
  }

  async function startMany(requests: Array<StartJob & { id: string }>): Promise<Array<Job | Error>> {
    type Row = { at: number; request: StartJob & { id: string }; key: string | undefined };
    const results: Array<Job | Error> = [];
    const alone: Row[] = [];
    const together: Row[] = [];
    const claims = new Map<string, { started: Promise<Job>; settle(answer: Job | Error): void }>();
    for (const [at, request] of requests.entries()) {
      const { orchestratorId, action, params } = request;
      const key = action.sideEffects ? undefined : cacheKey(orchestratorId, action.id, params);
      // Values another request is starting, or repeated among these, take their turn through `start`.
      if (key !== undefined && (starting.has(key) || claims.has(key))) {
        alone.push({ at, request, key });
        continue;
      }
      together.push({ at, request, key });
      if (key === undefined) continue;
      // Claimed at once: a request for the same values meanwhile waits for this row, as for `start`.
      let settle: (answer: Job | Error) => void = () => undefined;
      const started = new Promise<Job>((resolve, reject) => {
        settle = (answer) => (answer instanceof Error ? reject(answer) : resolve(answer));
      });
      started.catch(() => undefined);
      claims.set(key, { started, settle });
      starting.set(key, started);
    }
    const aloneDone = Promise.all(
      alone.map(async ({ at, request }) => {
        results[at] = await start(request).catch(asError);
      }),
    );
    try {
      const group = together.map(({ request }) => request);
      const [sources, rowJobs] = await Promise.all([answers(group), rowJobsOf(group)]);
      const copies: Array<{ at: number; copy: StoredJob }> = [];
      const toRun: Array<Row & { rowJobs: StoredJob[] }> = [];
      for (const [k, row] of together.entries()) {
        const source = sources[k];
        if (source) copies.push({ at: row.at, copy: cacheCopy(source, row.request) });
        else toRun.push({ ...row, rowJobs: rowJobs[k] ?? [] });
      }
      const [, ran] = await Promise.all([
        copies.length > 0 ? deps.store.putAll(copies.map(({ copy }) => copy)) : undefined,
        deps.engine.startMany(
          toRun.map(({ request, rowJobs }) => ({ ...request, rowJobs: Promise.resolve(rowJobs) })),
        ),
      ]);
      for (const { at, copy } of copies) results[at] = toJob(copy);
      const remembered: Array<{ key: string; job: Job }> = [];
      for (const [r, { at, key }] of toRun.entries()) {
        const answer = ran[r] ?? asError(undefined);
        results[at] = answer;
        if (key !== undefined && !(answer instanceof Error)) remembered.push({ key, job: answer });
      }
      await remember(remembered);
    } catch (error) {
      for (const { at } of together) results[at] ??= asError(error);
    } finally {
      for (const { at, key } of together) {
        const claim = key === undefined ? undefined : claims.get(key);
        if (key === undefined || !claim) continue;
        claim.settle(results[at] ?? asError(undefined));
        if (starting.get(key) === claim.started) starting.delete(key);
      }
    }
    await aloneDone;
    return requests.map((_, at) => results[at] ?? asError(undefined));
  }

  async function answers(
    requests: Array<Pick<StartJob, 'orchestratorId' | 'action' | 'params'>>,
  ): Promise<Array<StoredJob | undefined>> {
    const keys = requests.map(({ orchestratorId, action, params }) =>
      action.sideEffects ? undefined : cacheKey(orchestratorId, action.id, params),
    );
    const distinct = [...new Set(keys.filter((key) => key !== undefined))];
    if (distinct.length === 0) return requests.map(() => undefined);
    const tx = (await deps.db).transaction('cache');
    const records = await Promise.all(distinct.map((key) => tx.store.get(key)));
    const sources = await deps.store.getMany(records.flatMap((record) => (record ? [record.jobId] : [])));
    const byKey = new Map(records.flatMap((record) => (record ? [[record.key, record.jobId] as const] : [])));
    const at = now();
    return requests.map(({ action }, i) => {
      const jobId = byKey.get(keys[i] ?? '');
      const source = jobId === undefined ? undefined : sources.get(jobId);
      return answersNow(source, action, at) ? source : undefined;
    });
  }

  return {
    answers,
    start,
    startMany,

    async isFresh(request) {
      const [source] = await answers([request]);
      return source !== undefined;
    },

    fanOut(push) {
      return async (tab, message) => {
        await push(tab, message);
        if (message.type !== 'job.update') return;
        const others = joined.get(message.job.id);
        if (!others) return;
        await Promise.all(others.filter((t) => !sameTab(t, tab)).map((t) => push(t, message)));
        if (isFinished(message.job.status)) {
          joined.delete(message.job.id);
        }
      };
    },
  };
}

const sameTab = (a: TabRef, b: TabRef) => a.tabId === b.tabId && a.frameId === b.frameId;
