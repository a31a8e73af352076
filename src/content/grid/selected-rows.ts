import type { RowContext } from '../../core/row-context.ts';
import type { GridAdapter, GridRow } from './grid-adapter.ts';
import type { GridHit } from './grids.ts';
import { type ReadRowOptions, readRow } from './read-row.ts';

/**
 * The rows the analyst selected in a grid (for "Run on N selected rows"): ag-Grid marks them
 * `.ag-row-selected`, ARIA grids and tables `aria-selected="true"` on the row. Only rendered rows can be
 * read — a selection scrolled out of a virtualized grid is not in the DOM, so it is not offered.
 */

/** At most this many rows go into one batch (the worker's limit too). */
export const SELECTION_MAX = 200;

const SELECTED = '.ag-row-selected, [role="row"][aria-selected="true"], tr[aria-selected="true"]';

export function selectedRows(adapter: GridAdapter, root: Element): GridRow[] {
  const rows: GridRow[] = [];
  const seen = new Set<Element>();
  for (const el of root.querySelectorAll(SELECTED)) {
    // The adapter decides what a data row is (headers, group rows and pinned parts are not rows of their own).
    if (adapter.rootOf(el) !== root) continue;
    const row = adapter.rowFromTarget(root, el);
    if (!row || seen.has(row.primary)) continue;
    seen.add(row.primary);
    rows.push(row);
  }
  return rows;
}

/**
 * The selected rows of the grid the analyst acted in, read now (rows are recycled), when more than one is
 * selected; the acted-on row need not be one of them. Rows beyond `SELECTION_MAX` are left out.
 */
export function readSelection(hit: GridHit, options: ReadRowOptions): RowContext[] {
  const rows = selectedRows(hit.adapter, hit.row.root);
  if (rows.length < 2) return [];
  return rows.slice(0, SELECTION_MAX).map((row) => readRow({ adapter: hit.adapter, row }, options).context);
}
