import { onPush } from '../background-channel.ts';
import type { ContentFeature } from '../content-session.ts';

/**
 * `teach.open` pushes: the analyst clicked "Teach Gridside this grid" in the toolbar popup for this tab.
 * Only the background sends them, after a click in the browser's own UI, which the page cannot fake.
 */
export const teachRequests: ContentFeature = {
  id: 'teach-requests',
  init(session, signal) {
    onPush((push) => {
      if (push.type === 'teach.open') session.openTeach();
    }, signal);
  },
};
