import browser from 'webextension-polyfill';
import type { z } from 'zod';
import { originPattern } from '../core/origin-pattern.ts';
import { POPUP_REPLIES, type PopupRequestSchema } from '../core/popup-messages.ts';
import { pageChannel } from '../pages/worker-channel.ts';

/** The popup's requests to the worker, and the few browser calls the popup makes itself. */

/** The popup's own channel: only this page (also as the approval window) may send these (router.ts). */
export const askWorker = pageChannel<z.input<typeof PopupRequestSchema>, typeof POPUP_REPLIES>(POPUP_REPLIES);

/** The page in the active tab; readable because opening the popup grants `activeTab` for it. */
export async function activeTabUrl(): Promise<string | undefined> {
  return (await activeTab())?.url;
}

/** The active tab's id and address (the id is where "Teach Gridside this grid" starts teach mode). */
export async function activeTab(): Promise<{ id?: number; url?: string } | undefined> {
  const [tab] = await browser.tabs.query({ active: true, currentWindow: true });
  return tab ? { id: tab.id, url: tab.url } : undefined;
}

/** Must be the first await of a click handler: the browser asks only on a user gesture. */
export function requestOrigin(origin: string): Promise<boolean> {
  return browser.permissions.request({ origins: [originPattern(origin)] });
}

export function removeOrigin(origin: string): Promise<boolean> {
  return browser.permissions.remove({ origins: [originPattern(origin)] });
}

/** The toolbar button opens this popup, so the options are one click further, from here. */
export function openOptions(): Promise<void> {
  return browser.runtime.openOptionsPage();
}
