import type { ContentFeature } from '../content-session.ts';
import { contextMenuRow } from './context-menu-row.ts';
import { floatingRowButton } from './floating-row-button.ts';
import { keyboardShortcut } from './keyboard-shortcut.ts';
import { panelRequests } from './panel-requests.ts';
import { pinMarkers } from './pin-markers.ts';

/**
 * Every row affordance, one per file, each torn down by its AbortSignal.
 *
 * Adding one (e.g. `pinned-markers.ts`, DESIGN.md §7: ask the background for the pins of the rows on
 * screen in one batched message and draw a marker per pinned row in the overlay's own layer — never in
 * the grid's DOM): write a ContentFeature, use `session.overlay.layer(...)` for its UI and
 * `session.adapters` to find rows, then list it here.
 */
export const CONTENT_FEATURES: readonly ContentFeature[] = [
  floatingRowButton,
  contextMenuRow,
  keyboardShortcut,
  panelRequests,
  pinMarkers,
];
