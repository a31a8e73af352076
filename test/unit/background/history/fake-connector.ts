import type { Connector, StartRun } from '../../../../src/background/connectors/connector.ts';
import type { Run } from '../../../../src/core/api.ts';
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
}

export function fakeConnector(options: { finishAtOnce?: boolean } = {}): FakeConnector {
  const runs = new Map<string, Run>();
  const waiters = new Map<string, Array<(run: Run) => void>>();
  let next = 0;
  const connector: FakeConnector = {
    starts: [],
    polls: 0,
    failNext: [],
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
    async cancelRun() {},
    async testConnection() {
      return {};
    },
    finish(runId, stdout = `done ${runId}`) {
      const run = runs.get(runId);
      if (!run) throw new Error(`no run ${runId}`);
      const finished: Run = {
        ...run,
        status: 'succeeded',
        output: { stdout, stderr: '', exitCode: 0, truncated: false },
      };
      runs.set(runId, finished);
      for (const resolve of waiters.get(runId) ?? []) resolve(finished);
      waiters.delete(runId);
    },
  };
  return connector;
}
