import { cellText, headerLabel, isHidden } from './cell-text.ts';
import {
  type GridAdapter,
  type GridColumn,
  type GridRow,
  intAttribute,
  targetElement,
} from './grid-adapter.ts';

/**
 * The generic WAI-ARIA grid (docs/architecture.md §4): `role=grid|treegrid` containers, `role=row` rows, cells
 * keyed by `aria-colindex` (else by position), header rows (those holding `columnheader`s) excluded.
 * A row may claim cells elsewhere with `aria-owns` (Kendo locked columns); a column the grid counts in
 * `aria-colcount` but does not render, or renders hidden, is missing — never guessed.
 */

const ROOT = '[role="grid"], [role="treegrid"]';
const CELL = '[role="gridcell"], [role="cell"], [role="rowheader"]';

function ownerRow(cell: Element): Element | null {
  const id = cell.id;
  if (!id) return null;
  for (const row of cell.ownerDocument.querySelectorAll('[role="row"][aria-owns]')) {
    if ((row.getAttribute('aria-owns') ?? '').split(/\s+/).includes(id)) return row;
  }
  return null;
}

function isHeaderRow(row: Element): boolean {
  return row.querySelector('[role="columnheader"]') !== null;
}

/** Cells of one part in order, each with its key (aria-colindex, else running position). */
function keyedCells(parts: Element[], selector = CELL): Array<[string, Element]> {
  const out: Array<[string, Element]> = [];
  let position = 0;
  for (const part of parts) {
    const cells = part.matches(selector) ? [part] : [...part.querySelectorAll(selector)];
    for (const cell of cells) {
      position += 1;
      const index = intAttribute(cell, 'aria-colindex');
      out.push([String(index ?? position), cell]);
    }
  }
  return out;
}

export const ariaGridAdapter: GridAdapter = {
  id: 'aria',
  findRoots(scope) {
    const all = [...scope.querySelectorAll(ROOT)];
    return all.filter((el) => !all.some((other) => other !== el && other.contains(el)));
  },
  rootOf(el) {
    let root = el.closest(ROOT);
    // The outermost grid: a grid nested in a cell renderer is part of its row.
    while (root?.parentElement?.closest(ROOT)) root = root.parentElement.closest(ROOT);
    return root;
  },

  rowFromTarget(root, target) {
    const el = targetElement(target);
    if (!el || el.closest('[role="columnheader"]')) return null;
    const cell = el.closest(CELL);
    const row = (cell && ownerRow(cell)) ?? el.closest('[role="row"]');
    if (!row || !root.contains(row) || isHeaderRow(row)) return null;
    const hints: GridRow['hints'] = {};
    const rowIndex = row.getAttribute('aria-rowindex');
    if (rowIndex != null) hints.rowIndex = rowIndex;
    return { root, primary: row, hints };
  },

  rowParts(row) {
    const parts = [row.primary];
    const doc = row.primary.ownerDocument;
    for (const id of (row.primary.getAttribute('aria-owns') ?? '').split(/\s+/)) {
      const owned = id ? doc.getElementById(id) : null;
      if (owned && !parts.includes(owned)) parts.push(owned);
    }
    return parts;
  },

  columns(root) {
    // Hidden headers are kept: their column exists, so a row that lacks it says so (`missing`).
    const headers = [...root.querySelectorAll('[role="columnheader"]')];
    return keyedCells(headers, '[role="columnheader"]')
      .map(([key, header]): GridColumn => ({ key, label: headerLabel(header) }))
      .filter((column) => column.label !== '');
  },

  readCells(row) {
    const cells = new Map<string, string>();
    for (const [key, cell] of keyedCells(ariaGridAdapter.rowParts(row))) {
      if (!isHidden(cell)) cells.set(key, cellText(cell));
    }
    return cells;
  },

  columnCount: (root) => intAttribute(root, 'aria-colcount'),
  watchTarget: (root) => root,
  watchAttributes: ['aria-rowindex'],
};
