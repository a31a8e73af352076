import { cellText, headerLabel, isHidden } from './cell-text.ts';
import { type GridAdapter, type GridColumn, groupedColumn, targetElement } from './grid-adapter.ts';

/**
 * Plain `<table>` with a `<thead>`. Columns are positions, computed with colspan and rowspan arithmetic
 * over the head like the HTML table model does; the label of a position is the lowest header cell
 * covering it, combined with the nearest group header above it ("Host" under "Origin" → `Host (Origin)`).
 * A header spanning two positions names them `host` and `host#2`; a body cell spanning several positions
 * gives its value to the first.
 */

type TableCellLike = HTMLTableCellElement;

interface HeadColumn {
  cell: TableCellLike;
  offset: number;
  /** The nearest header above the leaf that covers this position with another cell. */
  group?: TableCellLike;
}

/** Position → its leaf header cell (and group header), filling the head's grid like the table model. */
function headGrid(table: HTMLTableElement): Map<number, HeadColumn> {
  const rows = table.tHead ? [...table.tHead.rows] : [];
  // grid[r][position] = the cell covering that slot, rowspans included.
  const grid: Array<Map<number, { cell: TableCellLike; offset: number }>> = rows.map(() => new Map());
  rows.forEach((row, r) => {
    let position = 0;
    for (const cell of row.cells) {
      while (grid[r]!.has(position)) position += 1;
      const span = Math.max(1, cell.colSpan || 1);
      const down = Math.max(1, cell.rowSpan || 1);
      for (let i = 0; i < span; i += 1) {
        for (let k = 0; k < down && r + k < rows.length; k += 1)
          grid[r + k]!.set(position + i, { cell, offset: i });
      }
      position += span;
    }
  });
  const byPosition = new Map<number, HeadColumn>();
  for (let r = rows.length - 1; r >= 0; r -= 1) {
    for (const [position, slot] of grid[r]!) {
      if (byPosition.has(position)) continue;
      const column: HeadColumn = { ...slot };
      for (let above = r - 1; above >= 0; above -= 1) {
        const group = grid[above]!.get(position)?.cell;
        if (group && group !== slot.cell) {
          column.group = group;
          break;
        }
      }
      byPosition.set(position, column);
    }
  }
  return new Map([...byPosition].sort(([a], [b]) => a - b));
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
    for (const [position, { cell, offset, group }] of headGrid(root as HTMLTableElement)) {
      const label = headerLabel(cell);
      if (!label) continue;
      const leaf = offset === 0 ? label : `${label}#${offset + 1}`;
      columns.push(groupedColumn(String(position), leaf, group && headerLabel(group)));
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
