import { onPush } from '../background-channel.ts';
import type { ContentFeature } from '../content-session.ts';
import { rightClickedRow } from './context-menu-row.ts';
import { settledFocusedRow } from './focused-row.ts';

/**
 * `panel.open` pushes from the background: the context-menu item (the row recorded at the right-click)
 * and the keyboard command (the focused row, else the row the button is on). The background only sends
 * them after a real user gesture in the browser's own UI, which the page cannot fake.
 *
 * The command reaches every frame of the tab, as the browser does not say which holds the focus. It is
 * this frame's when the focus is in this document itself, not in a frame inside it (a console's grid
 * framed in a page has a content script of its own); with the focus outside the page, it is the top's.
 */
const commandIsMine = (): boolean =>
  document.hasFocus() ? !/^i?frame$/.test(document.activeElement?.localName ?? '') : window === window.top;

export const panelRequests: ContentFeature = {
  id: 'panel-requests',
  init(session, signal) {
    onPush((push) => {
      if (push.type !== 'panel.open') return;
      if (push.source === 'context-menu') {
        session.openPanel(rightClickedRow(session), 'context-menu');
      } else if (commandIsMine()) {
        // A grid redrawing its focus mark shows none for a frame or two: wait for it before the hover.
        void settledFocusedRow(session).then((hit) => {
          if (!signal.aborted)
            session.openPanel(hit ?? session.hoveredRow, 'command', document.activeElement);
        });
      }
    }, signal);
  },
};
