import { onPush } from '../background-channel.ts';
import type { ContentFeature } from '../content-session.ts';
import { rightClickedRow } from './context-menu-row.ts';
import { settledFocusedRow } from './focused-row.ts';

/**
 * `panel.open` pushes from the background: the context-menu item (the row recorded at the right-click)
 * and the keyboard command (the focused row, else the row the button is on). The background only sends
 * them after a real user gesture in the browser's own UI, which the page cannot fake.
 */
export const panelRequests: ContentFeature = {
  id: 'panel-requests',
  init(session, signal) {
    onPush((push) => {
      if (push.type !== 'panel.open') return;
      if (push.source === 'context-menu') {
        session.openPanel(rightClickedRow(session), 'context-menu');
      } else {
        // A grid redrawing its focus mark shows none for a frame or two: wait for it before the hover.
        void settledFocusedRow(session).then((hit) => {
          if (!signal.aborted)
            session.openPanel(hit ?? session.hoveredRow, 'command', document.activeElement);
        });
      }
    }, signal);
  },
};
