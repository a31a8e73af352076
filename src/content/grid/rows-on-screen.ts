import type { RowContext, RowKind } from '../../core/row-context.ts';
import type { ContentSession } from '../content-session.ts';
import type { GridAdapter, GridColumn } from './grid-adapter.ts';
import { type GridHit, rowAt } from './grids.ts';
import { perTask } from './per-task.ts';
import { readRow } from './read-row.ts';
import { type RowBox, rowBox } from './row-box.ts';

/**
 * The data rows a grid has rendered AND the analyst can see, each with its row key (RowContext.key, read
 * from the live DOM now). Used by features that annotate many rows at once (pin markers); reads only,
 * so call it from a read phase. Rows are recycled: a result is true for this frame and nothing longer.
 */

export interface RowOnScreen {
  hit: GridHit;
  key: string;
  kind: RowKind;
  box: RowBox;
  /** The row as read for its key, for features that need its fields too (auto-enrichment). */
  context: RowContext;
}

/** Elements that may be data rows in the built-in grids; the adapter that owns the grid decides. */
const ROW_CANDIDATES = '.ag-row, [role="row"], tr';

/** A per-site adapter names its own row selector (site-selectors.ts); built-ins use ROW_CANDIDATES. */
function candidateSelector(adapter: GridAdapter): string {
  const own = (adapter as { rowSelector?: unknown }).rowSelector;
  return typeof own === 'string' && own !== '' ? `${ROW_CANDIDATES}, ${own}` : ROW_CANDIDATES;
}

function safeAll(scope: ParentNode, selector: string): Element[] {
  try {
    return [...scope.querySelectorAll(selector)];
  } catch {
    return [...scope.querySelectorAll(ROW_CANDIDATES)];
  }
}

/** The band of the window where a grid's rows can be seen: below its header, inside the window. */
export interface RowClip {
  top: number;
  bottom: number;
}

const NOTHING_SHOWN: RowClip = { top: 0, bottom: 0 };

/**
 * Whether the analyst can see the grid at all. A console that keeps its inactive tabs laid out, hidden with
 * `visibility: hidden` and often moved off screen, still gives their rows boxes: without this check those
 * rows would get marks, and auto-enrichment would run on rows nobody can see. Under `display: none` rows
 * have no box, so the band is empty anyway.
 */
function gridVisible(root: Element, outer: DOMRect): boolean {
  const width = document.documentElement.clientWidth || window.innerWidth;
  if (outer.right <= 0 || outer.left >= width) return false;
  if (typeof root.checkVisibility === 'function') return root.checkVisibility({ visibilityProperty: true });
  return getComputedStyle(root).visibility === 'visible';
}

/** The part of a grid where rows scroll (below its header), clipped to the window; empty if it is hidden. */
export function rowClip(adapter: GridAdapter, root: Element): RowClip {
  const outer = root.getBoundingClientRect();
  if (!gridVisible(root, outer)) return NOTHING_SHOWN;
  const body = adapter.watchTarget(root).getBoundingClientRect();
  return {
    top: Math.max(outer.top, body.top, 0),
    bottom: Math.min(outer.bottom, body.bottom || outer.bottom, window.innerHeight),
  };
}

/** Whether most of the row is inside the grid's visible band. */
export function isShown(box: RowBox, clip: RowClip): boolean {
  const middle = (box.top + box.bottom) / 2;
  return box.bottom > box.top && middle > clip.top && middle < clip.bottom;
}

/** The page's grids by one adapter, found once per task (the marks' refresh watches them, then reads them). */
export const rootsOf = perTask((adapter: GridAdapter) => adapter.findRoots(document));

export function rowsOnScreen(session: ContentSession, limit = 200): RowOnScreen[] {
  const roots = new Map<Element, GridAdapter>();
  for (const adapter of session.adapters) {
    for (const root of rootsOf(adapter)) if (!roots.has(root)) roots.set(root, adapter);
  }
  const seen = new Set<Element>();
  const rows: RowOnScreen[] = [];
  const clips = new Map<Element, RowClip>();
  const columnsOf = new Map<Element, GridColumn[]>();
  const clipOf = (adapter: GridAdapter, root: Element) => {
    let clip = clips.get(root);
    if (!clip) {
      clip = rowClip(adapter, root);
      clips.set(root, clip);
    }
    return clip;
  };
  for (const [root, adapter] of roots) {
    // Behind the page's modal dialog: inert for the analyst, so no marks on top of the dialog.
    if (!session.overlay.topLayer.isUsable(root)) continue;
    const clip = clipOf(adapter, root);
    if (clip.bottom <= clip.top) continue;
    for (const candidate of safeAll(root, candidateSelector(adapter))) {
      if (rows.length >= limit) return rows;
      const hit = rowAt(session.adapters, candidate);
      if (!hit || seen.has(hit.row.primary)) continue;
      seen.add(hit.row.primary);
      const box = rowBox(hit);
      if (!isShown(box, clipOf(hit.adapter, hit.row.root))) continue;
      // Every row of a grid has the same columns: their headers are read once per grid, not per row.
      let columns = columnsOf.get(hit.row.root);
      if (!columns) {
        columns = hit.adapter.columns(hit.row.root);
        columnsOf.set(hit.row.root, columns);
      }
      const { context } = readRow(hit, {
        console: session.origin,
        fieldOverrides: session.fieldOverrides,
        columns,
      });
      rows.push({ hit, key: context.key.value, kind: context.kind, box, context });
    }
  }
  return rows;
}
