import browser from 'webextension-polyfill';
import type { z } from 'zod';
import { OPTIONS_REPLIES, type OptionsRequestSchema } from '../core/options-messages.ts';
import { originPattern } from '../core/origin-pattern.ts';
import { pageChannel } from '../pages/worker-channel.ts';

/** The options page's requests to the worker; only this page may send them (router.ts). */
export const askWorker = pageChannel<z.input<typeof OptionsRequestSchema>, typeof OPTIONS_REPLIES>(
  OPTIONS_REPLIES,
);

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
