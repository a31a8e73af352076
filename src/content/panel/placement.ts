/**
 * Where the panel goes: beside the row, below it when there is room, else above it (flip), always kept
 * inside the viewport. Pure so it can be tested without layout.
 */
export interface Box {
  top: number;
  bottom: number;
  left: number;
  right: number;
}

const MARGIN = 8;

export function placePanel(
  anchor: Box | null,
  size: { width: number; height: number },
  viewport: { width: number; height: number },
): { x: number; y: number } {
  const clampX = (x: number) => Math.max(MARGIN, Math.min(x, viewport.width - size.width - MARGIN));
  const clampY = (y: number) => Math.max(MARGIN, Math.min(y, viewport.height - size.height - MARGIN));
  if (!anchor) return { x: clampX((viewport.width - size.width) / 2), y: clampY(viewport.height / 6) };
  const x = clampX(anchor.right - size.width);
  const below = anchor.bottom + 4;
  if (below + size.height <= viewport.height - MARGIN) return { x, y: below };
  const above = anchor.top - 4 - size.height;
  if (above >= MARGIN) return { x, y: above };
  // Neither fits: the side with more room, clamped.
  return { x, y: clampY(viewport.height - anchor.bottom > anchor.top ? below : above) };
}
