import type { ContentFeature, ContentSession } from '../content-session.ts';
import { type GridHit, rowForEvent } from '../grid/grids.ts';
import { readRow } from '../grid/read-row.ts';

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
        const hit = rowForEvent(session.adapters, event);
        session.lastContextRow = hit;
        rightClicked = hit && keyOf(session, hit);
      },
      { capture: true, passive: true, signal },
    );
  },
};

/** The key of the row right-clicked, read at the right-click. */
let rightClicked: string | null = null;

const keyOf = (session: ContentSession, hit: GridHit): string =>
  readRow(hit, { console: session.origin, fieldOverrides: session.fieldOverrides }).context.key.value;

/**
 * The right-clicked row, if its element still shows it when the menu item is chosen. A grid that
 * refreshes (a live alarm list) can redraw the element with another row while the menu is open; then
 * the panel opens on no row, and says to right-click again, rather than on a row the analyst did not pick.
 */
export const rightClickedRow = (session: ContentSession): GridHit | null => {
  const hit = session.lastContextRow;
  return hit?.row.primary.isConnected && keyOf(session, hit) === rightClicked ? hit : null;
};
