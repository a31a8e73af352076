import type { ContentFeature, ContentSession } from '../content-session.ts';
import { type GridHit, rowAt } from '../grid/grids.ts';

/**
 * Where grids mark their current cell when focus itself sits elsewhere: ag-Grid's focus classes,
 * ui-grid's cell navigation, which keeps focus on a "focuser" element outside the rows, and SlickGrid's
 * active cell (focus stays on an empty focus-sink element of the grid, the cell gets `active`).
 */
const FOCUS_MARKS = '.ag-cell-focus, .ag-row-focus, .ui-grid-cell-focus, .slick-cell.active';

/**
 * The row the analyst last clicked, for grids that mark no current row at all (Tabulator focuses its
 * scroll container and nothing else). Forgotten on any scroll: the row element may show another row then.
 */
let pointed: GridHit | null = null;

export const pointedRow: ContentFeature = {
  id: 'pointed-row',
  init(session, signal) {
    const options = { capture: true, passive: true, signal };
    // Listened for only while there is a row to forget: a grid scrolls several elements at every step,
    // and each event would be a call into Gridside. Added again while listening, it stays one listener.
    // No signal in its options, which each click would leave one more thing to do at the abort; left
    // after the abort, it forgets nothing more, once.
    const forget = () => {
      pointed = null;
    };
    const once = { capture: true, passive: true, once: true };
    window.addEventListener(
      'pointerdown',
      (event) => {
        if (!session.isUserInput(event)) return;
        pointed = rowAt(session.adapters, event.composedPath()[0] ?? null);
        if (pointed) window.addEventListener('scroll', forget, once);
      },
      options,
    );
    signal.addEventListener('abort', forget);
  },
};

/**
 * The row that has keyboard focus: the focused element, else the element it names as its active
 * descendant (the ARIA way for a grid that keeps focus on its container), else a grid's focus mark, else
 * the row last clicked in the grid that holds focus.
 */
export function focusedRow(session: ContentSession): GridHit | null {
  let active: Element | null = document.activeElement;
  // Look through the page's own open shadow roots to the real focused element.
  while (active?.shadowRoot?.activeElement) active = active.shadowRoot.activeElement;
  return (
    rowAt(session.adapters, active) ??
    rowAt(session.adapters, document.getElementById(active?.getAttribute('aria-activedescendant') ?? '')) ??
    markedRow(session, active) ??
    // The row last clicked, in the grid that holds focus, or under the element that took it from the click
    // (the page's body, or a dialog around a plain table, whose cells take no focus).
    (pointed?.row.primary.isConnected &&
    (pointed.row.root.contains(active) || active?.contains(pointed.row.root))
      ? pointed
      : null)
  );
}

/**
 * The row of a grid's focus mark. A grid on a tab the analyst left keeps its mark while hidden: only a mark
 * the analyst can see counts, and one in the grid that holds focus comes first.
 */
function markedRow(session: ContentSession, active: Element | null): GridHit | null {
  let shown: GridHit | null = null;
  for (const mark of document.querySelectorAll(FOCUS_MARKS)) {
    const hit = mark.checkVisibility({ visibilityProperty: true }) ? rowAt(session.adapters, mark) : null;
    if (hit?.row.root.contains(active)) return hit;
    shown ??= hit;
  }
  return shown;
}

/**
 * How long a keyboard request waits for a focused row to appear: grids such as ui-grid take their focus
 * mark off a cell and put it back on their next digest, and a key pressed in between finds no row.
 */
const FOCUS_SETTLE_MS = 300;

/** The focused row now, else the first one seen over the next frames (null after FOCUS_SETTLE_MS). */
export function settledFocusedRow(session: ContentSession): Promise<GridHit | null> {
  const deadline = performance.now() + FOCUS_SETTLE_MS;
  return new Promise((resolve) => {
    const look = () => {
      const hit = focusedRow(session);
      if (hit || performance.now() >= deadline) resolve(hit);
      else requestAnimationFrame(look);
    };
    look();
  });
}
