import { z } from 'zod';
import {
  API_PREFIX,
  ApiErrorSchema,
  CatalogSchema,
  HealthSchema,
  type Run,
  RunSchema,
  runSignature,
} from '../../core/api.ts';
import { type Connector, type ConnectorDeps, ConnectorError } from './connector.ts';
import { decideApproval, listPendingApprovals } from './gridside-approvals.ts';

/**
 * Connector for Gridside's own orchestrator: API v1 exactly as src/core/api.ts, Bearer token, every
 * response parsed with the core schemas. Errors become `ConnectorError`s in plain words with a hint.
 */

/** Per-request time limit; long-polls add their wait on top. */
export const REQUEST_TIMEOUT_MS = 15_000;

export function createGridsideConnector(deps: ConnectorDeps): Connector {
  const { entry, secret } = deps;
  const base = new URL(entry.url);
  const basePath = base.pathname.replace(/\/+$/, '');
  const where = base.origin + basePath;

  async function call<S extends z.ZodType>(
    method: 'GET' | 'POST',
    path: string,
    schema: S,
    options: { body?: unknown; signal?: AbortSignal; timeoutMs?: number } = {},
  ): Promise<z.infer<S>> {
    const url = new URL(base.origin);
    const [pathname, query] = path.split('?');
    url.pathname = basePath + API_PREFIX + pathname;
    if (query) url.search = query;
    const headers: Record<string, string> = { accept: 'application/json' };
    if (secret) headers.authorization = `Bearer ${secret}`;
    if (options.body !== undefined) headers['content-type'] = 'application/json';
    const timeout = AbortSignal.timeout(options.timeoutMs ?? REQUEST_TIMEOUT_MS);
    const signal = options.signal ? AbortSignal.any([options.signal, timeout]) : timeout;

    let response: Response;
    try {
      response = await deps.fetch(url.href, {
        method,
        headers,
        body: options.body === undefined ? undefined : JSON.stringify(options.body),
        signal,
      });
    } catch (error) {
      throw networkError(error, where, timeout.aborted);
    }
    let text: string;
    try {
      text = await response.text();
    } catch (error) {
      throw networkError(error, where, timeout.aborted);
    }
    if (!response.ok) throw httpError(response, text, where);
    let json: unknown;
    try {
      json = text === '' ? undefined : JSON.parse(text);
    } catch {
      throw new ConnectorError(
        'bad_response',
        `The orchestrator at ${where} answered with something that is not JSON.`,
        'Check that the URL points at a Gridside orchestrator, not a web page or proxy.',
      );
    }
    const parsed = schema.safeParse(json);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      const field = issue?.path.length ? issue.path.join('.') : '(the whole response)';
      throw new ConnectorError(
        'bad_response',
        `The orchestrator's answer did not have the expected shape: field ${field}: ${issue?.message ?? 'invalid'}.`,
        'The orchestrator may run a different API version than this extension.',
      );
    }
    return parsed.data;
  }

  const runPath = (runId: string) => `/runs/${encodeURIComponent(runId)}`;

  return {
    async listActions(_context, signal) {
      const catalog = await call('GET', '/actions', CatalogSchema, { signal });
      return catalog.actions;
    },
    startRun({ action, params, context }, signal) {
      return call('POST', '/runs', RunSchema, {
        body: { actionId: action.id, params, context },
        signal,
      });
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
    async cancelRun(runId, signal) {
      // The answer's body does not matter: the job engine reads the run again afterwards.
      await call('POST', `${runPath(runId)}/cancel`, z.unknown(), { signal });
    },
    listPendingApprovals: (signal) => listPendingApprovals(call, signal),
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
      return {
        user: health.user.name,
        detail: `Roles: ${health.user.roles.join(', ') || 'none'}. Orchestrator ${health.version}, ${health.actions} actions.`,
      };
    },
  };
}

function networkError(error: unknown, where: string, timedOut: boolean): ConnectorError {
  if (error instanceof ConnectorError) return error;
  const name = error instanceof Error ? error.name : '';
  if (timedOut || name === 'TimeoutError') {
    return new ConnectorError(
      'timeout',
      `The orchestrator at ${where} did not answer in time.`,
      'It may be overloaded; try again in a moment.',
    );
  }
  if (name === 'AbortError') return new ConnectorError('internal', 'The request was canceled.');
  return new ConnectorError(
    'unreachable',
    `Gridside could not reach the orchestrator at ${where}. Is it running?`,
    'Check the URL in Gridside options and that the orchestrator is started.',
  );
}

function httpError(response: Response, body: string, where: string): ConnectorError {
  const detail = serverMessage(body);
  const said = detail ? ` It said: ${detail}` : '';
  switch (response.status) {
    case 401:
      return new ConnectorError(
        'unauthorized',
        `The orchestrator rejected the token.${said}`,
        'Set a valid token in Gridside options.',
      );
    case 403:
      return new ConnectorError(
        'forbidden',
        `The orchestrator refused: your token's roles do not allow this.${said}`,
        'Ask an orchestrator admin for the right role.',
      );
    case 404:
      return new ConnectorError(
        'not_found',
        `The orchestrator at ${where} does not know this action or run.${said}`,
        'Reload the action list; the plugin may have been removed.',
      );
    case 409:
      return new ConnectorError('conflict', `The orchestrator refused because of the run's state.${said}`);
    case 429: {
      const retryAfterMs = parseRetryAfter(response.headers.get('retry-after'));
      const wait = retryAfterMs === undefined ? 'a moment' : `${Math.ceil(retryAfterMs / 1000)} s`;
      return new ConnectorError(
        'rate_limited',
        `The orchestrator is rate limiting requests.${said}`,
        `Gridside waits ${wait} before trying again.`,
        retryAfterMs,
      );
    }
    default:
      if (response.status >= 500) {
        return new ConnectorError(
          'server_error',
          `The orchestrator at ${where} failed with HTTP ${response.status}.${said}`,
          'Check the orchestrator log; try again later.',
        );
      }
      return new ConnectorError(
        'bad_request',
        `The orchestrator refused the request (HTTP ${response.status}).${said}`,
      );
  }
}

function serverMessage(body: string): string | undefined {
  try {
    const parsed = ApiErrorSchema.safeParse(JSON.parse(body));
    if (!parsed.success) return undefined;
    const { message, field } = parsed.data.error;
    return field ? `${message} (field ${field})` : message;
  } catch {
    return undefined;
  }
}

/** `Retry-After` is seconds or an HTTP date. */
export function parseRetryAfter(value: string | null, now = Date.now()): number | undefined {
  if (!value) return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds) && seconds >= 0) return seconds * 1000;
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}
