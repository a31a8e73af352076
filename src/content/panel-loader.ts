import type { ContentSession, PanelSource } from './content-session.ts';
import type { GridHit } from './grid/grids.ts';
import { readRow } from './grid/read-row.ts';
import { rowBox } from './grid/row-box.ts';
import { readSelection } from './grid/selected-rows.ts';
import type { PanelOpening } from './panel/panel-opening.ts';

/**
 * Opens the panel. The row is read here, synchronously, at the moment of the analyst's action (rows are
 * recycled); the panel's code (Preact and the UI) is loaded on first use with a dynamic import, so the
 * script every console page runs stays small.
 */

type PanelModule = typeof import('./panel/panel-app.tsx');
let panelModule: Promise<PanelModule> | null = null;

export function loadPanelModule(): Promise<PanelModule> {
  panelModule ??= import('./panel/panel-app.tsx');
  return panelModule;
}

export function openPanel(
  session: ContentSession,
  signal: AbortSignal,
  hit: GridHit | null,
  source: PanelSource,
  returnFocus: Element | null = null,
): void {
  let opening: PanelOpening;
  if (!hit?.row.primary.isConnected) {
    opening = {
      source,
      row: null,
      anchor: null,
      returnFocus,
      at: returnFocus,
      teach: () => session.openTeach(),
    };
  } else {
    const options = { console: session.origin, fieldOverrides: session.fieldOverrides };
    const reading = readRow(hit, options);
    opening = {
      source,
      row: reading,
      selection: readSelection(hit, options),
      anchor: rowBox(hit),
      returnFocus: returnFocus ?? hit.row.primary,
      at: hit.row.primary,
      // The grid's columns: the panel works out which map to no field, and says so (unmapped-note.tsx).
      columns: {
        list: hit.adapter.columns(hit.row.root),
        overrides: options.fieldOverrides,
      },
      teach: () => session.openTeach(),
    };
  }
  loadPanelModule().then(
    (panel) => panel.showPanel(session.overlay, opening, signal),
    (error: unknown) => console.error('Gridside: the panel could not be loaded', error),
  );
}
