import type { ContentPush, Job } from '../../core/messages.ts';
import { isFinished } from '../../core/run-status.ts';
import { type CacheRecord, committed, type GridsideDatabase } from '../db.ts';
import type { JobEngine, StartJob } from './job-engine.ts';
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

  async function fromCache(source: StoredJob, request: StartJob & { id?: string }): Promise<Job> {
    const { orchestratorId, actionId, actionName } = source;
    const { params, context, tab, batch, parentJobId } = request;
    const start = { id: request.id ?? newId(), orchestratorId, action: { id: actionId, name: actionName } };
    const copy = jobRecord({ ...start, params, context, tab, batch, parentJobId }, now(), cachedFrom(source));
    await deps.store.put(copy);
    return toJob(copy);
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
    // A start that failed outright is not worth remembering: the next request should try again.
    const failedOutright = isFinished(job.status) && job.status !== 'succeeded';
    if (!failedOutright) {
      const tx = db.transaction('cache', 'readwrite');
      await committed(tx, [tx.store.put({ key, jobId: job.id, at: now() } satisfies CacheRecord)]);
    }
    return job;
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

    async isFresh(request) {
      const [source] = await answers([request]);
      return source !== undefined;
    },

    async start(request) {
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
