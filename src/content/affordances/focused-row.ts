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
  if (!active || active === document.body) return markedRow(session);
  const fromFocus = rowAt(session.adapters, active);
  if (fromFocus) return fromFocus;
  const descendantId = active.getAttribute('aria-activedescendant');
  const descendant = descendantId ? active.ownerDocument.getElementById(descendantId) : null;
  const fromDescendant = descendant ? rowAt(session.adapters, descendant) : null;
  return fromDescendant ?? markedRow(session) ?? pointedIn(active);
}

function pointedIn(active: Element): GridHit | null {
  if (!pointed?.row.primary.isConnected) return null;
  return pointed.row.root.contains(active) ? pointed : null;
}

function markedRow(session: ContentSession): GridHit | null {
  const marked = document.querySelector(FOCUS_MARKS);
  return marked ? rowAt(session.adapters, marked) : null;
}

/**
 * How long a keyboard request waits for a focused row to appear: grids such as ui-grid take their focus
 * mark off a cell and put it back on their next digest, and a key pressed in between finds no row.
 */
const FOCUS_SETTLE_MS = 300;

/** The focused row now, else the first one seen over the next frames (null after FOCUS_SETTLE_MS). */
export function settledFocusedRow(session: ContentSession): Promise<GridHit | null> {
  const now = focusedRow(session);
  if (now) return Promise.resolve(now);
  const deadline = performance.now() + FOCUS_SETTLE_MS;
  return new Promise((resolve) => {
    const look = () => {
      const hit = focusedRow(session);
      if (hit || performance.now() >= deadline) resolve(hit);
      else requestAnimationFrame(look);
    };
    requestAnimationFrame(look);
  });
}
