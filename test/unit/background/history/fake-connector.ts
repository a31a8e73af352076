import type { Connector, StartRun } from '../../../../src/background/connectors/connector.ts';
import { type Run, runSignature } from '../../../../src/core/api.ts';
import { sampleRun } from '../fake-orchestrator.ts';

/**
 * An in-memory connector whose runs finish when the test says so (`finish`), counting every call: enough
 * to see whether Gridside asked the orchestrator again. The HTTP path has its own tests.
 */
export interface FakeConnector extends Connector {
  starts: StartRun[];
  polls: number;
  finish(runId: string, stdout?: string): void;
  /** Makes the next calls throw this instead of answering. */
  failNext: Array<() => Error>;
  /** Runs canceled through `cancelRun`. */
  cancels: string[];
  /** With `manyRunsWait`: polls on many runs asked, how many were held at once at most, and now. */
  manyPolls: { asked: number; mostHeld: number; held: number; runsNamed: number[] };
  /** With `manyStarts`: how many starts each `startRuns` request carried. */
  manyStarts: number[];
}

export function fakeConnector(
  options: { finishAtOnce?: boolean; manyRunsWait?: boolean; manyStarts?: boolean } = {},
): FakeConnector {
  const runs = new Map<string, Run>();
  const waiters = new Map<string, Array<(run: Run) => void>>();
  /** Many-runs polls held: each wakes on any change. */
  const manyWaiters = new Set<() => void>();
  let next = 0;
  const change = (run: Run) => {
    runs.set(run.id, run);
    for (const resolve of waiters.get(run.id) ?? []) resolve(run);
    waiters.delete(run.id);
    for (const wake of [...manyWaiters]) wake();
  };
  const connector: FakeConnector = {
    starts: [],
    polls: 0,
    failNext: [],
    cancels: [],
    manyPolls: { asked: 0, mostHeld: 0, held: 0, runsNamed: [] },
    manyStarts: [],
    async listActions() {
      return [];
    },
    async startRun(request) {
      const failure = connector.failNext.shift();
      if (failure) throw failure();
      connector.starts.push(request);
      const id = `run-${++next}`;
      const run = sampleRun({ id, actionId: request.action.id, params: request.params, status: 'running' });
      runs.set(id, run);
      if (options.finishAtOnce) connector.finish(id);
      return runs.get(id) as Run;
    },
    async getRun(runId) {
      connector.polls++;
      const failure = connector.failNext.shift();
      if (failure) throw failure();
      const run = runs.get(runId);
      if (!run) throw new Error(`no run ${runId}`);
      if (run.status !== 'running') return run;
      // Behaves like a long-poll: answers when the run changes.
      return new Promise((resolve) => waiters.set(runId, [...(waiters.get(runId) ?? []), resolve]));
    },
    async cancelRun(runId) {
      connector.cancels.push(runId);
      const run = runs.get(runId);
      if (run && run.status === 'running') change({ ...run, status: 'canceled' });
    },
    async testConnection() {
      return {};
    },
    finish(runId, stdout = `done ${runId}`) {
      const run = runs.get(runId);
      if (!run) throw new Error(`no run ${runId}`);
      change({ ...run, status: 'succeeded', output: { stdout, stderr: '', exitCode: 0, truncated: false } });
    },
  };
  if (options.manyRunsWait) {
    // Like the orchestrator's POST /runs/wait: the runs that differ from what was seen, once any does.
    connector.waitForRuns = async (named, _seconds, signal) => {
      const stats = connector.manyPolls;
      stats.asked++;
      stats.runsNamed.push(named.length);
      const changed = () =>
        named.flatMap(({ runId, seen }) => {
          const run = runs.get(runId);
          return run && (!seen || runSignature(seen) !== runSignature(run)) ? [run] : [];
        });
      stats.held++;
      stats.mostHeld = Math.max(stats.mostHeld, stats.held);
      try {
        while (changed().length === 0) {
          await new Promise<void>((resolve, reject) => {
            const wake = () => {
              manyWaiters.delete(wake);
              signal?.removeEventListener('abort', aborted);
              resolve();
            };
            const aborted = () => {
              manyWaiters.delete(wake);
              reject(new DOMException('The poll was aborted', 'AbortError'));
            };
            if (signal?.aborted) return aborted();
            manyWaiters.add(wake);
            signal?.addEventListener('abort', aborted, { once: true });
          });
        }
        return changed();
      } finally {
        stats.held--;
      }
    };
  }
  if (options.manyStarts) {
    connector.startRuns = async (requests) => {
      connector.manyStarts.push(requests.length);
      return Promise.all(requests.map((request) => connector.startRun(request)));
    };
  }
  return connector;
}
