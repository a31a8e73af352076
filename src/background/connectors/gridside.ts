import { z } from 'zod';
import {
  API_PREFIX,
  CatalogSchema,
  HealthSchema,
  type Run,
  RunListSchema,
  RunSchema,
  runSignature,
  type StartRunsAnswer,
  StartRunsAnswerSchema,
} from '../../core/api.ts';
import { plainHttpProblem } from '../../core/orchestrator-url.ts';
import { TriggeredRunsSchema } from '../../core/triggers-api.ts';
import { type Connector, type ConnectorDeps, ConnectorError, type StartRun } from './connector.ts';
import { engineFailure, engineRequest, parseEngineBody } from './engine-http.ts';
import { decideApproval, listPendingApprovals } from './gridside-approvals.ts';
import { gridsideEngine } from './gridside-words.ts';

/**
 * Connector for Gridside's own orchestrator: API v1 exactly as src/core/api.ts, Bearer token, every
 * response parsed with the core schemas. Requests go through the engines' HTTP client (engine-http.ts);
 * the failures read in the orchestrator's own words (gridside-words.ts).
 */

/** Per-request time limit; long-polls add their wait on top. */
export const REQUEST_TIMEOUT_MS = 15_000;
/**
 * How long a start may wait for its run's end when the job engine allows it (docs/architecture.md): long
 * enough for a quick lookup, short enough that a slow plugin shows "Running" soon.
 */
export const START_WAIT_SECONDS = 1;

/**
 * Orchestrators (by URL) that answered `POST /runs/many` with 404: an older version. Their starts go one
 * request each for the rest of the worker's life, rather than asking again for every group of rows.
 */
const withoutStartMany = new Set<string>();
/**
 * Orchestrators (by URL) that said they keep a start's idempotency key (their catalog says `startKeys`,
 * or a run came back with the key it was sent with): a start sent again there with the same key cannot
 * start a second run. An older orchestrator ignores the key, so until one says so no start is sent twice.
 */
const keepingStartKeys = new Set<string>();

export function createGridsideConnector(deps: ConnectorDeps): Connector {
  const { entry, secret } = deps;
  const base = new URL(entry.url);
  const where = base.origin + base.pathname.replace(/\/+$/, '');
  const engine = gridsideEngine(where);

  async function call<S extends z.ZodType>(
    method: 'GET' | 'POST',
    path: string,
    schema: S,
    options: { body?: unknown; signal?: AbortSignal; timeoutMs?: number } = {},
  ): Promise<z.infer<S>> {
    const doing = `${method} ${path}`;
    const insecure = plainHttpProblem(entry.url);
    if (insecure)
      throw new ConnectorError('refused', insecure, 'Change the orchestrator URL in Gridside options.');
    const { json } = await engineRequest({
      engine,
      doing,
      deps,
      path: API_PREFIX + path,
      method,
      body: options.body,
      signal: options.signal,
      timeoutMs: options.timeoutMs ?? REQUEST_TIMEOUT_MS,
    });
    return parseEngineBody({ engine, doing }, schema, json, 'an answer');
  }

  const runPath = (runId: string) => `/runs/${encodeURIComponent(runId)}`;

  /** A start as `POST /runs` and each start of `POST /runs/many` take it. */
  const startBody = ({ action, params, context, key }: StartRun) => ({
    actionId: action.id,
    params,
    context,
    ...(key ? { idempotencyKey: key } : {}),
  });

  /** Notes that the orchestrator kept the key of `request` when its run came back with it. */
  function noteKeyKept(request: StartRun, run: Run): Run {
    if (request.key && run.idempotencyKey === request.key) keepingStartKeys.add(where);
    return run;
  }

  async function startRun(request: StartRun, signal?: AbortSignal): Promise<Run> {
    const wait = request.answerAtEnd ? START_WAIT_SECONDS : 0;
    const run = await call('POST', '/runs', RunSchema, {
      body: { ...startBody(request), ...(wait > 0 ? { wait } : {}) },
      signal,
      timeoutMs: REQUEST_TIMEOUT_MS + wait * 1000,
    });
    return noteKeyKept(request, run);
  }

  return {
    async listActions(_context, signal) {
      const catalog = await call('GET', '/actions', CatalogSchema, { signal });
      // Said before any start: a worker that has just woken knows before its first start is lost.
      if (catalog.startKeys) keepingStartKeys.add(where);
      return catalog.actions;
    },
    startRun,
    startsOnceByKey: () => keepingStartKeys.has(where),
    async startRuns(requests, signal) {
      const single = () => Promise.all(requests.map((r) => startRun(r, signal).catch(asStartError)));
      if (withoutStartMany.has(where)) return single();
      const runs = requests.map(startBody);
      let answer: StartRunsAnswer;
      try {
        answer = await call('POST', '/runs/many', StartRunsAnswerSchema, { body: { runs }, signal });
      } catch (error) {
        // No such route: nothing was started, so each start goes on its own.
        if (!(error instanceof ConnectorError) || error.code !== 'not_found') throw error;
        withoutStartMany.add(where);
        return single();
      }
      if (answer.results.length !== requests.length) {
        throw new ConnectorError(
          'bad_response',
          `The orchestrator at ${where} answered ${answer.results.length} of ${requests.length} starts.`,
          'The orchestrator may run a different API version than this extension.',
        );
      }
      // Each refusal worded as the same refusal of POST /runs is.
      return answer.results.map((result, i) =>
        'run' in result
          ? noteKeyKept(requests[i]!, result.run)
          : engineFailure(
              { engine, doing: 'POST /runs', deps },
              {
                kind: 'http',
                status: result.status,
                said: engine.errorWords?.(JSON.stringify({ error: result.error })),
                retryAfterMs: undefined,
              },
            ),
      );
    },
    getRun(runId, signal) {
      return call('GET', runPath(runId), RunSchema, { signal });
    },
    waitForRun(runId, waitSeconds, signal, seen): Promise<Run> {
      const wait = Math.max(1, Math.min(60, Math.round(waitSeconds)));
      // With `seen`, the orchestrator answers on the run's next change, not only at its end, so the panel
      // shows queued → running and each approval as they happen.
      const query = new URLSearchParams({
        wait: String(wait),
        ...(seen ? { seen: runSignature(seen) } : {}),
      });
      return call('GET', `${runPath(runId)}?${query}`, RunSchema, {
        signal,
        timeoutMs: REQUEST_TIMEOUT_MS + wait * 1000,
      });
    },
    async waitForRuns(runs, waitSeconds, signal): Promise<Run[]> {
      const wait = Math.max(1, Math.min(60, Math.round(waitSeconds)));
      const body = {
        wait,
        runs: runs.map(({ runId, seen }) => ({ id: runId, ...(seen ? { seen: runSignature(seen) } : {}) })),
      };
      const answer = await call('POST', '/runs/wait', RunListSchema, {
        body,
        signal,
        timeoutMs: REQUEST_TIMEOUT_MS + wait * 1000,
      });
      return answer.runs;
    },
    async cancelRun(runId, signal) {
      // The answer's body does not matter: the job engine reads the run again afterwards.
      await call('POST', `${runPath(runId)}/cancel`, z.unknown(), { signal });
    },
    listPendingApprovals: (signal) => listPendingApprovals(call, signal),
    triggeredRuns: (rows, signal) =>
      call('POST', '/triggered-runs', TriggeredRunsSchema, { body: { rows }, signal }),
    decideApproval: (runId, decision, comment, signal) =>
      decideApproval(call, runId, decision, comment, signal),
    async testConnection(signal) {
      const health = await call('GET', '/health', HealthSchema, { signal });
      if (!health.user) {
        throw secret
          ? new ConnectorError(
              'unauthorized',
              `The orchestrator at ${where} did not accept the token.`,
              'Set a valid token in Gridside options.',
            )
          : new ConnectorError(
              'unauthorized',
              `The orchestrator at ${where} is reachable, but no token is set.`,
              'Set a token in Gridside options.',
            );
      }
      // What the orchestrator is, as it tells token holders.
      const about = [
        health.version && `Orchestrator ${health.version}`,
        health.actions !== undefined && `${health.actions} actions`,
      ].filter(Boolean);
      return {
        user: health.user.name,
        detail: `Roles: ${health.user.roles.join(', ') || 'none'}.${about.length ? ` ${about.join(', ')}.` : ''}`,
      };
    },
  };
}

/** A start that failed alone, as `startRuns` reports it; anything but a connector's error is a bug. */
function asStartError(error: unknown): ConnectorError {
  if (error instanceof ConnectorError) return error;
  throw error;
}
