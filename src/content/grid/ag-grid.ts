import { cellText, headerLabel } from './cell-text.ts';
import {
  type GridAdapter,
  type GridColumn,
  type GridRow,
  groupedColumn,
  intAttribute,
  targetElement,
} from './grid-adapter.ts';

/**
 * ag-Grid, both DOM layouts (docs/architecture.md §4):
 * - ≥ 36: one `.ag-row` per logical row; pinned cells live inside it in sticky wrappers.
 * - ≤ 35: a logical row is split into parts in the pinned-left, center, pinned-right and full-width
 *   containers; the parts share `row-id` (and `row-index`) within the same band (body, floating, sticky).
 * Cells map to headers by `col-id`, never by position: DOM order is not visual order after a column move.
 * A cell spanning rows (row spanning) is outside all of them, and read with each row it covers.
 */

const ROOT = '.ag-root-wrapper';
const BAND =
  '.ag-body, .ag-body-viewport, .ag-floating-top, .ag-floating-bottom, .ag-sticky-top, .ag-sticky-bottom';
const CELL = '[role="gridcell"][col-id], .ag-cell[col-id]';
const NOT_DATA = /^(t-|b-|row-group-|detail)/;

/** Header labels seen per grid and column: headers are virtualized like cells, but col-id labels are
 * stable, so a column scrolled out of view can still be named as missing. Labels only — never values. */
const seenLabels = new WeakMap<Element, Map<string, GridColumn>>();

/**
 * Column group headers ("Origin" over Host, IP Address, User; "Network" inside "Origin") with the
 * `aria-colindex` range they cover, outermost first: each header container (pinned left, centre, pinned
 * right) holds its header rows top to bottom.
 */
function groupHeaders(root: Element): Array<{ start: number; end: number; label: string }> {
  const groups: Array<{ start: number; end: number; label: string }> = [];
  for (const cell of root.querySelectorAll('.ag-header-group-cell[aria-colindex]')) {
    const start = intAttribute(cell, 'aria-colindex')!;
    const label = headerLabel(cell.querySelector('.ag-header-group-text') ?? cell);
    if (label) groups.push({ start, end: start + (intAttribute(cell, 'aria-colspan') ?? 1), label });
  }
  return groups;
}

/**
 * A cell spanning rows (enableCellSpan) is drawn once, in a `.ag-spanned-row` carrying the row-index of
 * the first row it covers, in a `.ag-spanning-container` beside the rows: inside their container (≥ 36)
 * or next to it (≤ 35).
 */
const spanningIn = (container: Element | null | undefined) =>
  container?.querySelector(':scope > .ag-spanning-container');

function rowOf(el: Element, root: Element): Element | null {
  // Pointing at a spanned cell is pointing at the first row it covers.
  const spanned = el.closest('.ag-spanned-row');
  const row = spanned
    ? spanned.parentElement!.parentElement!.querySelector(
        `.ag-row[row-index="${spanned.getAttribute('row-index')}"]`,
      )
    : el.closest('.ag-row');
  if (!row || !root.contains(row) || row.closest('.ag-header')) return null;
  if (row.matches('.ag-row-loading, .ag-full-width-row, .ag-row-group')) return null;
  const rowId = row.getAttribute('row-id') ?? '';
  if (NOT_DATA.test(rowId)) return null;
  return row;
}

function valueElement(cell: Element): Element {
  if (cell.matches('.ag-cell-value')) return cell;
  return cell.querySelector('.ag-cell-value') ?? cell;
}

export const agGridAdapter: GridAdapter = {
  id: 'ag-grid',
  findRoots: (scope) => [...scope.querySelectorAll(ROOT)],
  rootOf: (el) => el.closest(ROOT),

  rowFromTarget(root, target) {
    const el = targetElement(target);
    const row = el && rowOf(el, root);
    if (!row) return null;
    const hints: GridRow['hints'] = {};
    const rowId = row.getAttribute('row-id');
    const rowIndex = row.getAttribute('row-index');
    if (rowId != null) hints.rowId = rowId;
    if (rowIndex != null) hints.rowIndex = rowIndex;
    // ≤ 35: anchor to the first part in DOM order (pinned-left comes first) so every part gives one row.
    const parts = agGridAdapter.rowParts({ root, primary: row, hints });
    return { root, primary: parts[0] ?? row, hints };
  },

  rowParts(row) {
    const { primary, root, hints } = row;
    // ≥ 36 layout: the row element holds every cell.
    if (
      primary.closest('.ag-grid-scrolling-container, .ag-grid-pinned-top-rows') ||
      !root.querySelector('.ag-center-cols-container')
    ) {
      return [primary];
    }
    const band = primary.closest(BAND) ?? root;
    const [attr, value] = hints.rowId != null ? ['row-id', hints.rowId] : ['row-index', hints.rowIndex];
    if (value == null) return [primary];
    return [...band.querySelectorAll('.ag-row')].filter((part) => part.getAttribute(attr) === value);
  },

  columns(root) {
    let known = seenLabels.get(root);
    if (!known) {
      known = new Map();
      seenLabels.set(root, known);
    }
    const groups = groupHeaders(root);
    for (const header of root.querySelectorAll('.ag-header-cell[col-id]')) {
      const key = header.getAttribute('col-id')!;
      const leaf = headerLabel(header.querySelector('.ag-header-cell-text') ?? header);
      if (!leaf) continue;
      // Every group over it, outermost first ("Network" alone would not say whose); none without an index.
      const index = intAttribute(header, 'aria-colindex') ?? 0;
      const over = groups.filter((g) => g.start <= index && index < g.end).map((g) => g.label);
      known.set(key, groupedColumn(key, leaf, over));
    }
    return [...known.values()];
  },

  readCells(row) {
    const cells = new Map<string, string>();
    const read = (cell: Element) => cells.set(cell.getAttribute('col-id')!, cellText(valueElement(cell)));
    for (const part of agGridAdapter.rowParts(row)) {
      for (const cell of part.querySelectorAll(CELL)) {
        if (cell.closest('.ag-row') === part) read(cell); // not a nested grid's, inside a cell renderer
      }
      // The cells spanning down over this row: drawn once beside the rows they cover, shown in all of them.
      const at = Number(part.getAttribute('row-index'));
      const spanning = spanningIn(part.parentElement) ?? spanningIn(part.parentElement?.parentElement);
      for (const cell of spanning?.querySelectorAll('.ag-spanned-cell') ?? []) {
        const first = Number(cell.closest('.ag-spanned-row')?.getAttribute('row-index'));
        if (first <= at && at < first + intAttribute(cell, 'aria-rowspan')!) read(cell);
      }
    }
    return cells;
  },

  columnCount: (root) =>
    intAttribute(root.querySelector('[role="grid"], [role="treegrid"]'), 'aria-colcount'),
  rowCount(root) {
    const total = intAttribute(root.querySelector('[role="grid"], [role="treegrid"]'), 'aria-rowcount');
    // ≤ 35 repeats the header row in each pinned container: count header rows by their aria-rowindex.
    const headerRows =
      new Set([...root.querySelectorAll('.ag-header-row')].map((r) => r.getAttribute('aria-rowindex')))
        .size || 1;
    return total == null ? undefined : Math.max(0, total - headerRows);
  },
  watchTarget: (root) => root.querySelector('.ag-grid-scrolling-rows, .ag-body') ?? root,
  watchAttributes: ['row-id', 'row-index'],
};
