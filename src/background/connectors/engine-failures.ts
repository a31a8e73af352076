import type { PanelError } from '../../core/messages.ts';

/**
 * Every way one exchange with an engine can fail, as facts (engine-http.ts finds them), and the common
 * words for each. An engine whose analysts expect other words (Gridside's own orchestrator speaks of
 * tokens and roles) gives its own through `Engine.describe`.
 */
export type EngineFailure =
  | { kind: 'timeout' }
  | { kind: 'unreachable'; origin: string }
  | { kind: 'not_json'; start: string }
  /** JSON that stops before the document ends: cut on the way. */
  | { kind: 'cut_short'; bytes: number }
  /** An answer longer than Gridside reads (engine-http.ts, MAX_ANSWER_BYTES). */
  | { kind: 'too_big'; limitBytes: number }
  | { kind: 'bad_shape'; what: string; field: string | undefined; issue: string }
  /** `said`: the engine's own words from the error body, if any; `retryAfterMs` only for 429 and 503. */
  | { kind: 'http'; status: number; said: string | undefined; retryAfterMs: number | undefined };

/** What the analyst reads about a failure. */
export interface Worded {
  code: PanelError['code'];
  message: string;
  hint?: string;
}

/** Who failed and while doing what, for the common words. */
export interface FailureScene {
  engine: string;
  doing: string;
  /** The entry's name in Gridside options, where its credentials are set. */
  entryName: string;
}

export function commonWords(scene: FailureScene, failure: EngineFailure): Worded {
  const { engine, doing } = scene;
  switch (failure.kind) {
    case 'timeout':
      return {
        code: 'timeout',
        message: `${engine} did not answer ${doing} in time.`,
        hint: `Try again; if it keeps happening, check that ${engine} is not overloaded.`,
      };
    case 'unreachable':
      return {
        code: 'unreachable',
        message: `Could not reach ${engine} at ${failure.origin} while ${doing}.`,
        hint: 'Check the URL, that the service is running, and that its certificate is trusted by this browser.',
      };
    case 'not_json':
      return {
        code: 'bad_response',
        message: `${engine} answered with something that is not JSON while ${doing} (starts "${failure.start}").`,
        hint: 'Check that the URL points at the API itself, not at a login page or a proxy.',
      };
    case 'cut_short':
      // Said as a server error: the job engine keeps following the run, as after any failure on the way.
      return {
        code: 'server_error',
        message: `The answer from ${engine} was cut short while ${doing} (${failure.bytes} bytes, the JSON does not end).`,
        hint: `Gridside asks again; if it keeps happening, check the network or proxy between this browser and ${engine}.`,
      };
    case 'too_big':
      return {
        code: 'bad_response',
        message: `${engine} answered with more than ${Math.round(failure.limitBytes / 1024 / 1024)} MB while ${doing}, more than Gridside reads.`,
        hint: `Check the proxy in front of ${engine}, or lower the output it keeps per run.`,
      };
    case 'bad_shape': {
      const where = failure.field ? `\`${failure.field}\`` : 'the document';
      return {
        code: 'bad_response',
        message: `${engine} answered with ${failure.what} Gridside does not understand while ${doing}: ${where} — ${failure.issue}.`,
        hint: `Check that this version of ${engine} is supported and the entry options match it (docs/connectors.md).`,
      };
    }
    case 'http':
      return httpWords(scene, failure);
  }
}

function httpWords(
  { engine, doing, entryName }: FailureScene,
  { status, said, retryAfterMs }: Extract<EngineFailure, { kind: 'http' }>,
): Worded {
  const detail = said ? ` It said: "${said}".` : '';
  if (status === 401)
    return {
      code: 'unauthorized',
      message: `${engine} refused the credentials while ${doing} (401).${detail}`,
      hint: `Check the key or token saved for the entry "${entryName}" in Gridside options.`,
    };
  if (status === 403)
    return {
      code: 'forbidden',
      message: `${engine} says this account may not do that (403) while ${doing}.${detail}`,
      hint: `Ask the administrator of ${engine} to grant this account the needed rights.`,
    };
  if (status === 404)
    return {
      code: 'not_found',
      message: `${engine} did not find it (404) while ${doing}.${detail}`,
      hint: 'It may have been deleted, or the URL in options points at the wrong path.',
    };
  if (status === 429)
    return {
      code: 'rate_limited',
      message: `${engine} is limiting requests (429) while ${doing}.${detail}`,
      hint:
        retryAfterMs === undefined
          ? 'Wait a moment and try again.'
          : `Try again in ${Math.ceil(retryAfterMs / 1000)} s.`,
    };
  if (status === 409)
    return {
      code: 'conflict',
      message: `${engine} refused this as a conflict (409) while ${doing}.${detail}`,
    };
  if (status >= 500)
    return {
      code: 'server_error',
      message: `${engine} failed while ${doing} (${status}).${detail}`,
      hint: `Try again later; the logs of ${engine} say why.`,
    };
  if (status === 400 || status === 422)
    return {
      code: 'bad_request',
      message: `${engine} rejected the request while ${doing} (${status}).${detail}`,
      hint: 'Check the parameter values.',
    };
  return { code: 'bad_response', message: `${engine} answered with HTTP ${status} while ${doing}.${detail}` };
}
