import { cellText, headerLabel, isHidden } from './cell-text.ts';
import {
  type GridAdapter,
  type GridColumn,
  type GridRow,
  groupedColumn,
  intAttribute,
  rowElementBox,
  targetElement,
} from './grid-adapter.ts';
import { perTask } from './per-task.ts';

/**
 * The generic WAI-ARIA grid: `role=grid|treegrid` containers, `role=row` rows, cells keyed by their
 * column index (`aria-colindex`, or the one a library writes in its place; else by position,
 * `aria-colspan` counted), header rows (those holding `columnheader`s) excluded. What real grids add on
 * top, and how each is read:
 * - Grouped headers: several header rows, a group header spanning its leaves (`aria-colspan`, or its
 *   position). A leaf is labelled with its group, `Host (Origin)`.
 * - Nested header elements (ui-grid puts a `columnheader` inside its `columnheader`): the innermost one is
 *   the column, counted once.
 * - Render containers (ui-grid's pinned-left and body, Kendo's locked columns): each container has its own
 *   header row and its own part of every row. A row's parts are joined by `aria-owns` when the grid says
 *   so, else by `aria-rowindex`, else by their position on screen; positional column keys are counted per
 *   container.
 * A column the grid counts in `aria-colcount` but does not render, or renders hidden, is missing — never
 * guessed.
 */

const ROOT = '[role="grid"], [role="treegrid"]';
const ROW = '[role="row"]';
const HEADER = '[role="columnheader"]';
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
  return row.querySelector(HEADER) !== null;
}

/** Header cells of a row that hold no other header cell: one per column, however deeply nested. */
function leafHeaders(row: Element): Element[] {
  return [...row.querySelectorAll(HEADER)].filter((header) => !header.querySelector(HEADER));
}

/**
 * The column a cell or header stands in, 1-based: `aria-colindex`, else the 0-based
 * `data-gridcell-column-index` Elastic EUI writes instead. EUI draws only the columns in view and, after a
 * scroll back left, adds a row's first cells after the others: there neither DOM order nor position says
 * which column a cell is in, and reading by position would send a plugin the wrong column's values.
 */
function columnIndexOf(el: Element | null | undefined): number | undefined {
  const aria = intAttribute(el, 'aria-colindex');
  if (aria !== undefined) return aria;
  const zeroBased = intAttribute(el, 'data-gridcell-column-index');
  return zeroBased === undefined ? undefined : zeroBased + 1;
}

/** A header's column index, or its enclosing header's when only the outer element carries one. */
function headerColIndex(header: Element): number | undefined {
  return columnIndexOf(header) ?? columnIndexOf(header.parentElement?.closest(HEADER));
}

function hasDataRow(scope: Element): boolean {
  for (const row of scope.querySelectorAll(ROW)) if (!isHeaderRow(row)) return true;
  return false;
}

interface RenderContainer {
  el: Element;
  /** Header rows, top to bottom (by `aria-rowindex` when every row has one, else document order). */
  headerRows: Element[];
}

interface Layout {
  containers: RenderContainer[];
  /** The grid's columns, read once per task like the rest of the layout. */
  columns?: GridColumn[];
  /** Cells carry their column index: column keys are grid-wide and need no container prefix. */
  colIndexed: boolean;
}

/**
 * The container of a header row: its nearest ancestor that also holds data rows. A grid with one header
 * and one body has one container (their common ancestor); ui-grid's pinned-left and body halves have one
 * each.
 */
function containerOf(headerRow: Element, root: Element): Element {
  for (let el = headerRow.parentElement; el && el !== root; el = el.parentElement) {
    if (hasDataRow(el)) return el;
  }
  return root;
}

/** The layout, read once per task (per-task.ts): reading the rows on screen asks for it once per row. */
const layoutOf = perTask((root: Element): Layout => {
  const byContainer = new Map<Element, Element[]>();
  for (const row of root.querySelectorAll(ROW)) {
    if (!isHeaderRow(row) || row.parentElement?.closest(ROOT) !== root) continue;
    const container = containerOf(row, root);
    byContainer.set(container, [...(byContainer.get(container) ?? []), row]);
  }
  const containers = [...byContainer]
    .flatMap(([el, rows]) => sideBySide(el, rows, root))
    .map(([el, rows]): RenderContainer => {
      const indexed = rows.every((row) => intAttribute(row, 'aria-rowindex') !== undefined);
      const headerRows = indexed
        ? [...rows].sort((a, b) => intAttribute(a, 'aria-rowindex')! - intAttribute(b, 'aria-rowindex')!)
        : rows;
      return { el, headerRows };
    });
  const colIndexed = containers.some(({ headerRows }) =>
    headerRows.some((row) => leafHeaders(row).some((header) => headerColIndex(header) !== undefined)),
  );
  return { containers, colIndexed };
});

/**
 * Header rows of one container that sit side by side rather than stacked: SlickGrid's frozen columns put
 * a header row in each pane and each row's cells in a canvas per pane, under one ancestor. When the header
 * rows have different parents and the data rows live in as many canvases, each header row goes with the
 * canvas in the same document order (left pane, then right). Stacked group rows share a parent.
 */
function sideBySide(container: Element, rows: Element[], root: Element): Array<[Element, Element[]]> {
  const parents = [...new Set(rows.map((row) => row.parentElement))];
  if (parents.length < 2) return [[container, rows]];
  const lanes: Element[] = [];
  for (const row of container.querySelectorAll(ROW)) {
    if (isHeaderRow(row) || rootOf(row) !== root || !row.parentElement) continue;
    if (!lanes.includes(row.parentElement)) lanes.push(row.parentElement);
    if (lanes.length > parents.length) return [[container, rows]];
  }
  if (lanes.length !== parents.length) return [[container, rows]];
  return parents.map((parent, i) => [lanes[i]!, rows.filter((row) => row.parentElement === parent)]);
}

/** The innermost render container holding `el` (its index in the layout), or -1. */
function containerIndex(layout: Layout, el: Element): number {
  let best = -1;
  layout.containers.forEach((container, i) => {
    if (!container.el.contains(el)) return;
    if (best < 0 || layout.containers[best]!.el.contains(container.el)) best = i;
  });
  return best;
}

/** Column key prefix for positional keys when a grid has several render containers. */
function prefix(layout: Layout, container: number): string {
  return layout.colIndexed || layout.containers.length < 2 ? '' : `${Math.max(0, container)}:`;
}

/** A header with the column positions it covers (1-based, `aria-colspan` counted). */
interface HeaderSpan {
  header: Element;
  start: number;
  span: number;
}

/** Each header of a row with the column positions it covers. */
function spans(row: Element): HeaderSpan[] {
  const out: HeaderSpan[] = [];
  let next = 1;
  for (const header of leafHeaders(row)) {
    const start = headerColIndex(header) ?? next;
    const span = intAttribute(header, 'aria-colspan') ?? 1;
    out.push({ header, start, span: Math.max(1, span) });
    next = start + Math.max(1, span);
  }
  return out;
}

/** The label of a `columngroup` without the headers it holds (Tabulator writes it in `aria-title`), or ''. */
function columnGroupLabel(group: Element): string {
  const named = group.getAttribute('aria-label') ?? group.getAttribute('aria-title');
  if (named?.trim()) return named.trim();
  for (let child = group.firstElementChild; child; child = child.nextElementSibling) {
    if (child.matches(HEADER) || child.querySelector(HEADER)) continue;
    const label = headerLabel(child);
    if (label) return label;
  }
  return '';
}

/**
 * Groups a header row does not spell out as rows of their own, outermost first: the enclosing
 * `role=columngroup`s (Tabulator nests one in another), or SlickGrid's "pre-header" panel above each
 * pane's header row, whose group cells are plain elements placed by width — a leaf belongs to the one
 * spanning its centre.
 */
function enclosingGroups(header: Element): string[] {
  const group = header.parentElement?.closest('[role="columngroup"]');
  if (group) return [...enclosingGroups(group), columnGroupLabel(group)];
  const panel = header.closest('.slick-pane')?.querySelector('.slick-preheader-panel');
  const cell = panel && drawnOver(header, [...panel.querySelectorAll('.slick-header-column')]);
  return cell ? [headerLabel(cell)] : [];
}

/** The one of `candidates` drawn across the horizontal centre of `el`, when `el` is drawn. */
function drawnOver(el: Element, candidates: Element[]): Element | undefined {
  const box = el.getBoundingClientRect();
  const middle = (box.left + box.right) / 2;
  return box.width > 0
    ? candidates.find((candidate) => {
        const over = candidate.getBoundingClientRect();
        return over.width > 0 && over.left <= middle && middle < over.right;
      })
    : undefined;
}

/**
 * The header of a row above that covers the leaf `leaf` at `position`: the one drawn over the leaf's
 * centre, else the one whose column range holds `position`. The drawing wins because it is what the
 * analyst reads: MUI X, scrolled right, numbers a group header from the first column in view while it
 * still spans all its columns, so every group after it claims columns a few places to the right.
 */
function coveringHeader(row: HeaderSpan[], leaf: Element, position: number): HeaderSpan | undefined {
  const drawn = drawnOver(
    leaf,
    row.map((s) => s.header),
  );
  return row.find((s) => (drawn ? s.header === drawn : s.start <= position && position < s.start + s.span));
}

/** The columns of one render container: each leaf header with the group headers above it. */
function containerColumns(container: RenderContainer, keyPrefix: string): GridColumn[] {
  const rows = container.headerRows.map(spans);
  const columns = new Map<number, GridColumn>();
  for (let r = rows.length - 1; r >= 0; r -= 1) {
    for (const { header, start, span } of rows[r]!) {
      // A header covering several positions in the lowest row that has it is a group over nothing below.
      if (span > 1 && r < rows.length - 1) continue;
      for (let position = start; position < start + span; position += 1) {
        if (columns.has(position)) continue;
        const leaf = headerLabel(header);
        if (!leaf) continue;
        // Every group header above it, outermost first: "Network" alone would not say whose.
        const groups: string[] = [];
        for (let above = 0; above < r; above += 1) {
          const covering = coveringHeader(rows[above]!, header, position);
          if (covering) groups.push(headerLabel(covering.header));
        }
        columns.set(
          position,
          groupedColumn(`${keyPrefix}${position}`, leaf, groups.length ? groups : enclosingGroups(header)),
        );
      }
    }
  }
  return [...columns].sort(([a], [b]) => a - b).map(([, column]) => column);
}

/** Cells of a row's parts, each with its key: its column index, else its position within its part. */
function keyedCells(layout: Layout, parts: Element[]): Array<[string, Element]> {
  const out: Array<[string, Element]> = [];
  const several = layout.containers.length > 1 && !layout.colIndexed;
  let position = 0;
  for (const part of parts) {
    if (several) position = 0;
    const keyPrefix = several ? prefix(layout, containerIndex(layout, part)) : '';
    const cells = part.matches(CELL) ? [part] : [...part.querySelectorAll(CELL)];
    for (const cell of cells) {
      const index = columnIndexOf(cell);
      const key = index ?? position + 1;
      out.push([`${keyPrefix}${key}`, cell]);
      position = (index ?? position + 1) + Math.max(1, intAttribute(cell, 'aria-colspan') ?? 1) - 1;
    }
  }
  return out;
}

function rootOf(el: Element): Element | null {
  let root = el.closest(ROOT);
  // The outermost grid: a grid nested in a cell renderer is part of its row.
  while (root?.parentElement?.closest(ROOT)) root = root.parentElement.closest(ROOT);
  return root;
}

/** The data row of `container` showing the same logical row as `row`: same `aria-rowindex`, else same place. */
function partIn(container: Element, row: Element, root: Element): Element | null {
  const rowIndex = row.getAttribute('aria-rowindex');
  const candidates = [...container.querySelectorAll(ROW)].filter(
    (candidate) => !isHeaderRow(candidate) && rootOf(candidate) === root,
  );
  if (rowIndex !== null) return candidates.find((c) => c.getAttribute('aria-rowindex') === rowIndex) ?? null;
  const box = rowElementBox(row);
  if (box.height <= 0) return null;
  const middle = (box.top + box.bottom) / 2;
  return (
    candidates.find((candidate) => {
      const other = rowElementBox(candidate);
      return other.height > 0 && other.top <= middle && middle < other.bottom;
    }) ?? null
  );
}

/** Every part of the row `primary` belongs to: `aria-owns` parts, then one per other render container. */
function partsOf(primary: Element, root: Element): Element[] {
  const parts = [primary];
  const doc = primary.ownerDocument;
  for (const id of (primary.getAttribute('aria-owns') ?? '').split(/\s+/)) {
    const owned = id ? doc.getElementById(id) : null;
    if (owned && !parts.includes(owned)) parts.push(owned);
  }
  const layout = layoutOf(root);
  if (layout.containers.length < 2) return parts;
  const covered = new Set(parts.map((part) => containerIndex(layout, part)));
  layout.containers.forEach((container, i) => {
    if (covered.has(i)) return;
    const part = partIn(container.el, primary, root);
    if (part && !parts.includes(part)) parts.push(part);
  });
  // Document order: every part of the row names the same primary (pinned-left first). 4 is
  // Node.DOCUMENT_POSITION_FOLLOWING, written as the number in the script every console page loads.
  return parts.sort((a, b) => (a.compareDocumentPosition(b) & 4 ? -1 : 1));
}

export const ariaGridAdapter: GridAdapter = {
  id: 'aria',
  findRoots(scope) {
    const all = [...scope.querySelectorAll(ROOT)];
    return all.filter((el) => !all.some((other) => other !== el && other.contains(el)));
  },
  rootOf,

  rowFromTarget(root, target) {
    const el = targetElement(target);
    if (!el || el.closest(HEADER)) return null;
    const cell = el.closest(CELL);
    const row = (cell && ownerRow(cell)) ?? el.closest(ROW);
    if (!row || !root.contains(row) || isHeaderRow(row)) return null;
    const hints: GridRow['hints'] = {};
    const rowIndex = row.getAttribute('aria-rowindex');
    if (rowIndex != null) hints.rowIndex = rowIndex;
    const parts = partsOf(row, root);
    // aria-owns parts belong to the owner; positional parts are equals, the first one anchors.
    const primary = row.hasAttribute('aria-owns') ? row : (parts[0] ?? row);
    return { root, primary, hints };
  },

  rowParts: (row) => partsOf(row.primary, row.root),

  columns(root) {
    // Hidden headers are kept: their column exists, so a row that lacks it says so (`missing`).
    const layout = layoutOf(root);
    layout.columns ??= layout.containers.flatMap((container, i) =>
      containerColumns(container, prefix(layout, i)),
    );
    return layout.columns;
  },

  readCells(row) {
    const cells = new Map<string, string>();
    const layout = layoutOf(row.root);
    for (const [key, cell] of keyedCells(layout, partsOf(row.primary, row.root))) {
      if (!isHidden(cell)) cells.set(key, cellText(cell));
    }
    return cells;
  },

  columnCount: (root) => intAttribute(root, 'aria-colcount'),
  watchTarget: (root) => root,
  watchAttributes: ['aria-rowindex'],
};
