/**
 * Where the panel goes, and how tall it may be there (docs/scroll-and-hover.md, "The panel beside its
 * row"). Below the row when the panel fits there, else above it, else beside it when the grid leaves room
 * at its right or left, else on the side with more room, no taller than that room. Pure so it can be tested
 * without layout.
 *
 * The height it may have (`panelRoom`) is worked out from the row's box and the viewport alone, never from
 * the panel's own height: a limit taken from the panel's measured height would change that height, and
 * with it the limit, and the panel would be placed again and again by its resize observer. With the limit
 * fixed for a row, the panel's height under it follows from its content, and its place from that height.
 */
export interface Box {
  top: number;
  bottom: number;
  left: number;
  right: number;
  /** The row's grid runs right to left: its end, where the row button is, is its left side. */
  rtl?: boolean | undefined;
}

interface Size {
  width: number;
  height: number;
}

const MARGIN = 8;
/** Between the row and the panel. */
const GAP = 4;
/**
 * The least height the panel is given beside its row: its header, the filter box and a few actions, or a
 * form's first fields and its Run button, its content scrolling inside it. Where no side of the row has
 * that much room, the panel takes this height on the side with more room and covers the row in part.
 */
export const MIN_PANEL_HEIGHT = 200;

const roomBelow = (anchor: Box, viewport: Size) => viewport.height - MARGIN - (anchor.bottom + GAP);
const roomAbove = (anchor: Box) => anchor.top - GAP - MARGIN;

/**
 * The x of a panel beside the row, past its end or else before its start (the right, then the left; the
 * other way round in a right-to-left grid); null when the grid leaves no room on either side.
 */
function besideX(anchor: Box, width: number, viewport: Size): number | null {
  const right = anchor.right + GAP + width <= viewport.width - MARGIN ? anchor.right + GAP : null;
  const left = anchor.left - GAP - width >= MARGIN ? anchor.left - GAP - width : null;
  return anchor.rtl ? (left ?? right) : (right ?? left);
}

/**
 * The tallest the panel may be beside this row, in CSS pixels: the whole viewport when the panel can go
 * beside the row (or has no row), else the room on the side of the row with more of it, at least
 * MIN_PANEL_HEIGHT. It depends on the panel's width (fixed by its style), never on its height.
 */
export function panelRoom(anchor: Box | null, width: number, viewport: Size): number {
  const whole = Math.max(0, viewport.height - 2 * MARGIN);
  if (!anchor || besideX(anchor, width, viewport) !== null) return whole;
  const most = Math.max(roomBelow(anchor, viewport), roomAbove(anchor));
  return Math.min(whole, Math.max(MIN_PANEL_HEIGHT, Math.floor(most)));
}

export function placePanel(anchor: Box | null, size: Size, viewport: Size): { x: number; y: number } {
  const clampX = (x: number) => Math.max(MARGIN, Math.min(x, viewport.width - size.width - MARGIN));
  const clampY = (y: number) => Math.max(MARGIN, Math.min(y, viewport.height - size.height - MARGIN));
  if (!anchor) return { x: clampX((viewport.width - size.width) / 2), y: clampY(viewport.height / 6) };
  // Its edge at the row's end, under the row button: the right edge, or the left in a right-to-left grid.
  const x = clampX(anchor.rtl ? anchor.left : anchor.right - size.width);
  const below = anchor.bottom + GAP;
  if (size.height <= roomBelow(anchor, viewport)) return { x, y: below };
  const above = anchor.top - GAP - size.height;
  if (size.height <= roomAbove(anchor)) return { x, y: above };
  // Too tall for either side: beside the row, level with it, when the grid leaves room at its right or left.
  const beside = besideX(anchor, size.width, viewport);
  if (beside !== null) return { x: beside, y: clampY(anchor.top) };
  // Taller than the room on either side: a panel held to panelRoom is this only in a window too short for
  // MIN_PANEL_HEIGHT there. The side with more room, kept inside the viewport, over as little of the row as
  // it can.
  return { x, y: clampY(roomBelow(anchor, viewport) > roomAbove(anchor) ? below : above) };
}
