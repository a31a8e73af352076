import browser from 'webextension-polyfill';
import type { z } from 'zod';
import type { PanelError, Reply } from '../core/messages.ts';
import type { OptionsRequest } from '../core/options-messages.ts';
import { originPattern } from '../core/origin-pattern.ts';
import type { PopupRequest } from '../core/popup-messages.ts';

/**
 * The extension pages' line to the worker (the privileged channel): the options page, the history page and
 * the toolbar popup. Replies are parsed with the schema the caller expects; a failure comes back as a
 * `PanelError` to show as is.
 */
export async function askWorker<S extends z.ZodType>(
  request: OptionsRequest | PopupRequest,
  schema: S,
): Promise<{ ok: true; data: z.infer<S> } | { ok: false; error: PanelError }> {
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
  const parsed = schema.safeParse(reply.data);
  return parsed.success
    ? { ok: true, data: parsed.data }
    : {
        ok: false,
        error: { code: 'internal', message: 'The Gridside background gave an unexpected answer.' },
      };
}

/** Host permission for one origin. Must be called straight from a click handler (a user gesture). */
export function requestOrigins(origins: string[]): Promise<boolean> {
  if (origins.length === 0) return Promise.resolve(true);
  return browser.permissions.request({ origins: origins.map((o) => originPattern(o)) });
}

export function removeOrigins(origins: string[]): Promise<boolean> {
  return browser.permissions.remove({ origins: origins.map((o) => originPattern(o)) });
}

export function hasOrigin(origin: string): Promise<boolean> {
  return browser.permissions.contains({ origins: [originPattern(origin)] });
}
