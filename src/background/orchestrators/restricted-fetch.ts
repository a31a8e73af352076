import { ConnectorError } from '../connectors/connector.ts';

/**
 * The worker's only network path (docs/architecture.md §8): a `fetch` that refuses every URL whose origin is not a
 * configured, enabled orchestrator origin. A message can never make the worker call anywhere else, even if
 * a connector or a handler had a bug that let a page-supplied URL through.
 */
export interface RestrictedFetchOptions {
  /** Origins allowed right now (read on every call: settings change while the worker runs). */
  allowedOrigins: () => Iterable<string> | Promise<Iterable<string>>;
  baseFetch?: typeof fetch;
  /** Upper bound for any request, on top of the caller's own signal. */
  timeoutMs?: number;
}

export const DEFAULT_FETCH_TIMEOUT_MS = 60_000;

export function createRestrictedFetch(options: RestrictedFetchOptions): typeof fetch {
  const {
    allowedOrigins,
    baseFetch = globalThis.fetch.bind(globalThis),
    timeoutMs = DEFAULT_FETCH_TIMEOUT_MS,
  } = options;
  return async (input, init) => {
    const url = requestUrl(input);
    const allowed = new Set(await allowedOrigins());
    if (!url || !allowed.has(url.origin)) {
      throw new ConnectorError(
        'refused',
        `Gridside refused to contact ${url?.origin ?? 'an invalid address'}: it is not a configured orchestrator.`,
        'Add the orchestrator in Gridside options if you meant to use it.',
      );
    }
    const timeout = AbortSignal.timeout(timeoutMs);
    const signal = init?.signal ? AbortSignal.any([init.signal, timeout]) : timeout;
    // Credentials are the Bearer token only; never the browser's cookies for that origin.
    return baseFetch(url.href, { ...init, signal, credentials: 'omit', redirect: 'error' });
  };
}

/** Narrows a restricted fetch further, to one origin (what a connector for one entry gets). */
export function fetchForOrigin(origin: string, restricted: typeof fetch): typeof fetch {
  return (input, init) => {
    const url = requestUrl(input);
    if (!url || url.origin !== origin) {
      return Promise.reject(
        new ConnectorError('refused', `Gridside refused to contact ${url?.origin ?? 'an invalid address'}.`),
      );
    }
    return restricted(input, init);
  };
}

function requestUrl(input: RequestInfo | URL): URL | undefined {
  try {
    if (input instanceof URL) return input;
    if (typeof input === 'string') return new URL(input);
    return new URL(input.url);
  } catch {
    return undefined;
  }
}
