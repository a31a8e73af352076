import { type Connector, ConnectorError } from '../connectors/connector.ts';

/**
 * HTTP 429 from an orchestrator pauses that orchestrator, not just the request that got it (docs/architecture.md §7):
 * until its Retry-After (or 30 s) passes, new runs and polls of every job on it wait, so Gridside does not
 * keep knocking. The panel is told once per 429, with the time the requests resume.
 */

export const DEFAULT_PAUSE_MS = 30_000;
/** A start answered 429 was not accepted, so trying again is safe; this many times, then give up. */
const START_ATTEMPTS = 3;

export interface OrchestratorPause {
  /** Resolves once the orchestrator is no longer paused (at once when it is not), or when `signal` aborts. */
  wait(orchestratorId: string, signal?: AbortSignal): Promise<void>;
  /** Pauses it for `ms` from now (never shortens a longer pause); returns when it resumes. */
  pause(orchestratorId: string, ms: number): number;
  pausedUntil(orchestratorId: string): number | null;
  /** The connector, made to wait out pauses and to pause on 429. */
  wrap(orchestratorId: string, connector: Connector): Connector;
}

export function slowDownMessage(until: number): string {
  const at = new Date(until).toLocaleTimeString('en-GB', { hour12: false });
  return `The orchestrator asked Gridside to slow down; retrying at ${at}.`;
}

export function createOrchestratorPause(deps: { now?: () => number } = {}): OrchestratorPause {
  const now = deps.now ?? Date.now;
  const until = new Map<string, number>();

  function pausedUntil(orchestratorId: string): number | null {
    const end = until.get(orchestratorId);
    if (end === undefined) return null;
    if (end <= now()) {
      until.delete(orchestratorId);
      return null;
    }
    return end;
  }

  async function wait(orchestratorId: string, signal?: AbortSignal): Promise<void> {
    for (let end = pausedUntil(orchestratorId); end !== null; end = pausedUntil(orchestratorId)) {
      if (signal?.aborted) return;
      await sleep(end - now(), signal);
    }
  }

  function pause(orchestratorId: string, ms: number): number {
    const end = Math.max(now() + Math.max(ms, 0), until.get(orchestratorId) ?? 0);
    until.set(orchestratorId, end);
    return end;
  }

  /** Calls `call` once the pause is over; a 429 pauses the orchestrator and says until when. */
  async function guarded<T>(
    orchestratorId: string,
    call: () => Promise<T>,
    signal?: AbortSignal,
  ): Promise<T> {
    await wait(orchestratorId, signal);
    try {
      return await call();
    } catch (error) {
      if (!(error instanceof ConnectorError) || error.code !== 'rate_limited') throw error;
      const end = pause(orchestratorId, error.retryAfterMs ?? DEFAULT_PAUSE_MS);
      throw new ConnectorError('rate_limited', slowDownMessage(end), undefined, end - now());
    }
  }

  return {
    wait,
    pause,
    pausedUntil,
    wrap(orchestratorId, connector) {
      // Explicit delegation: a connector may keep its methods on a prototype, which a spread would drop.
      const wrapped: Connector = {
        testConnection: (signal) => connector.testConnection(signal),
        listActions: (context, signal) =>
          guarded(orchestratorId, () => connector.listActions(context, signal), signal),
        async startRun(request, signal) {
          for (let attempt = 1; ; attempt++) {
            try {
              return await guarded(orchestratorId, () => connector.startRun(request, signal), signal);
            } catch (error) {
              const again = error instanceof ConnectorError && error.code === 'rate_limited';
              if (!again || attempt >= START_ATTEMPTS || signal?.aborted) throw error;
            }
          }
        },
        getRun: (runId, signal) => guarded(orchestratorId, () => connector.getRun(runId, signal), signal),
        cancelRun: (runId, signal) =>
          guarded(orchestratorId, () => connector.cancelRun(runId, signal), signal),
      };
      const startRuns = connector.startRuns?.bind(connector);
      if (startRuns) {
        wrapped.startRuns = async (requests, signal) => {
          const results = await guarded(orchestratorId, () => startRuns(requests, signal), signal);
          // A start the rate limit refused alone goes again on its own once the pause is over, as a
          // single start does (`startRun` above).
          return Promise.all(
            results.map(async (result, i) => {
              if (!(result instanceof ConnectorError) || result.code !== 'rate_limited') return result;
              pause(orchestratorId, result.retryAfterMs ?? DEFAULT_PAUSE_MS);
              return wrapped.startRun(requests[i]!, signal).catch((error: unknown) => {
                if (error instanceof ConnectorError) return error;
                throw error;
              });
            }),
          );
        };
      }
      const waitForRun = connector.waitForRun?.bind(connector);
      if (waitForRun) {
        // `seen` too: without it the orchestrator answers only when the run ends or the wait runs out,
        // so an approval would reach the requester's panel up to a whole wait late.
        wrapped.waitForRun = (runId, seconds, signal, seen) =>
          guarded(orchestratorId, () => waitForRun(runId, seconds, signal, seen), signal);
      }
      const waitForRuns = connector.waitForRuns?.bind(connector);
      if (waitForRuns) {
        wrapped.waitForRuns = (runs, seconds, signal) =>
          guarded(orchestratorId, () => waitForRuns(runs, seconds, signal), signal);
      }
      // Asked of the connector each time: it learns whether its engine keeps start keys as it answers.
      const startsOnceByKey = connector.startsOnceByKey?.bind(connector);
      if (startsOnceByKey) wrapped.startsOnceByKey = startsOnceByKey;
      const listPending = connector.listPendingApprovals?.bind(connector);
      if (listPending) wrapped.listPendingApprovals = listPending;
      const decide = connector.decideApproval?.bind(connector);
      if (decide) wrapped.decideApproval = decide;
      return wrapped;
    },
  };
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, Math.max(ms, 0));
    signal?.addEventListener('abort', done, { once: true });
    function done() {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    }
  });
}
