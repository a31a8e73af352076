import type { Run } from '../../core/api.ts';
import type { PanelError } from '../../core/messages.ts';
import { isFinished } from '../../core/run-status.ts';
import type { Connector } from '../connectors/connector.ts';
import { UserError } from '../user-error.ts';
import type { StoredJob } from './job-record.ts';
import { type Backoff, nextDelay } from './poll-schedule.ts';

/**
 * A batch's rows followed with one long poll (`Connector.waitForRuns`) instead of one each: a browser
 * keeps only a handful of connections to one orchestrator, so twenty rows each holding a poll would queue
 * behind each other, and every row's end would wait for a free connection before the panel heard of it.
 *
 * The job engine hands a batch row here once it has a run; the row comes back `done` when its run ended
 * (or the job closed), or `alone` when the shared poll cannot serve it (an orchestrator without the route,
 * an answer Gridside does not understand, a run it does not know): the engine then follows it on its own,
 * which judges that run by itself. A row joining while the poll is held restarts the poll with it, so its
 * first change is not missed.
 */

export type FollowedOutcome = 'done' | 'alone';

export interface FollowTogetherDeps {
  load(jobId: string): Promise<StoredJob | undefined>;
  /**
   * Saves each job with its run as the orchestrator answered it, when anything changed, all in one go;
   * resolves with the jobs in the same order.
   */
  seeRuns(seen: ReadonlyArray<{ job: StoredJob; run: Run }>): Promise<StoredJob[]>;
  /** Records a passing problem on the job (it stays open); `null` clears it once the poll answers again. */
  sayProblem(job: StoredJob, problem: PanelError | null): Promise<StoredJob>;
  /** Whether a problem is worth retrying (the runs are most likely still going). */
  transient(problem: PanelError): boolean;
  problemOf(error: unknown): PanelError;
  sleep(ms: number): Promise<void>;
  lifetime: AbortSignal;
  longPollSeconds: number;
  backoff: Backoff;
  now: () => number;
}

/**
 * Rows joining within this long of each other restart the held poll once: a batch's rows arrive one after
 * another as they are submitted, over a few hundred milliseconds, and each restart is one more request. A
 * row's change meanwhile is not lost: the next poll names it with the run as it was seen, and the
 * orchestrator answers at once when it differs; the panel draws the batch's list no more often than this.
 */
const JOIN_GATHER_MS = 100;

interface Group {
  connector: Connector;
  members: Map<string, (outcome: FollowedOutcome) => void>;
  /** Each row as last read or saved; `null` until read (just joined, or its run changed). */
  known: Map<string, StoredJob | null>;
  /** Set while joined rows wait for the held poll to be asked again. */
  gathering: ReturnType<typeof setTimeout> | undefined;
  /** The poll being held, aborted when a row joins. */
  poll: AbortController | null;
  /** Rows joined so far: one joining while the rows are read is not missed either. */
  joins: number;
}

export function createFollowTogether(deps: FollowTogetherDeps) {
  const groups = new Map<string, Group>();

  function release(group: Group, jobId: string, outcome: FollowedOutcome): void {
    group.members.get(jobId)?.(outcome);
    group.members.delete(jobId);
    group.known.delete(jobId);
  }

  /**
   * The group's rows still worth polling; the others leave it. Only rows not read yet are read: reading
   * every row on every answer would cost a batch of 200 rows 200 reads per change.
   */
  async function watched(group: Group): Promise<StoredJob[]> {
    const unread = [...group.known].filter(([, job]) => job === null).map(([id]) => id);
    const read = await Promise.all(unread.map(async (id) => [id, await deps.load(id)] as const));
    for (const [id, job] of read) {
      if (!group.members.has(id)) continue;
      if (!job || job.open === 0 || job.queued) release(group, id, 'done');
      else if (!job.runId) release(group, id, 'alone');
      else group.known.set(id, job);
    }
    return [...group.known.values()].filter((job): job is StoredJob => job !== null);
  }

  function pollOnce(group: Group, jobs: StoredJob[], poll: AbortController): Promise<Run[]> {
    const { connector } = group;
    if (!connector.waitForRuns) return Promise.reject(new Error('the connector cannot wait on many runs'));
    const seen = jobs.map((job) => ({ runId: job.runId as string, seen: job.run }));
    const signal = AbortSignal.any([deps.lifetime, poll.signal]);
    return connector.waitForRuns(seen, deps.longPollSeconds, signal);
  }

  /**
   * Takes in one answer: each row's run as it changed, or nothing new (a passing problem is cleared). The
   * changed rows are saved together (one transaction, one message per tab).
   */
  async function see(group: Group, jobs: StoredJob[], byRun: Map<string, Run>): Promise<void> {
    const news: { job: StoredJob; run: Run }[] = [];
    // Side by side: one row's storage work does not hold back the next row's.
    await Promise.all(
      jobs.map(async (job) => {
        if (!group.members.has(job.id)) return;
        const changed = byRun.get(job.runId as string);
        if (!changed) {
          if (job.error) group.known.set(job.id, await deps.sayProblem(job, null));
          return;
        }
        // Read again before saving: the row may have changed meanwhile here too (a cancel).
        const current = await deps.load(job.id);
        if (!current || current.open === 0) return release(group, job.id, 'done');
        news.push({ job: current, run: changed });
      }),
    );
    const saved = await deps.seeRuns(news);
    for (const [i, { run }] of news.entries()) {
      const job = saved[i];
      if (!job) continue;
      group.known.set(job.id, job);
      if (isFinished(run.status)) release(group, job.id, 'done');
    }
  }

  async function run(key: string, group: Group): Promise<void> {
    let delay = deps.backoff.firstMs;
    while (group.members.size > 0 && !deps.lifetime.aborted) {
      const joinsBefore = group.joins;
      const jobs = await watched(group);
      if (jobs.length === 0 || group.joins !== joinsBefore) continue;
      const askedAt = deps.now();
      const poll = new AbortController();
      group.poll = poll;
      // This poll names every row joined so far: nothing left to gather for.
      clearTimeout(group.gathering);
      group.gathering = undefined;
      let answered: Run[];
      try {
        answered = await pollOnce(group, jobs, poll);
      } catch (error) {
        if (deps.lifetime.aborted) break;
        // A row joined while the poll was held: ask again at once, with it.
        if (poll.signal.aborted) continue;
        const problem = deps.problemOf(error);
        if (!deps.transient(problem)) {
          for (const id of [...group.members.keys()]) release(group, id, 'alone');
          break;
        }
        for (const job of jobs) {
          if (job.error?.message === problem.message) continue;
          group.known.set(job.id, await deps.sayProblem(job, problem));
        }
        const retryAfter = error instanceof UserError ? error.retryAfterMs : undefined;
        await deps.sleep(Math.max(retryAfter ?? 0, delay));
        delay = nextDelay(delay, deps.backoff);
        continue;
      } finally {
        group.poll = null;
      }
      if (deps.lifetime.aborted) break;
      delay = deps.backoff.firstMs;
      await see(group, jobs, new Map(answered.map((r) => [r.id, r])));
      // An orchestrator that answered at once with nothing new did not hold the poll: do not ask at once.
      const held = deps.now() - askedAt >= (deps.longPollSeconds * 1000) / 2;
      if (answered.length === 0 && !held) {
        await deps.sleep(delay);
        delay = nextDelay(delay, deps.backoff);
      }
    }
    for (const id of [...group.members.keys()]) release(group, id, 'done');
    if (groups.get(key) === group) groups.delete(key);
  }

  return {
    /** Follows `jobId` with the other rows under `key` (orchestrator and batch) until it ends. */
    follow(key: string, jobId: string, connector: Connector): Promise<FollowedOutcome> {
      return new Promise((resolve) => {
        let group = groups.get(key);
        if (!group) {
          group = {
            connector,
            members: new Map(),
            known: new Map(),
            gathering: undefined,
            poll: null,
            joins: 0,
          };
          groups.set(key, group);
          group.members.set(jobId, resolve);
          group.known.set(jobId, null);
          const started = group;
          void run(key, group).catch((error: unknown) => {
            // Saving failed under the poll: each row goes back to its own poll rather than hang.
            console.error('Gridside batch poll failed', error);
            for (const id of [...started.members.keys()]) release(started, id, 'alone');
            if (groups.get(key) === started) groups.delete(key);
          });
          return;
        }
        group.members.set(jobId, resolve);
        group.known.set(jobId, null);
        group.joins++;
        if (group.poll && !group.gathering) {
          const joined = group;
          joined.gathering = setTimeout(() => {
            joined.gathering = undefined;
            joined.poll?.abort();
          }, JOIN_GATHER_MS);
        }
      });
    },
  };
}
