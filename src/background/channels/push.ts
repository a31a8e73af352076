import type { ContentPush } from '../../core/messages.ts';
import type { TabRef } from '../jobs/job-record.ts';

export interface TabsSendLike {
  sendMessage(tabId: number, message: unknown, options?: { frameId?: number }): Promise<unknown>;
}

/**
 * Background → content script. A tab that closed, navigated or has no Gridside content script makes
 * `sendMessage` reject; that is normal (the job is saved and a reloaded page asks `jobs.forRow`), so it
 * is ignored rather than reported.
 */
export function createPush(tabs: TabsSendLike) {
  return async (tab: TabRef, message: ContentPush): Promise<void> => {
    try {
      await tabs.sendMessage(tab.tabId, message, { frameId: tab.frameId });
    } catch {
      // The tab is gone or not listening.
    }
  };
}
