import { normalizeLabel } from '../../core/fields.ts';

/**
 * How the content script sees a data grid (docs/architecture.md §4).
 *
 * An adapter maps DOM to logical rows and columns; it never caches a row's values, because grids recycle
 * row elements (docs/architecture.md §4): values are read from the live DOM when the analyst acts.
 */

/**
 * A column the grid told us about, keyed by what the cells carry (`col-id`, `aria-colindex`, position).
 * Under group headers ("Origin" over "Host") `label` is the combined one, and `leaf` and `groups`
 * (outermost first) say what the header rows showed.
 */
export interface GridColumn {
  key: string;
  label: string;
  leaf?: string;
  groups?: string[];
}

/**
 * A column under group headers (outermost first), labelled as LogRhythm writes its own: `Host (Origin)`
 * for "Host" under "Origin", `IP Address (Origin › Network)` under Origin › Network, so the same leaf
 * under two sides gets two labels. Groups the leaf already names (`IP Address (Origin)` under "Origin"),
 * untitled ones and repeats (a group header spanning two header rows) are left out; a leaf that names
 * them all keeps its label.
 */
export function groupedColumn(key: string, leaf: string, groups: string[]): GridColumn {
  const own = normalizeLabel(leaf);
  // Once each, and not when empty: every label includes ''.
  const shown = [...new Set(groups)].filter((group) => !own.includes(normalizeLabel(group)));
  return shown.length
    ? { key, label: `${leaf} (${shown.join(' › ')})`, leaf, groups: shown }
    : { key, label: leaf };
}

/** One logical row under the pointer or focus. `primary` is its first DOM part (the one to anchor to). */
export interface GridRow {
  root: Element;
  primary: Element;
  /** Raw DOM hints, not identity: the grid's row id / index attributes when it has them. */
  hints: { rowId?: string; rowIndex?: string };
}

export interface GridAdapter {
  /** `ag-grid`, `aria`, `table`, or `config:<origin>` for a per-site selector config. */
  id: string;
  /** Every grid root in `scope`. */
  findRoots(scope: ParentNode): Element[];
  /** The grid root that contains `el`, or null when this adapter does not handle it. */
  rootOf(el: Element): Element | null;
  /** The data row for an event target; null for headers, filters, overlays and non-data rows. */
  rowFromTarget(root: Element, target: EventTarget | null): GridRow | null;
  /** Every DOM piece of the logical row (pinned containers in ag-Grid ≤ 35, `aria-owns` parts). */
  rowParts(row: GridRow): Element[];
  /** Columns the grid has rendered headers for (plus any this adapter learned earlier for this root). */
  columns(root: Element): GridColumn[];
  /** Rendered cells of the row: column key → cell text. Read from the live DOM, at action time. */
  readCells(row: GridRow): Map<string, string>;
  /** How many columns the grid says it has (`aria-colcount`), when it says. */
  columnCount(root: Element): number | undefined;
  /** How many data rows the grid says it has (`aria-rowcount` minus header rows), when it says. */
  rowCount?(root: Element): number | undefined;
  /** The element to observe for row churn (one scoped observer per root, docs/architecture.md §4). */
  watchTarget(root: Element): Element;
  /** Attributes whose change means "this row element now shows another row". */
  watchAttributes: string[];
}

/** Event target → Element, looking through text nodes and open shadow roots of the page. */
export function targetElement(target: EventTarget | null): Element | null {
  if (!target || typeof (target as Node).nodeType !== 'number') return null;
  const node = target as Node;
  if (node.nodeType === 1) return node as Element;
  return node.parentElement;
}

/** Positive integer attribute, or undefined. */
export function intAttribute(el: Element | null | undefined, name: string): number | undefined {
  const raw = el?.getAttribute(name);
  if (raw == null || !/^\d+$/.test(raw)) return undefined;
  return Number(raw);
}

/**
 * An element's box on screen. Some grids' row elements have no height of their own — ui-grid floats its
 * cells inside a zero-height `role=row` — so such a row is measured by its first rendered child.
 * Layout reads only.
 */
export function rowElementBox(row: Element): DOMRect {
  const box = row.getBoundingClientRect();
  if (box.height > 0) return box;
  for (let child = row.firstElementChild; child; child = child.nextElementSibling) {
    const inner = child.getBoundingClientRect();
    if (inner.height > 0) return inner;
  }
  return box;
}
