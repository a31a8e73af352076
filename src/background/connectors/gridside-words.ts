import { ApiErrorSchema } from '../../core/api.ts';
import type { Engine } from './engine-http.ts';

/**
 * Gridside's own orchestrator as an engine of the HTTP client: a Bearer token, error bodies shaped as
 * `ApiErrorSchema` (a message, and the field it is about), and failures worded for an analyst who knows
 * the orchestrator by its URL, its token and its roles. `where` is the orchestrator's URL as configured.
 */
export function gridsideEngine(where: string): Engine {
  return {
    name: 'The orchestrator',
    auth: ({ secret }): Record<string, string> => (secret ? { authorization: `Bearer ${secret}` } : {}),
    errorWords,
    describe(failure) {
      switch (failure.kind) {
        case 'timeout':
          return {
            code: 'timeout',
            message: `The orchestrator at ${where} did not answer in time.`,
            hint: 'It may be overloaded; try again in a moment.',
          };
        case 'unreachable':
          return {
            code: 'unreachable',
            message: `Gridside could not reach the orchestrator at ${where}. Is it running?`,
            hint: 'Check the URL in Gridside options and that the orchestrator is started.',
          };
        case 'not_json':
          return {
            code: 'bad_response',
            message: `The orchestrator at ${where} answered with something that is not JSON.`,
            hint: 'Check that the URL points at a Gridside orchestrator, not a web page or proxy.',
          };
        case 'cut_short':
          return {
            code: 'server_error',
            message: `The answer from the orchestrator at ${where} was cut short on the way (${failure.bytes} bytes, the JSON does not end).`,
            hint: 'Gridside asks again; if it keeps happening, check the network or proxy in between.',
          };
        case 'too_big':
          return {
            code: 'bad_response',
            message: `The orchestrator at ${where} answered with more than ${Math.round(failure.limitBytes / 1024 / 1024)} MB, more than Gridside reads.`,
            hint: 'Check the proxy in front of the orchestrator, or lower its outputCapBytes.',
          };
        case 'bad_shape':
          return {
            code: 'bad_response',
            message: `The orchestrator's answer did not have the expected shape: field ${failure.field ?? '(the whole response)'}: ${failure.issue}.`,
            hint: 'The orchestrator may run a different API version than this extension.',
          };
        case 'http':
          return httpWords(where, failure.status, failure.said, failure.retryAfterMs);
      }
    },
  };
}

function httpWords(
  where: string,
  status: number,
  words: string | undefined,
  retryAfterMs: number | undefined,
) {
  const said = words ? ` It said: ${words}` : '';
  switch (status) {
    case 401:
      return {
        code: 'unauthorized',
        message: `The orchestrator rejected the token.${said}`,
        hint: 'Set a valid token in Gridside options.',
      } as const;
    case 403:
      return {
        code: 'forbidden',
        message: `The orchestrator refused: your token's roles do not allow this.${said}`,
        hint: 'Ask an orchestrator admin for the right role.',
      } as const;
    case 404:
      return {
        code: 'not_found',
        message: `The orchestrator at ${where} does not know this action or run.${said}`,
        hint: 'Reload the action list; the plugin may have been removed.',
      } as const;
    case 409:
      return {
        code: 'conflict',
        message: `The orchestrator refused because of the run's state.${said}`,
      } as const;
    case 429: {
      const wait = retryAfterMs === undefined ? 'a moment' : `${Math.ceil(retryAfterMs / 1000)} s`;
      return {
        code: 'rate_limited',
        message: `The orchestrator is rate limiting requests.${said}`,
        hint: `Gridside waits ${wait} before trying again.`,
      } as const;
    }
    default:
      if (status === 502 || status === 503 || status === 504) {
        // Said by a gateway in front of the orchestrator (or the orchestrator refusing work for now).
        const wait =
          retryAfterMs === undefined
            ? ''
            : ` Gridside waits ${Math.ceil(retryAfterMs / 1000)} s before asking again.`;
        return {
          code: 'server_error',
          message: `The orchestrator at ${where} is not available right now (HTTP ${status}).${said}`,
          hint: `A run under way keeps going and Gridside keeps asking for it; try anything else again in a moment.${wait}`,
        } as const;
      }
      if (status >= 500) {
        return {
          code: 'server_error',
          message: `The orchestrator at ${where} failed with HTTP ${status}.${said}`,
          hint: 'Check the orchestrator log; try again later.',
        } as const;
      }
      return {
        code: 'bad_request',
        message: `The orchestrator refused the request (HTTP ${status}).${said}`,
      } as const;
  }
}

/** The orchestrator's `{ error: { message, field } }`; any other body says nothing of its own. */
function errorWords(text: string): string | undefined {
  try {
    const parsed = ApiErrorSchema.safeParse(JSON.parse(text));
    if (!parsed.success) return undefined;
    const { message, field } = parsed.data.error;
    return field ? `${message} (field ${field})` : message;
  } catch {
    return undefined;
  }
}
