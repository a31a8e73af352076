import type { ApiError } from '../core/api.ts';

/** An error the API answers with its own status and an `ApiErrorSchema` body. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: ApiError['error']['code'],
    message: string,
    readonly field?: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }

  body(): ApiError {
    return {
      error: { code: this.code, message: this.message, ...(this.field ? { field: this.field } : {}) },
    };
  }
}

export const notFound = (what: string): HttpError => new HttpError(404, 'not_found', `${what} not found`);
export const forbidden = (message: string): HttpError => new HttpError(403, 'forbidden', message);
export const conflict = (message: string): HttpError => new HttpError(409, 'conflict', message);
export const badRequest = (message: string, field?: string): HttpError =>
  new HttpError(400, 'bad_request', message, field);

/** How deep a request body may nest: far deeper than any API body, far shallower than the call stack. */
const MAX_BODY_DEPTH = 64;

/**
 * Why a parsed body is refused before any route sees it: a `__proto__` key (JSON.parse makes it an own
 * key; the first one is named by its path), or nesting deeper than MAX_BODY_DEPTH. JSON.parse accepts
 * nesting deeper than the call stack, so the walk keeps a stack of its own, and the depth limit keeps
 * every later recursive look at the body (the schemas, JSON.stringify) from overflowing.
 */
export function bodyShapeProblem(body: unknown): HttpError | undefined {
  const stack: { value: unknown; key: string; at: string; depth: number }[] = [
    { value: body, key: '', at: '', depth: 0 },
  ];
  for (let item = stack.pop(); item !== undefined; item = stack.pop()) {
    if (item.key === '__proto__') {
      return badRequest(`${item.at}: the key "__proto__" is not allowed`, item.at);
    }
    const { value, at, depth } = item;
    if (value === null || typeof value !== 'object') continue;
    if (depth >= MAX_BODY_DEPTH) {
      return badRequest(`the body is nested more than ${MAX_BODY_DEPTH} levels deep`, 'body');
    }
    // Pushed last to first, so the first key is looked at (and into) first.
    for (const key of Object.keys(value).reverse()) {
      const child = (value as Record<string, unknown>)[key];
      stack.push({ value: child, key, at: at ? `${at}.${key}` : key, depth: depth + 1 });
    }
  }
  return undefined;
}
