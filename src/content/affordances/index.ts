import type { ContentFeature } from '../content-session.ts';
import { autoEnrich } from './auto-enrich.ts';
import { contextMenuRow } from './context-menu-row.ts';
import { floatingRowButton } from './floating-row-button.ts';
import { pointedRow } from './focused-row.ts';
import { keyboardShortcut } from './keyboard-shortcut.ts';
import { panelRequests } from './panel-requests.ts';
import { rowMarks } from './row-marks.ts';
import { teachRequests } from './teach-requests.ts';

/**
 * Every row affordance, one per file, each torn down by its AbortSignal.
 *
 * Adding one: write a ContentFeature, use `session.overlay.layer(...)` for its UI (never the grid's DOM)
 * and `session.adapters` to find rows (`rowsOnScreen` for every row the analyst sees, as `row-marks.ts`
 * does), then list it here.
 */
export const CONTENT_FEATURES: readonly ContentFeature[] = [
  floatingRowButton,
  contextMenuRow,
  keyboardShortcut,
  pointedRow,
  panelRequests,
  rowMarks,
  autoEnrich,
  teachRequests,
];
