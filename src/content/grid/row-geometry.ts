import type { GridAdapter } from './grid-adapter.ts';
import { type GridHit, rowAt } from './grids.ts';
import { type RowBox, rowBox } from './row-box.ts';

/**
 * Row boxes read right after a layout (after-layout.ts), kept until something may have moved them, so a
 * hover can place the row button at once, before the frame's own style and layout, without reading any
 * box. The owner forgets them whenever the page scrolls or resizes and whenever the grid changes its
 * rows; a box that went stale some other way (the page moved the grid) is caught by the read that follows
 * every use, after the same frame's layout and before its paint.
 */

export interface RowGeometry {
  /** The row's box as last read, or null when it was not read since the last `forget`. */
  known(hit: GridHit): RowBox | null;
  /**
   * Reads the row's box now and remembers it: call it after layout, where reading costs nothing. The box
   * says whether its grid runs right to left (`rtl`: its end is its left side); that is read once per
   * grid, after a layout too, where the computed style is already there: never in a pointer event.
   */
  read(hit: GridHit): RowBox;
  /** Reads every rendered row of the grid at `root` (up to `limit`); after layout only. */
  learnGrid(adapters: readonly GridAdapter[], adapter: GridAdapter, root: Element, limit?: number): void;
  /** Whether the rows of the grid at `root` were learned since the last `forget`. */
  learned(root: Element): boolean;

  forget(): void;
}

/** Elements that may be data rows in the built-in grids (the same as rows-on-screen.ts). */
const ROW_CANDIDATES = '.ag-row, [role="row"], tr';

export function createRowGeometry(): RowGeometry {
  let boxes = new WeakMap<Element, RowBox>();
  let grids = new WeakSet<Element>();
  // Kept across `forget`: scrolling and row churn do not turn a grid around.
  const directions = new WeakMap<Element, boolean>();
  const read = (hit: GridHit) => {
    const { root } = hit.row;
    if (!directions.has(root)) directions.set(root, getComputedStyle(root).direction === 'rtl');
    const box = rowBox(hit);
    box.rtl = directions.get(root);
    boxes.set(hit.row.primary, box);
    return box;
  };
  return {
    known: (hit) => boxes.get(hit.row.primary) ?? null,
    read,
    learnGrid(adapters, adapter, root, limit = 300) {
      grids.add(root);
      const own = (adapter as { rowSelector?: unknown }).rowSelector;
      let candidates: Element[];
      try {
        candidates = [
          ...root.querySelectorAll(
            typeof own === 'string' && own ? `${ROW_CANDIDATES}, ${own}` : ROW_CANDIDATES,
          ),
        ];
      } catch {
        candidates = [...root.querySelectorAll(ROW_CANDIDATES)];
      }
      for (const candidate of candidates.slice(0, limit)) {
        if (boxes.has(candidate)) continue;
        const hit = rowAt(adapters, candidate);
        if (hit && !boxes.has(hit.row.primary)) read(hit);
      }
    },
    learned: (root) => grids.has(root),
    forget() {
      boxes = new WeakMap();
      grids = new WeakSet();
    },
  };
}
