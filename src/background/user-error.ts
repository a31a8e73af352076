import type { PanelError } from '../core/messages.ts';

/**
 * An error meant for the analyst: its message says what went wrong and its hint what to do, in words the
 * panel, popup and options pages show as they are. Anything else that reaches a page is a programming
 * error and is reported as an internal error instead.
 */
export class UserError extends Error {
  constructor(
    readonly code: PanelError['code'],
    message: string,
    readonly hint?: string,
    /** For `rate_limited`: how long to wait before asking again. */
    readonly retryAfterMs?: number,
  ) {
    super(message);
    this.name = 'UserError';
  }

  toPanelError(): PanelError {
    return { code: this.code, message: this.message, ...(this.hint ? { hint: this.hint } : {}) };
  }
}
