import browser from 'webextension-polyfill';
import type { z } from 'zod';
import type { PanelError, Reply } from '../core/messages.ts';
import type { PopupRequest } from '../core/popup-messages.ts';

/**
 * The popup's line to the worker (the privileged channel) and the few browser calls it makes itself.
 * Replies are parsed with the schema the caller expects; a failure comes back as a `PanelError`.
 */
export type Answer<T> = { ok: true; data: T } | { ok: false; error: PanelError };

export async function askBackground<S extends z.ZodType>(
  request: PopupRequest,
  schema: S,
): Promise<Answer<z.infer<S>>> {
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

/** The page in the active tab; readable because opening the popup grants `activeTab` for it. */
export async function activeTabUrl(): Promise<string | undefined> {
  const [tab] = await browser.tabs.query({ active: true, currentWindow: true });
  return tab?.url;
}

/** Must be the first await of a click handler: the browser asks only on a user gesture. */
export function requestOrigin(origin: string): Promise<boolean> {
  return browser.permissions.request({ origins: [`${origin}/*`] });
}

export function removeOrigin(origin: string): Promise<boolean> {
  return browser.permissions.remove({ origins: [`${origin}/*`] });
}

/** The toolbar button opens this popup, so the options are one click further, from here. */
export function openOptions(): Promise<void> {
  return browser.runtime.openOptionsPage();
}
