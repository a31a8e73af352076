import { describe, expect, it } from 'vitest';
import {
  type Box,
  MIN_PANEL_HEIGHT,
  panelRoom,
  placePanel,
} from '../../../../src/content/panel/placement.ts';

/**
 * The panel beside its row (docs/scroll-and-hover.md, "The panel beside its row"): never over the row when
 * the window can avoid it, no taller than the room the row leaves, and placed once for good.
 */

const WIDTH = 440;
/** The panel's own limits (panel-css.ts): 600 px, the viewport less its margins, and the room. */
const CSS_MAX = 600;

/** How tall a panel whose content wants `natural` pixels is under its style's limits. */
function shownHeight(natural: number, viewport: { height: number }, room: number): number {
  return Math.min(natural, CSS_MAX, viewport.height - 16, room);
}

function covers(panel: { x: number; y: number }, height: number, row: Box): boolean {
  const box = { top: panel.y, bottom: panel.y + height, left: panel.x, right: panel.x + WIDTH };
  return box.left < row.right && row.left < box.right && box.top < row.bottom && row.top < box.bottom;
}

/** A row of a grid as wide as a laptop's window, `top` pixels down it. */
const gridRow = (top: number, width = 1280): Box => ({ top, bottom: top + 26, left: 220, right: width - 18 });

describe('the room beside a row', () => {
  it('is the side with more room for a row in the middle of a short window', () => {
    const viewport = { width: 1280, height: 650 };
    // 320 px above the row, 280 below it; then 288 above and 312 below.
    expect(panelRoom(gridRow(332), WIDTH, viewport)).toBe(320);
    expect(panelRoom({ top: 300, bottom: 326, left: 220, right: 1262 }, WIDTH, viewport)).toBe(312);
  });

  it('is the whole window for a panel on no row, or beside a row the grid leaves room next to', () => {
    const viewport = { width: 1600, height: 650 };
    expect(panelRoom(null, WIDTH, viewport)).toBe(634);
    // A grid 900 px wide from the left edge: room at its right.
    expect(panelRoom({ top: 300, bottom: 326, left: 0, right: 900 }, WIDTH, viewport)).toBe(634);
    // A grid against the right edge: room at its left.
    expect(panelRoom({ top: 300, bottom: 326, left: 700, right: 1590 }, WIDTH, viewport)).toBe(634);
  });

  it('is never less than the minimum, nor more than the window', () => {
    expect(panelRoom(gridRow(150), WIDTH, { width: 1280, height: 320 })).toBe(MIN_PANEL_HEIGHT);
    expect(panelRoom(gridRow(80), WIDTH, { width: 1280, height: 180 })).toBe(164);
  });

  it('does not depend on the panel’s height: it takes none', () => {
    expect(panelRoom.length).toBe(3);
  });
});

describe('the panel beside a row', () => {
  it('keeps its place when the whole panel fits below or above', () => {
    const viewport = { width: 1400, height: 900 };
    const row = gridRow(100, 1400);
    expect(panelRoom(row, WIDTH, viewport)).toBeGreaterThanOrEqual(CSS_MAX);
    expect(placePanel(row, { width: WIDTH, height: 600 }, viewport)).toEqual({ x: 1382 - WIDTH, y: 130 });
    const low = gridRow(760, 1400);
    expect(placePanel(low, { width: WIDTH, height: 600 }, viewport)).toEqual({ x: 1382 - WIDTH, y: 156 });
  });

  it('goes beside the row, level with it, when neither side has room and the grid leaves it', () => {
    const viewport = { width: 1600, height: 650 };
    const row = { top: 300, bottom: 326, left: 0, right: 900 };
    const at = placePanel(row, { width: WIDTH, height: 600 }, viewport);
    expect(at).toEqual({ x: 904, y: 42 });
    expect(covers(at, 600, row)).toBe(false);
    const right = { top: 300, bottom: 326, left: 700, right: 1590 };
    expect(placePanel(right, { width: WIDTH, height: 600 }, viewport)).toEqual({ x: 256, y: 42 });
  });

  it('in a short window with the minimum on some side, never covers a row it can see', () => {
    for (const height of [560, 650, 720, 768, 800, 900]) {
      const viewport = { width: 1280, height };
      for (let top = 0; top + 26 <= height; top += 7) {
        const row = gridRow(top);
        const room = panelRoom(row, WIDTH, viewport);
        const most = Math.max(height - 8 - (row.bottom + 4), row.top - 4 - 8);
        for (const natural of [120, 250, 400, 600, 900]) {
          const shown = shownHeight(natural, viewport, room);
          const at = placePanel(row, { width: WIDTH, height: shown }, viewport);
          const where = `${natural} px of content, row at ${top} in a ${height} px window`;
          expect(at.y, where).toBeGreaterThanOrEqual(8);
          expect(at.y + shown, where).toBeLessThanOrEqual(height - 8);
          if (most >= MIN_PANEL_HEIGHT) expect(covers(at, shown, row), where).toBe(false);
        }
      }
    }
  });

  it('in a window too short for the minimum, takes the side with more room and stays inside the window', () => {
    const viewport = { width: 1280, height: 320 };
    const row = gridRow(150);
    const room = panelRoom(row, WIDTH, viewport);
    const at = placePanel(row, { width: WIDTH, height: room }, viewport);
    // 138 px above the row, 132 below it: above, at the top of the window, over the row in part.
    expect(room).toBe(MIN_PANEL_HEIGHT);
    expect(at.y).toBe(8);
    expect(at.y + room).toBeLessThanOrEqual(312);
  });
});

/**
 * The panel's resize observer places it again whenever its size changes. Placing sets its room and its
 * position; the room changes its height only if the room changed. So one pass settles it: the next finds the
 * same room and the same place, writes nothing, and the observer has nothing more to report.
 */
describe('placing again after a resize', () => {
  function observe(row: Box, viewport: { width: number; height: number }, natural: number) {
    let room = Number.POSITIVE_INFINITY;
    let height = shownHeight(natural, viewport, room);
    let place: { x: number; y: number } | null = null;
    let callbacks = 0;
    // The observer reports a size it has not reported yet; a change of place is no change of size.
    for (let reported: number | null = null; reported !== height && callbacks < 20; ) {
      reported = height;
      callbacks++;
      room = panelRoom(row, WIDTH, viewport);
      height = shownHeight(natural, viewport, room);
      place = placePanel(row, { width: WIDTH, height }, viewport);
    }
    return { callbacks, place: place!, height };
  }

  it('settles at the second report at most, for any row, content and window', () => {
    for (const height of [320, 560, 650, 720, 900]) {
      const viewport = { width: 1280, height };
      for (let top = 0; top + 26 <= height; top += 11)
        for (const natural of [120, 250, 400, 600, 900]) {
          const row = gridRow(top);
          const { callbacks, place, height: shown } = observe(row, viewport, natural);
          expect(callbacks, `row at ${top}, ${natural} px, ${height} px window`).toBeLessThanOrEqual(2);
          // And a report of the settled size changes nothing.
          expect(placePanel(row, { width: WIDTH, height: shown }, viewport)).toEqual(place);
          expect(panelRoom(row, WIDTH, viewport)).toBeGreaterThanOrEqual(shown);
        }
    }
  });
});

describe('the panel beside a row of a right-to-left grid', () => {
  const viewport = { width: 1400, height: 900 };

  it('lines its left edge up with the row’s left end, where the row button is', () => {
    const row = { ...gridRow(100, 1400), rtl: true };
    expect(placePanel(row, { width: WIDTH, height: 600 }, viewport)).toEqual({ x: row.left, y: 130 });
    // Against the window's left edge, it keeps the margin.
    const edge = { top: 100, bottom: 126, left: 0, right: 1382, rtl: true };
    expect(placePanel(edge, { width: WIDTH, height: 600 }, viewport).x).toBe(8);
  });

  it('goes beside it before its start, at the left, when both sides leave room', () => {
    const wide = { width: 1600, height: 650 };
    const middle = { top: 300, bottom: 326, left: 500, right: 1000 };
    expect(placePanel(middle, { width: WIDTH, height: 600 }, wide).x).toBe(1004);
    expect(placePanel({ ...middle, rtl: true }, { width: WIDTH, height: 600 }, wide).x).toBe(56);
  });
});
