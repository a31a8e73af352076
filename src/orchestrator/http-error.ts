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
