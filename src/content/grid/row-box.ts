import { rowElementBox } from './grid-adapter.ts';
import type { GridHit } from './grids.ts';

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
}

/** How far left and right a grid's rows can be seen: the same for all its rows. */
interface GridSpan {
  left: number;
  right: number;
}

/**
 * Grid spans read in the current task, so reading many rows (the rows on screen, the marks) reads the
 * grid's own box and its scrolling wrapper once, not once per row. Forgotten at the next microtask: by
 * then the page may have moved or resized the grid.
 */
let spans: Map<Element, GridSpan> | undefined;

function gridSpan(root: Element): GridSpan {
  if (!spans) {
    spans = new Map();
    queueMicrotask(() => {
      spans = undefined;
    });
  }
  let span = spans.get(root);
  if (span) return span;
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
  span = { left: box.left, right };
  spans.set(root, span);
  return span;
}

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
