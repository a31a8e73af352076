import { cellText, headerLabel, isHidden } from './cell-text.ts';
import { type GridAdapter, type GridColumn, groupedColumn, targetElement } from './grid-adapter.ts';

/**
 * Plain `<table>` with a `<thead>`. Columns are positions, computed with colspan and rowspan arithmetic
 * over the head like the HTML table model does; the label of a position is the lowest header cell
 * covering it, combined with the group headers above it ("Host" under "Origin" → `Host (Origin)`; "IP
 * Address" under "Origin" › "Network" → `IP Address (Origin › Network)`).
 * A header spanning two positions names them `host` and `host#2`; a body cell spanning several positions
 * gives its value to the first. Body rows are laid out by the same arithmetic within their row group: a
 * cell spanning down (`rowspan`) shows its value in every row it covers, so those rows read it too and
 * their later cells keep their own columns.
 */

type TableCellLike = HTMLTableCellElement;

interface Slot {
  cell: TableCellLike;
  offset: number;
}

interface HeadColumn extends Slot {
  /** The other header cells above the leaf that cover this position, outermost first (a cell spanning
   * two header rows is there twice). */
  groups: TableCellLike[];
}

/**
 * The table model's slots of `rows` (one row group): for each row, position → the cell covering it and
 * which of its columns that is, rowspans from the rows above included (`rowspan=0`: to the group's end).
 */
function slots(rows: HTMLTableRowElement[]): Array<Map<number, Slot>> {
  const grid: Array<Map<number, Slot>> = rows.map(() => new Map());
  rows.forEach((row, r) => {
    let position = 0;
    for (const cell of row.cells) {
      while (grid[r]!.has(position)) position += 1;
      const span = cell.colSpan;
      const down = cell.rowSpan || rows.length;
      for (let i = 0; i < span; i += 1) {
        for (let k = 0; k < down && r + k < rows.length; k += 1)
          grid[r + k]!.set(position + i, { cell, offset: i });
      }
      position += span;
    }
  });
  return grid;
}

/** Entries by position, left to right. */
const byPosition = <T>(map: Map<number, T>) => [...map].sort(([a], [b]) => a - b);

/** Position → its leaf header cell (and group headers), left to right, filling the head's grid like the table model. */
function headGrid(table: HTMLTableElement): Array<[number, HeadColumn]> {
  const grid = slots(table.tHead ? [...table.tHead.rows] : []);
  const columns = new Map<number, HeadColumn>();
  for (let r = grid.length - 1; r >= 0; r -= 1) {
    for (const [position, slot] of grid[r]!) {
      if (columns.has(position)) continue;
      const groups: TableCellLike[] = [];
      for (let above = 0; above < r; above += 1) {
        const group = grid[above]!.get(position)?.cell;
        if (group && group !== slot.cell) groups.push(group);
      }
      columns.set(position, { ...slot, groups });
    }
  }
  return byPosition(columns);
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
    const row = targetElement(target)?.closest('tr');
    // A body row with data cells: not in the head or the foot, not a header row inside the body.
    return row?.closest('table') === root &&
      !/^T[HF]/.test(row.parentElement!.tagName) &&
      row.querySelector(':scope > td')
      ? { root, primary: row, hints: { rowIndex: String(row.sectionRowIndex) } }
      : null;
  },

  rowParts: (row) => [row.primary],

  columns(root) {
    const columns: GridColumn[] = [];
    for (const [position, { cell, offset, groups }] of headGrid(root as HTMLTableElement)) {
      const label = headerLabel(cell);
      if (!label) continue;
      const leaf = offset === 0 ? label : `${label}#${offset + 1}`;
      columns.push(groupedColumn(String(position), leaf, groups.map(headerLabel)));
    }
    return columns;
  },

  readCells(row) {
    const cells = new Map<string, string>();
    const tr = row.primary as HTMLTableRowElement;
    // The rows of its group down to it: a cell spanning down from a row above shows in this row too.
    const grid = slots(
      [...(tr.parentElement as HTMLTableSectionElement).rows].slice(0, tr.sectionRowIndex + 1),
    );
    for (const [position, { cell, offset }] of byPosition(grid.at(-1)!))
      if (!offset && !isHidden(cell)) cells.set(String(position), cellText(cell));
    return cells;
  },

  columnCount: (root) => headGrid(root as HTMLTableElement).length || undefined,
  watchTarget: (root) => (root as HTMLTableElement).tBodies[0] ?? root,
  watchAttributes: [],
};
