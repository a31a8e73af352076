import type { GridSelectorConfig } from '../../core/settings.ts';
import { headerLabel } from '../grid/cell-text.ts';
import { type GridAdapter, rowElementBox } from '../grid/grid-adapter.ts';
import { isSiteSelectorAdapter, siteSelectorAdapter } from '../grid/site-selectors.ts';
import type { GridSelectors } from './derive-selectors.ts';

/**
 * What teach mode shows: the grid Gridside reads (by a built-in adapter, by a saved per-site config, or by
 * the selectors the analyst just taught), its header cells with the column label each one stands for (the
 * label the field mapping is keyed by), and the data rows on screen.
 */

export type GridSource = 'built-in' | 'saved' | 'taught';

export interface GridModel {
  adapter: GridAdapter;
  root: Element;
  source: GridSource;
  /** For a saved or taught grid: its selectors (a saved one's root is what a new teaching replaces). */
  selectors: GridSelectors | null;
  headers: Array<{ el: Element; label: string }>;
}

/** Header cells of the built-in grids: the outermost one where a header cell holds another. */
const BUILT_IN_HEADERS = '.ag-header-cell, [role="columnheader"], th';
/** Group headers above the leaf headers are not columns. */
const GROUP_HEADER =
  '.ag-header-group-cell, th[colspan]:not([colspan="1"]), [aria-colspan]:not([aria-colspan="1"])';

function safeAll(scope: ParentNode, selector: string | undefined): Element[] {
  if (!selector) return [];
  try {
    return [...scope.querySelectorAll(selector)];
  } catch {
    return [];
  }
}

function visible(el: Element): boolean {
  const box = el.getBoundingClientRect();
  return box.width > 0 && box.height > 0;
}

const normal = (label: string) => label.toLowerCase().replace(/[^\p{L}\p{N}]+/gu, '');

/**
 * Built-in grids: header elements matched to the adapter's columns by what the header shows (a leaf
 * "Host" under "Origin" is the column "Host (Origin)"; the second "Host" the second such column), else by
 * position.
 */
function builtInHeaders(adapter: GridAdapter, root: Element): GridModel['headers'] {
  const matches = safeAll(root, BUILT_IN_HEADERS).filter((el) => !el.matches(GROUP_HEADER));
  const cells = matches.filter((el) => !matches.some((other) => other !== el && other.contains(el)));
  const columns = adapter.columns(root);
  const seen = new Map<string, number>();
  return cells.filter(visible).map((el, i) => {
    const text = normal(headerLabel(el));
    const nth = seen.get(text) ?? 0;
    seen.set(text, nth + 1);
    const column =
      columns.filter((c) => normal(c.label) === text || normal(c.leaf ?? '') === text)[nth] ?? columns[i];
    return { el, label: column?.label ?? headerLabel(el) };
  });
}

function selectorsOf(config: GridSelectorConfig): GridSelectors | null {
  const header = 'headerCell' in config.columnKey ? config.columnKey.headerCell : config.header;
  return header ? { root: config.root, row: config.row, cell: config.cell, header } : null;
}

export function modelFor(adapter: GridAdapter, root: Element, source?: GridSource): GridModel {
  if (isSiteSelectorAdapter(adapter)) {
    return {
      adapter,
      root,
      source: source ?? 'saved',
      selectors: selectorsOf(adapter.config),
      headers: safeAll(root, adapter.headerSelector)
        .map((el) => ({ el, label: headerLabel(el) }))
        .filter((h) => h.label !== ''),
    };
  }
  return { adapter, root, source: 'built-in', selectors: null, headers: builtInHeaders(adapter, root) };
}

/** A model for selectors the analyst just taught (not saved yet). */
export function taughtModel(origin: string, selectors: GridSelectors, root: Element): GridModel {
  const adapter = siteSelectorAdapter({
    origin,
    root: selectors.root,
    row: selectors.row,
    cell: selectors.cell,
    columnKey: { headerCell: selectors.header },
    header: selectors.header,
    kind: 'log',
  });
  return { ...modelFor(adapter, root, 'taught'), selectors };
}

/**
 * The grid Gridside reads on this page: the one the analyst last used (`near`), else the largest one on
 * screen; per-site configs first, as when reading rows.
 */
export function detectGrid(adapters: readonly GridAdapter[], near: Element | null): GridModel | null {
  let best: { adapter: GridAdapter; root: Element; area: number } | null = null;
  for (const adapter of adapters) {
    for (const root of adapter.findRoots(document)) {
      if (near && root.contains(near)) return modelFor(adapter, root);
      const box = root.getBoundingClientRect();
      const area = Math.max(0, Math.min(box.bottom, innerHeight) - Math.max(box.top, 0)) * box.width;
      if (area > 0 && (!best || area > best.area)) best = { adapter, root, area };
    }
  }
  return best ? modelFor(best.adapter, best.root) : null;
}

/** Candidate row elements in the built-in grids; a per-site grid names its own. */
const ROW_CANDIDATES = '.ag-row, [role="row"], tr';

/**
 * The data rows of the grid the analyst can see (at most `limit`), for the outlines: inside the window and
 * inside the grid's own box (rows scrolled out of a grid's body are still laid out below it).
 */
export function rowsShown(model: GridModel, limit = 60): Element[] {
  const selector = isSiteSelectorAdapter(model.adapter) ? model.adapter.rowSelector : ROW_CANDIDATES;
  const grid = model.root.getBoundingClientRect();
  const top = Math.max(0, grid.top);
  const bottom = Math.min(innerHeight, grid.bottom);
  const rows: Element[] = [];
  for (const el of safeAll(model.root, selector)) {
    if (rows.length >= limit) break;
    const row = model.adapter.rowFromTarget(model.root, el);
    if (!row || row.primary !== el || rows.includes(el)) continue;
    const box = rowElementBox(el);
    const middle = (box.top + box.bottom) / 2;
    if (box.height > 0 && middle > top && middle < bottom) rows.push(el);
  }
  return rows;
}
