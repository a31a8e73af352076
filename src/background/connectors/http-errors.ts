import type { z } from 'zod';
import type { ConnectorDeps } from './connector.ts';
import { ConnectorError } from './connector.ts';

/**
 * One HTTP exchange with a third-party engine (Cortex, StackStorm, a webhook SOAR, the LogRhythm Alarm
 * API), and every way it can go wrong mapped onto a `ConnectorError` the panel can show as is.
 * Each connector passes its engine name and where its credentials are configured, so the words fit.
 */

export interface EngineCall {
  /** Engine name as the analyst knows it: `Cortex`, `StackStorm`, `LogRhythm Alarm API`. */
  engine: string;
  /** What we were doing, for messages: `listing analyzers`, `starting the job`. */
  doing: string;
  deps: ConnectorDeps;
  /** Path relative to the entry URL's origin (or an absolute URL on that origin). */
  path: string;
  method?: string;
  headers?: Record<string, string>;
  /** Serialised with JSON.stringify; never spliced as text. */
  body?: unknown;
  signal?: AbortSignal | undefined;
  /** Per-request limit; a caller signal that fires first wins. */
  timeoutMs?: number;
  /** Accept a plain-text answer (webhooks may reply with text); `json` is then `undefined`. */
  allowText?: boolean;
}

export interface EngineResponse {
  status: number;
  headers: Headers;
  /** Parsed JSON body, or `undefined` for an empty body. */
  json: unknown;
  text: string;
}

const DEFAULT_TIMEOUT_MS = 30_000;
const MAX_QUOTED = 300;

/** Resolves `path` against the entry URL; absolute URLs pass through (the restricted fetch checks origin). */
export function engineUrl(entryUrl: string, path: string): string {
  if (/^https?:\/\//i.test(path)) return path;
  const base = new URL(entryUrl);
  // Keep a path prefix the admin configured (Cortex behind /cortex, st2 behind nginx) for relative paths.
  const prefix = base.pathname.replace(/\/+$/, '');
  return `${base.origin}${prefix}${path.startsWith('/') ? path : `/${path}`}`;
}

export async function engineRequest(call: EngineCall): Promise<EngineResponse> {
  const url = engineUrl(call.deps.entry.url, call.path);
  const timeout = AbortSignal.timeout(call.timeoutMs ?? DEFAULT_TIMEOUT_MS);
  const signal = call.signal ? AbortSignal.any([call.signal, timeout]) : timeout;
  const headers: Record<string, string> = { accept: 'application/json', ...call.headers };
  if (call.body !== undefined) headers['content-type'] = 'application/json';
  let response: Response;
  try {
    response = await call.deps.fetch(url, {
      method: call.method ?? 'GET',
      headers,
      body: call.body === undefined ? undefined : JSON.stringify(call.body),
      signal,
    });
  } catch (error) {
    throw fetchFailure(call, error, signal);
  }
  let text: string;
  try {
    text = await response.text();
  } catch (error) {
    throw fetchFailure(call, error, signal);
  }
  if (!response.ok) throw httpFailure(call, response, text);
  return { status: response.status, headers: response.headers, json: parseJson(call, text), text };
}

function parseJson(call: EngineCall, text: string): unknown {
  if (text.trim() === '') return undefined;
  try {
    return JSON.parse(text);
  } catch {
    if (call.allowText) return undefined;
    throw new ConnectorError(
      'bad_response',
      `${call.engine} answered with something that is not JSON while ${call.doing} (starts "${quote(text, 60)}").`,
      'Check that the URL points at the API itself, not at a login page or a proxy.',
    );
  }
}

/** Parses an engine document; names the first field that did not match. */
export function parseEngineBody<S extends z.ZodType>(
  call: Pick<EngineCall, 'engine' | 'doing'>,
  schema: S,
  json: unknown,
  what: string,
): z.infer<S> {
  const parsed = schema.safeParse(json);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const where = issue && issue.path.length > 0 ? `\`${issue.path.join('.')}\`` : 'the document';
  throw new ConnectorError(
    'bad_response',
    `${call.engine} answered with ${what} Gridside does not understand while ${call.doing}: ${where} — ${issue?.message ?? 'unexpected shape'}.`,
    `Check that this version of ${call.engine} is supported and the entry options match it (docs/connectors.md).`,
  );
}

function fetchFailure(call: EngineCall, error: unknown, signal: AbortSignal): ConnectorError | unknown {
  const reason = signal.aborted ? signal.reason : error;
  if (reason instanceof DOMException && reason.name === 'TimeoutError') {
    return new ConnectorError(
      'timeout',
      `${call.engine} did not answer ${call.doing} in time.`,
      `Try again; if it keeps happening, check that ${call.engine} is not overloaded.`,
    );
  }
  // The caller (the analyst closing the panel, the background cancelling) aborted: not an engine error.
  if (reason instanceof DOMException && reason.name === 'AbortError') return reason;
  if (error instanceof ConnectorError) return error;
  return new ConnectorError(
    'unreachable',
    `Could not reach ${call.engine} at ${safeOrigin(call.deps.entry.url)} while ${call.doing}.`,
    'Check the URL, that the service is running, and that its certificate is trusted by this browser.',
  );
}

function httpFailure(call: EngineCall, response: Response, text: string): ConnectorError {
  const said = engineMessage(text);
  const detail = said ? ` It said: "${said}".` : '';
  const where = `the entry "${call.deps.entry.name}" in Gridside options`;
  const status = response.status;
  if (status === 401)
    return new ConnectorError(
      'unauthorized',
      `${call.engine} refused the credentials while ${call.doing} (401).${detail}`,
      `Check the key or token saved for ${where}.`,
    );
  if (status === 403)
    return new ConnectorError(
      'forbidden',
      `${call.engine} says this account may not do that (403) while ${call.doing}.${detail}`,
      `Ask the administrator of ${call.engine} to grant this account the needed rights.`,
    );
  if (status === 404)
    return new ConnectorError(
      'not_found',
      `${call.engine} did not find it (404) while ${call.doing}.${detail}`,
      'It may have been deleted, or the URL in options points at the wrong path.',
    );
  if (status === 429) {
    const retryAfterMs = parseRetryAfter(response.headers.get('retry-after'));
    return new ConnectorError(
      'rate_limited',
      `${call.engine} is limiting requests (429) while ${call.doing}.${detail}`,
      retryAfterMs === undefined
        ? 'Wait a moment and try again.'
        : `Try again in ${Math.ceil(retryAfterMs / 1000)} s.`,
      retryAfterMs,
    );
  }
  if (status === 409)
    return new ConnectorError(
      'conflict',
      `${call.engine} refused this as a conflict (409) while ${call.doing}.${detail}`,
    );
  if (status >= 500)
    return new ConnectorError(
      'server_error',
      `${call.engine} failed while ${call.doing} (${status}).${detail}`,
      `Try again later; the logs of ${call.engine} say why.`,
    );
  if (status === 400 || status === 422)
    return new ConnectorError(
      'bad_request',
      `${call.engine} rejected the request while ${call.doing} (${status}).${detail}`,
      'Check the parameter values.',
    );
  return new ConnectorError(
    'bad_response',
    `${call.engine} answered with HTTP ${status} while ${call.doing}.${detail}`,
  );
}

/** The engine's own error words: Cortex `message`, st2 `faultstring`, LogRhythm `responseMessage`. */
function engineMessage(text: string): string | undefined {
  if (!text.trim()) return undefined;
  try {
    const body: unknown = JSON.parse(text);
    if (body && typeof body === 'object') {
      const record = body as Record<string, unknown>;
      for (const key of ['message', 'faultstring', 'responseMessage', 'statusMessage', 'error', 'detail']) {
        const value = record[key];
        if (typeof value === 'string' && value.trim()) return quote(value, MAX_QUOTED);
        if (
          value &&
          typeof value === 'object' &&
          typeof (value as { message?: unknown }).message === 'string'
        )
          return quote((value as { message: string }).message, MAX_QUOTED);
      }
    }
  } catch {
    // Plain-text error page: quote its start.
  }
  return quote(text, MAX_QUOTED);
}

/** `Retry-After` is delta-seconds or an HTTP date (RFC 9110 §10.2.3). */
export function parseRetryAfter(value: string | null, now = Date.now()): number | undefined {
  if (!value) return undefined;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1000;
  const date = Date.parse(trimmed);
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, date - now);
}

function quote(text: string, max: number): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max)}…` : flat;
}

function safeOrigin(url: string): string {
  try {
    return new URL(url).origin;
  } catch {
    return url;
  }
}

/** Parses `entry.options` with a connector's schema; a bad entry is a configuration problem, said plainly. */
export function parseEntryOptions<S extends z.ZodType>(
  engine: string,
  schema: S,
  entry: ConnectorDeps['entry'],
): z.infer<S> {
  const parsed = schema.safeParse(entry.options ?? {});
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const where = issue && issue.path.length > 0 ? `option \`${issue.path.join('.')}\`` : 'the options';
  throw new ConnectorError(
    'not_configured',
    `The ${engine} entry "${entry.name}" has an invalid ${where}: ${issue?.message ?? 'unexpected value'}.`,
    'Fix it in Gridside options (docs/connectors.md lists every option).',
  );
}
