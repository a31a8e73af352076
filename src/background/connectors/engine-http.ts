import type { z } from 'zod';
import type { ConnectorDeps } from './connector.ts';
import { ConnectorError } from './connector.ts';
import { commonWords, type EngineFailure, type Worded } from './engine-failures.ts';

/**
 * Gridside's one HTTP client for the engines it talks to (its own orchestrator, Cortex, StackStorm, a
 * webhook SOAR, the LogRhythm Alarm API). Every way an exchange can go wrong becomes a `ConnectorError`
 * the panel can show as is; each engine plugs in how it authenticates, where its error bodies keep their
 * words, and, where its analysts expect them, words of its own for a failure.
 *
 * A request the caller aborts (the job engine stopping, the analyst closing the panel) rejects with the
 * caller's own `AbortError`: nothing failed at the engine, and the caller, who aborted, knows why.
 */

export interface Engine {
  /** Engine name as the analyst knows it: `Cortex`, `StackStorm`, `LogRhythm Alarm API`. */
  name: string;
  /** The headers that carry the credentials (the connector says so first when none are saved). */
  auth?(deps: ConnectorDeps): Record<string, string>;
  /** The engine's own words in an error body (see `errorWordsAt`); the common reading when left out. */
  errorWords?(text: string): string | undefined;
  /** The engine's own words for a failure; `undefined` (or left out) keeps the common words. */
  describe?(failure: EngineFailure, doing: string): Worded | undefined;
}

export interface EngineCall {
  engine: Engine;
  /** What we were doing, for messages: `listing analyzers`, `starting the job`. */
  doing: string;
  deps: ConnectorDeps;
  /** Path relative to the entry URL (keeping its path prefix), or an absolute URL on that origin. */
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
/**
 * The largest answer Gridside reads from an engine. Far above any real one (the orchestrator keeps at most
 * `outputCapBytes`, 1 MB by default, of each output stream), low enough that a broken proxy or a hostile
 * endpoint cannot fill the worker's memory, the job store and the panel with one answer.
 */
export const MAX_ANSWER_BYTES = 16 * 1024 * 1024;
const MAX_QUOTED = 300;

/** Resolves `path` against the entry URL; absolute URLs pass through (the restricted fetch checks origin). */
export function engineUrl(entryUrl: string, path: string): string {
  if (/^https?:\/\//i.test(path)) return path;
  const base = new URL(entryUrl);
  // Keep a path prefix the admin configured (Cortex behind /cortex, st2 behind nginx) for relative paths.
  const prefix = base.pathname.replace(/\/+$/, '');
  return `${base.origin}${prefix}${path.startsWith('/') ? path : `/${path}`}`;
}

/** The failure as a `ConnectorError`, in the engine's words where it has them. */
export function engineFailure(
  call: Pick<EngineCall, 'engine' | 'doing'> & { deps?: ConnectorDeps },
  failure: EngineFailure,
): ConnectorError {
  const entryName = call.deps?.entry.name ?? call.engine.name;
  const words =
    call.engine.describe?.(failure, call.doing) ??
    commonWords({ engine: call.engine.name, doing: call.doing, entryName }, failure);
  const retryAfterMs = failure.kind === 'http' ? failure.retryAfterMs : undefined;
  return new ConnectorError(words.code, words.message, words.hint, retryAfterMs);
}

export async function engineRequest(call: EngineCall): Promise<EngineResponse> {
  const url = engineUrl(call.deps.entry.url, call.path);
  const timeout = AbortSignal.timeout(call.timeoutMs ?? DEFAULT_TIMEOUT_MS);
  const signal = call.signal ? AbortSignal.any([call.signal, timeout]) : timeout;
  const headers: Record<string, string> = {
    accept: 'application/json',
    ...call.engine.auth?.(call.deps),
    ...call.headers,
  };
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
    text = await boundedText(response, MAX_ANSWER_BYTES);
  } catch (error) {
    if (error instanceof TooBig) throw engineFailure(call, { kind: 'too_big', limitBytes: MAX_ANSWER_BYTES });
    throw fetchFailure(call, error, signal);
  }
  if (!response.ok) {
    // 429 and 503 may say when to come back (RFC 9110 §10.2.3): a load balancer draining a node does.
    const retryAfterMs =
      response.status === 429 || response.status === 503
        ? parseRetryAfter(response.headers.get('retry-after'))
        : undefined;
    const said = (call.engine.errorWords ?? commonErrorWords)(text);
    throw engineFailure(call, { kind: 'http', status: response.status, said, retryAfterMs });
  }
  return { status: response.status, headers: response.headers, json: parseJson(call, text), text };
}

function parseJson(call: EngineCall, text: string): unknown {
  if (text.trim() === '') return undefined;
  try {
    return JSON.parse(text);
  } catch {
    if (call.allowText) return undefined;
    // A document that opens like JSON and stops before its end was cut short on the way (a dropped
    // connection framed as complete, a broken proxy): the engine is not at fault, and asking again helps.
    const trimmed = text.trim();
    if (/^[[{]/.test(trimmed) && !/[\]}]$/.test(trimmed))
      throw engineFailure(call, { kind: 'cut_short', bytes: text.length });
    throw engineFailure(call, { kind: 'not_json', start: quote(text, 60) });
  }
}

class TooBig extends Error {}

/** The body as text, refusing (without reading the rest) one longer than `limit` bytes. */
async function boundedText(response: Response, limit: number): Promise<string> {
  const declared = Number(response.headers.get('content-length'));
  if (declared > limit) {
    await response.body?.cancel().catch(() => undefined);
    throw new TooBig();
  }
  if (!response.body) return response.text();
  const reader = response.body.getReader();
  const decoder = new TextDecoder();
  let read = 0;
  let text = '';
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    read += value.byteLength;
    if (read > limit) {
      await reader.cancel().catch(() => undefined);
      throw new TooBig();
    }
    text += decoder.decode(value, { stream: true });
  }
  return text + decoder.decode();
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
  const field = issue && issue.path.length > 0 ? issue.path.join('.') : undefined;
  throw engineFailure(call, { kind: 'bad_shape', what, field, issue: issue?.message ?? 'unexpected shape' });
}

/** A caller's abort passes through as is; a timeout or a network failure is said in plain words. */
function fetchFailure(call: EngineCall, error: unknown, signal: AbortSignal): unknown {
  const reason: unknown = signal.aborted ? signal.reason : error;
  const name = reason instanceof Error || reason instanceof DOMException ? reason.name : '';
  if (name === 'TimeoutError') return engineFailure(call, { kind: 'timeout' });
  if (name === 'AbortError') return reason;
  if (error instanceof ConnectorError) return error;
  return engineFailure(call, { kind: 'unreachable', origin: safeOrigin(call.deps.entry.url) });
}

/** An error-body reader that looks at the engine's own fields first, then reads it as `commonErrorWords`. */
export function errorWordsAt(...keys: string[]): (text: string) => string | undefined {
  return (text) => wordsIn(parsedObject(text), keys) ?? commonErrorWords(text);
}

/** The error words most engines use, or the start of a plain-text error page. */
export function commonErrorWords(text: string): string | undefined {
  if (!text.trim()) return undefined;
  const common = ['message', 'faultstring', 'responseMessage', 'statusMessage', 'error', 'detail'];
  return wordsIn(parsedObject(text), common) ?? quote(text, MAX_QUOTED);
}

function parsedObject(text: string): Record<string, unknown> | undefined {
  try {
    const body: unknown = JSON.parse(text);
    return body && typeof body === 'object' ? (body as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

function wordsIn(body: Record<string, unknown> | undefined, keys: string[]): string | undefined {
  if (!body) return undefined;
  for (const key of keys) {
    const value = body[key];
    if (typeof value === 'string' && value.trim()) return quote(value, MAX_QUOTED);
    if (value && typeof value === 'object' && typeof (value as { message?: unknown }).message === 'string')
      return quote((value as { message: string }).message, MAX_QUOTED);
  }
  return undefined;
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

/** Flattens and shortens text quoted in a message. */
export function quote(text: string, max: number): string {
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
  engine: Engine,
  schema: S,
  entry: ConnectorDeps['entry'],
): z.infer<S> {
  const parsed = schema.safeParse(entry.options ?? {});
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const where = issue && issue.path.length > 0 ? `option \`${issue.path.join('.')}\`` : 'the options';
  throw new ConnectorError(
    'not_configured',
    `The ${engine.name} entry "${entry.name}" has an invalid ${where}: ${issue?.message ?? 'unexpected value'}.`,
    'Fix it in Gridside options (docs/connectors.md lists every option).',
  );
}
