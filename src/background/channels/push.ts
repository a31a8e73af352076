import type { ContentPush } from '../../core/messages.ts';
import type { TabRef } from '../jobs/job-record.ts';
import { pushForPage } from './output-withheld.ts';

export interface TabsSendLike {
  sendMessage(tabId: number, message: unknown, options?: { frameId?: number }): Promise<unknown>;
}

/**
 * Background → content script. A tab that closed, navigated or has no Gridside content script makes
 * `sendMessage` reject; that is normal (the job is saved and a reloaded page asks `jobs.forRow`), so it
 * is ignored rather than reported. Every push leaves without the run's output text (output-withheld.ts):
 * the output frame fetches that itself.
 */
export function createPush(tabs: TabsSendLike) {
  return async (tab: TabRef, message: ContentPush): Promise<void> => {
    try {
      await tabs.sendMessage(tab.tabId, pushForPage(message), { frameId: tab.frameId });
    } catch {
      // The tab is gone or not listening.
    }
  };
}
