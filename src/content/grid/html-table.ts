import { cellText, headerLabel, isHidden } from './cell-text.ts';
import type { GridAdapter, GridColumn } from './grid-adapter.ts';
import { targetElement } from './grid-adapter.ts';

/**
 * Plain `<table>` with a `<thead>` (docs/architecture.md §4). Columns are positions, computed with colspan and
 * rowspan arithmetic over the head; the label of a position is the lowest header cell covering it. A
 * header spanning two positions names them `host` and `host#2`; a body cell spanning several positions
 * gives its value to the first.
 */

type TableCellLike = HTMLTableCellElement;

/** Position → header cell, filling the head's grid like the HTML table model does. */
function headGrid(table: HTMLTableElement): Map<number, { cell: TableCellLike; offset: number }> {
  const byPosition = new Map<number, { cell: TableCellLike; offset: number }>();
  const rows = table.tHead ? [...table.tHead.rows] : [];
  const taken: Array<Set<number>> = rows.map(() => new Set());
  rows.forEach((row, r) => {
    let position = 0;
    for (const cell of row.cells) {
      while (taken[r]!.has(position)) position += 1;
      const span = Math.max(1, cell.colSpan || 1);
      const down = Math.max(1, cell.rowSpan || 1);
      for (let i = 0; i < span; i += 1) {
        for (let k = 0; k < down && r + k < rows.length; k += 1) taken[r + k]!.add(position + i);
        byPosition.set(position + i, { cell, offset: i });
      }
      position += span;
    }
  });
  return byPosition;
}

function isBodyRow(row: Element, table: Element): row is HTMLTableRowElement {
  if (row.closest('table') !== table) return false;
  const section = row.parentElement;
  return section?.tagName !== 'THEAD';
}

export const htmlTableAdapter: GridAdapter = {
  id: 'table',
  findRoots: (scope) =>
    [...scope.querySelectorAll('table')].filter((t) => t.querySelector(':scope > thead th')),
  rootOf(el) {
    const table = el.closest('table');
    return table?.querySelector(':scope > thead th') ? table : null;
  },

  rowFromTarget(root, target) {
    const el = targetElement(target);
    const row = el?.closest('tr');
    if (!row || !isBodyRow(row, root) || row.parentElement?.tagName === 'TFOOT') return null;
    if (!row.querySelector(':scope > td')) return null; // a header row inside tbody
    return { root, primary: row, hints: { rowIndex: String(row.sectionRowIndex) } };
  },

  rowParts: (row) => [row.primary],

  columns(root) {
    const columns: GridColumn[] = [];
    for (const [position, { cell, offset }] of headGrid(root as HTMLTableElement)) {
      const label = headerLabel(cell);
      if (label)
        columns.push({ key: String(position), label: offset === 0 ? label : `${label}#${offset + 1}` });
    }
    return columns;
  },

  readCells(row) {
    const cells = new Map<string, string>();
    let position = 0;
    for (const cell of (row.primary as HTMLTableRowElement).cells) {
      if (!isHidden(cell)) cells.set(String(position), cellText(cell));
      position += Math.max(1, cell.colSpan || 1);
    }
    return cells;
  },

  columnCount: (root) => headGrid(root as HTMLTableElement).size || undefined,
  watchTarget: (root) => (root as HTMLTableElement).tBodies[0] ?? root,
  watchAttributes: [],
};
