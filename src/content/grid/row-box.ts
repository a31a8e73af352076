import { rowElementBox } from './grid-adapter.ts';
import type { GridHit } from './grids.ts';
import { perTask } from './per-task.ts';

/**
 * Where a logical row is on screen (viewport coordinates), limited to the part of it the analyst can see:
 * a ≥ v36 ag-Grid row is as wide as all its columns, and grids draw their own vertical scrollbar at their
 * right edge (ag-Grid's `.ag-body-vertical-scroll` is not a native scrollbar, so clientWidth does not
 * show it). Anchors stay left of that gutter. Layout reads only; call it from a read phase.
 */
const SCROLLBAR_GUTTER = 18;

export interface RowBox {
  top: number;
  bottom: number;
  left: number;
  right: number;
  /** Set by row-geometry.ts: the row's grid runs right to left, so its end is its left side. */
  rtl?: boolean | undefined;
}

/** How far left and right a grid's rows can be seen: the same for all its rows. */
interface GridSpan {
  left: number;
  right: number;
}

/** A grid's span, read once per task (per-task.ts) however many of its rows are read in it. */
const gridSpan = perTask((root: Element): GridSpan => {
  const box = root.getBoundingClientRect();
  let right = Math.min(box.right, document.documentElement.clientWidth) - SCROLLBAR_GUTTER;
  // A wide table inside a horizontally scrolling wrapper: stop at the wrapper's visible edge.
  let el = root.parentElement;
  for (let depth = 0; el && depth < 6 && el !== document.body; depth += 1, el = el.parentElement) {
    if (el.scrollWidth > el.clientWidth + 1) {
      right = Math.min(right, el.getBoundingClientRect().left + el.clientLeft + el.clientWidth - 2);
      break;
    }
  }
  return { left: box.left, right };
});

export function rowBox(hit: GridHit): RowBox {
  const span = gridSpan(hit.row.root);
  let top = Number.POSITIVE_INFINITY;
  let bottom = Number.NEGATIVE_INFINITY;
  let left = Number.POSITIVE_INFINITY;
  let right = Number.NEGATIVE_INFINITY;
  for (const part of hit.adapter.rowParts(hit.row)) {
    const box = rowElementBox(part);
    top = Math.min(top, box.top);
    bottom = Math.max(bottom, box.bottom);
    left = Math.min(left, box.left);
    right = Math.max(right, box.right);
  }
  return {
    top,
    bottom,
    left: Math.max(left, span.left),
    right: Math.max(Math.min(right, span.right), span.left),
  };
}
