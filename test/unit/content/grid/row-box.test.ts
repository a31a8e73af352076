// @vitest-environment jsdom
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { agGridAdapter } from '../../../../src/content/grid/ag-grid.ts';
import { rowBox } from '../../../../src/content/grid/row-box.ts';

/**
 * jsdom has no layout: each element's box is set by the test. A ≥ v36 ag-Grid row is as wide as all its
 * columns; the analyst sees it only up to the grid's right edge, less the grid's own scrollbar.
 */
const boxes = new Map<Element, DOMRect>();
const realRect = Element.prototype.getBoundingClientRect;
beforeAll(() => {
  Element.prototype.getBoundingClientRect = function (this: Element) {
    return boxes.get(this) ?? DOMRect.fromRect({ x: 0, y: 0, width: 0, height: 0 });
  };
});
afterEach(() => {
  boxes.clear();
  document.body.replaceChildren();
});
afterAll(() => {
  Element.prototype.getBoundingClientRect = realRect;
});

function grid(rows: number) {
  const root = document.createElement('div');
  root.className = 'ag-root-wrapper';
  const scrolling = document.createElement('div');
  scrolling.className = 'ag-grid-scrolling-container';
  root.append(scrolling);
  const hits = Array.from({ length: rows }, (_, i) => {
    const row = document.createElement('div');
    row.className = 'ag-row';
    row.setAttribute('row-index', String(i));
    scrolling.append(row);
    boxes.set(row, DOMRect.fromRect({ x: 0, y: 60 + i * 30, width: 3000, height: 30 }));
    return { adapter: agGridAdapter, row: { root, primary: row, hints: { rowIndex: String(i) } } };
  });
  document.body.append(root);
  Object.defineProperty(document.documentElement, 'clientWidth', { configurable: true, value: 1400 });
  return { root, hits };
}

describe('rowBox', () => {
  it('ends a wide row at the grid’s visible edge, less its scrollbar', () => {
    const { root, hits } = grid(2);
    boxes.set(root, DOMRect.fromRect({ x: 100, y: 0, width: 900, height: 700 }));
    expect(rowBox(hits[1]!)).toEqual({ top: 90, bottom: 120, left: 100, right: 982 });
  });

  it('reads the grid’s own box once for all the rows read in one go, and again once the page may have moved it', async () => {
    const { root, hits } = grid(3);
    boxes.set(root, DOMRect.fromRect({ x: 0, y: 0, width: 900, height: 700 }));
    let gridReads = 0;
    const boxOf = Element.prototype.getBoundingClientRect;
    root.getBoundingClientRect = function () {
      gridReads += 1;
      return boxOf.call(this);
    };
    expect(hits.map((hit) => rowBox(hit).right)).toEqual([882, 882, 882]);
    expect(gridReads).toBe(1);

    // The page narrows the grid: rows read after this task see the new edge.
    boxes.set(root, DOMRect.fromRect({ x: 0, y: 0, width: 600, height: 700 }));
    expect(rowBox(hits[0]!).right).toBe(882); // the same task: the box read a moment ago
    await Promise.resolve();
    expect(rowBox(hits[0]!).right).toBe(582);
    expect(gridReads).toBe(2);
  });
});
