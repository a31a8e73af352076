import type { ContentFeature } from '../content-session.ts';
import { rowForEvent } from '../grid/grids.ts';

/**
 * Remembers the row under the analyst's right-click, so the extension's context-menu item (which the
 * background handles, then pushes `panel.open` with source 'context-menu') acts on that row: the
 * browser's menu tells the extension nothing about the element clicked, so the row is noted now and its
 * values are read when the panel opens. Capture + passive: it never blocks or changes the page's own menu.
 * Only real clicks count; a right-click outside any grid row clears the record so a stale row is never used.
 */
export const contextMenuRow: ContentFeature = {
  id: 'context-menu-row',
  init(session, signal) {
    window.addEventListener(
      'contextmenu',
      (event) => {
        if (!session.isUserInput(event)) return;
        session.lastContextRow = rowForEvent(session.adapters, event);
      },
      { capture: true, passive: true, signal },
    );
  },
};
