import browser from 'webextension-polyfill';
import type { z } from 'zod';
import type { PanelError, Reply } from '../core/messages.ts';
import type { ParsedReplies } from '../core/page-channel.ts';

/**
 * An extension page's line to the worker (options, popup, history: one channel each, core/page-channel.ts).
 * The reply is parsed with the schema the page's map names for the request's type, so the page gets the
 * type its request has, never one it picks; a failure comes back as a `PanelError` to show as is.
 */

export type PageReply<T> = { ok: true; data: T } | { ok: false; error: PanelError };

export function pageChannel<
  Requests extends { type: string },
  Schemas extends Record<Requests['type'], z.ZodType>,
>(replies: Schemas) {
  return async <R extends Requests>(request: R): Promise<PageReply<ParsedReplies<Schemas>[R['type']]>> => {
    let reply: Reply<unknown>;
    try {
      reply = (await browser.runtime.sendMessage(request)) as Reply<unknown>;
    } catch (error) {
      return {
        ok: false,
        error: {
          code: 'internal',
          message: 'The Gridside background did not answer.',
          hint: error instanceof Error ? error.message : undefined,
        },
      };
    }
    if (!reply || typeof reply !== 'object') {
      return {
        ok: false,
        error: { code: 'internal', message: 'The Gridside background gave no usable answer.' },
      };
    }
    if (!reply.ok) return reply;
    const schema: z.ZodType = replies[request.type as Requests['type']];
    const parsed = schema.safeParse(reply.data);
    return parsed.success
      ? { ok: true, data: parsed.data as ParsedReplies<Schemas>[R['type']] }
      : {
          ok: false,
          error: { code: 'internal', message: 'The Gridside background gave an unexpected answer.' },
        };
  };
}
