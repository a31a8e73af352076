import { agGridAdapter } from './ag-grid.ts';
import { ariaGridAdapter } from './aria-grid.ts';
import type { GridAdapter, GridRow } from './grid-adapter.ts';
import { targetElement } from './grid-adapter.ts';
import { htmlTableAdapter } from './html-table.ts';

/**
 * The adapters in the order they are tried (docs/architecture.md §4): the analyst's per-site selector config first,
 * then ag-Grid (both layouts), then the generic ARIA grid and plain `<table>`. The per-site adapters are
 * built by site-selectors.ts (`adaptersWith`), loaded only on a console that has some.
 */

export interface GridHit {
  adapter: GridAdapter;
  row: GridRow;
}

export const BUILT_IN_ADAPTERS: readonly GridAdapter[] = [agGridAdapter, ariaGridAdapter, htmlTableAdapter];

export function adaptersFor(configured: readonly GridAdapter[] = []): GridAdapter[] {
  return [...configured, ...BUILT_IN_ADAPTERS];
}

/**
 * The data row under an event target, by the first adapter that owns the target's grid. An adapter that
 * owns the grid but finds no data row there (a header, an overlay) ends the search: a later, more generic
 * adapter must not reinterpret the same grid's header as a row.
 */
export function rowAt(adapters: readonly GridAdapter[], target: EventTarget | null): GridHit | null {
  const el = targetElement(target);
  if (!el) return null;
  for (const adapter of adapters) {
    const root = adapter.rootOf(el);
    if (!root) continue;
    const row = adapter.rowFromTarget(root, el);
    return row ? { adapter, row } : null;
  }
  return null;
}

/** The row an event happened on, looking through the page's open shadow roots to the innermost target. */
export function rowForEvent(adapters: readonly GridAdapter[], event: Event): GridHit | null {
  const path = event.composedPath();
  return rowAt(adapters, path[0] ?? event.target);
}
