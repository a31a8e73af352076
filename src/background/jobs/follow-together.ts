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
  /** Saves the job with the run as the orchestrator answered it, when anything changed. */
  seeRun(job: StoredJob, run: Run): Promise<void>;
  /** Records a passing problem on the job (it stays open); `null` clears it once the poll answers again. */
  sayProblem(job: StoredJob, problem: PanelError | null): Promise<void>;
  /** Whether a problem is worth retrying (the runs are most likely still going). */
  transient(problem: PanelError): boolean;
  problemOf(error: unknown): PanelError;
  sleep(ms: number): Promise<void>;
  lifetime: AbortSignal;
  longPollSeconds: number;
  backoff: Backoff;
  now: () => number;
}

interface Group {
  connector: Connector;
  members: Map<string, (outcome: FollowedOutcome) => void>;
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
  }

  /** The group's rows still worth polling; the others leave it. */
  async function watched(group: Group): Promise<StoredJob[]> {
    const jobs = await Promise.all(
      [...group.members.keys()].map(async (id) => [id, await deps.load(id)] as const),
    );
    const open: StoredJob[] = [];
    for (const [id, job] of jobs) {
      if (!job || job.open === 0 || job.queued) release(group, id, 'done');
      else if (!job.runId) release(group, id, 'alone');
      else open.push(job);
    }
    return open;
  }

  function pollOnce(group: Group, jobs: StoredJob[], poll: AbortController): Promise<Run[]> {
    const { connector } = group;
    if (!connector.waitForRuns) return Promise.reject(new Error('the connector cannot wait on many runs'));
    const seen = jobs.map((job) => ({ runId: job.runId as string, seen: job.run }));
    const signal = AbortSignal.any([deps.lifetime, poll.signal]);
    return connector.waitForRuns(seen, deps.longPollSeconds, signal);
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
        for (const job of jobs)
          if (job.error?.message !== problem.message) await deps.sayProblem(job, problem);
        const retryAfter = error instanceof UserError ? error.retryAfterMs : undefined;
        await deps.sleep(Math.max(retryAfter ?? 0, delay));
        delay = nextDelay(delay, deps.backoff);
        continue;
      } finally {
        group.poll = null;
      }
      if (deps.lifetime.aborted) break;
      delay = deps.backoff.firstMs;
      const byRun = new Map(answered.map((r) => [r.id, r]));
      for (const job of jobs) {
        const changed = byRun.get(job.runId as string);
        if (changed) await deps.seeRun(job, changed);
        else if (job.error) await deps.sayProblem(job, null);
        if (changed && isFinished(changed.status)) release(group, job.id, 'done');
      }
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
          group = { connector, members: new Map(), poll: null, joins: 0 };
          groups.set(key, group);
          group.members.set(jobId, resolve);
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
        group.joins++;
        group.poll?.abort();
      });
    },
  };
}
