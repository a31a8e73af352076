import type { ContentFeature, ContentSession } from '../content-session.ts';
import { rowAt } from '../grid/grids.ts';
import { rowBox } from '../grid/row-box.ts';
import { createPageWatch } from '../page-watch.ts';

/**
 * ONE "Run SmartResponse" button for the whole page, moved to the end of the hovered row (docs/architecture.md §4:
 * per-row buttons cost work on every rendered row; this costs nothing while scrolling and one
 * getBoundingClientRect per hovered-row change). Pointer events are delegated from `window` in the
 * capture phase, so grids that appear later and pages that stop propagation are covered without a
 * listener per row. Positioning runs once per animation frame: all reads first, then one write.
 */

const BUTTON_CSS = `
.row-button {
  position: fixed; top: 0; left: 0; box-sizing: border-box; height: 22px; width: 136px; padding: 0 6px;
  display: none; align-items: center; justify-content: center; overflow: hidden; contain: layout paint; will-change: transform;
  font: 600 11px/1 system-ui, sans-serif; color: #fff; background: #1f5fbf; border: 1px solid #174a94;
  border-radius: 11px; cursor: pointer; box-shadow: 0 1px 3px rgb(0 0 0 / 0.3); white-space: nowrap;
}
.row-button[data-shown] { display: inline-flex; }
.row-button:hover { background: #174a94; }
.row-button:focus-visible { outline: 2px solid #ffbf47; outline-offset: 1px; }
@media (prefers-color-scheme: dark) { .row-button { background: #3d7be0; border-color: #6b9ae8; } }
`;

const GAP = 6;
/**
 * Rows sliding under a still pointer make the browser fire `pointerover` at every scroll step; anchoring
 * the button to each of them costs a forced layout per step (bench:grid's profile: most of Gridside's
 * scroll-time work). Such hovers wait until the page has not scrolled for this long, then the button goes
 * to whatever row is under the pointer by then.
 */
export const SCROLL_REST_MS = 120;
/** Fixed in CSS: a hidden button has no width to measure, and measuring after showing it would thrash. */
const BUTTON_WIDTH = 136;

export const floatingRowButton: ContentFeature = {
  id: 'floating-row-button',
  init(session: ContentSession, signal: AbortSignal) {
    const layer = session.overlay.layer('button');
    const style = document.createElement('style');
    style.textContent = BUTTON_CSS;
    const button = document.createElement('button');
    button.type = 'button';
    button.className = 'row-button';
    button.textContent = 'Run SmartResponse';
    button.setAttribute('aria-label', 'Run SmartResponse on this row');
    layer.append(style, button);

    let pending: EventTarget | null = null;
    let frame = 0;
    let awaitingPointer = false;
    let lastScroll = Number.NEGATIVE_INFINITY;
    let restPoint: { x: number; y: number } | null = null;
    let restTimer: ReturnType<typeof setTimeout> | undefined;
    /** Where the pointer last was over the page (null once it left the window). */
    let pointer: { x: number; y: number } | null = null;

    const hide = () => {
      button.removeAttribute('data-shown');
      session.hoveredRow = null;
    };

    /**
     * The grid scrolled or re-rendered under a pointer that has not moved: hide now, and once the page has
     * rested, put the button on whatever row is under the pointer then (the browser fires no pointer event
     * for content moving under a still pointer, so waiting for one could leave the row without a button).
     */
    const hideUntilRest = () => {
      hide();
      awaitingPointer = true;
      if (!pointer) return;
      restPoint = pointer;
      restTimer ??= setTimeout(afterRest, SCROLL_REST_MS);
    };

    // Rows are removed or rebound when the grid re-renders: hide rather than point at the wrong row.
    const grids = createPageWatch((records) => {
      const current = session.hoveredRow;
      if (!current) return;
      const rebound = records.some((r) => r.type === 'attributes' && r.target === current.row.primary);
      if (rebound || !current.row.primary.isConnected) hideUntilRest();
    }, signal);

    const place = () => {
      frame = 0;
      const target = pending;
      pending = null;
      if (target === session.overlay.host) return; // moving onto the button itself
      const hit = rowAt(session.adapters, target);
      if (!hit) {
        hide();
        return;
      }
      if (session.hoveredRow?.row.primary === hit.row.primary && button.hasAttribute('data-shown')) return;
      const { right, top, bottom } = rowBox(hit); // reads
      const height = Math.max(0, bottom - top);
      const x = Math.max(0, right - BUTTON_WIDTH - GAP);
      const y = top + Math.max(0, (height - 22) / 2);
      button.style.transform = `translate(${Math.round(x)}px, ${Math.round(y)}px)`; // write
      button.setAttribute('data-shown', '');
      session.overlay.topLayer.ensureShown();
      session.hoveredRow = hit;
      awaitingPointer = false;
      grids.watchGrid(hit.adapter, hit.row.root);
    };

    const schedule = (target: EventTarget | null) => {
      restPoint = null; // a newer pointer event wins over a hover waiting for the scroll to rest
      pending = target;
      if (!frame) frame = requestAnimationFrame(place);
    };

    /** The scroll has rested (or scrolled on): place the button for the row under the pointer now. */
    const afterRest = () => {
      restTimer = undefined;
      const still = performance.now() - lastScroll;
      if (still < SCROLL_REST_MS) {
        restTimer = setTimeout(afterRest, SCROLL_REST_MS - still);
        return;
      }
      const point = restPoint;
      restPoint = null;
      if (point && !signal.aborted) schedule(elementAt(point.x, point.y));
    };

    const opts = { capture: true, passive: true, signal };
    window.addEventListener(
      'pointerover',
      (event) => {
        if (!session.isUserInput(event)) return;
        pointer = { x: event.clientX, y: event.clientY };
        const target = event.composedPath()[0] ?? event.target;
        // Only a row waits (no layout is read to tell): leaving the grid hides the button at once.
        if (performance.now() - lastScroll < SCROLL_REST_MS && rowAt(session.adapters, target)) {
          restPoint = { x: event.clientX, y: event.clientY };
          restTimer ??= setTimeout(afterRest, SCROLL_REST_MS);
          return;
        }
        schedule(target);
      },
      opts,
    );
    window.addEventListener(
      'pointermove',
      (event) => {
        if (!session.isUserInput(event)) return;
        pointer = { x: event.clientX, y: event.clientY };
        if (awaitingPointer) schedule(event.composedPath()[0] ?? event.target);
      },
      opts,
    );
    window.addEventListener(
      'pointerout',
      (event) => {
        if (event.relatedTarget === null) pointer = null; // left the window
      },
      opts,
    );
    window.addEventListener(
      'scroll',
      () => {
        lastScroll = performance.now();
        if (button.hasAttribute('data-shown')) hideUntilRest();
      },
      opts,
    );
    button.addEventListener(
      'click',
      (event) => {
        if (!session.isUserInput(event)) return;
        const hit = session.hoveredRow;
        if (hit) session.openPanel(hit, 'button', document.activeElement);
      },
      { signal },
    );
    signal.addEventListener('abort', () => {
      if (frame) cancelAnimationFrame(frame);
      clearTimeout(restTimer);
      style.remove();
      button.remove();
    });
  },
};

/** The innermost element at a point, through open shadow roots (a grid may live in one). */
function elementAt(x: number, y: number): Element | null {
  let el = document.elementFromPoint?.(x, y) ?? null;
  while (el?.shadowRoot) {
    const inner = el.shadowRoot.elementFromPoint(x, y);
    if (!inner || inner === el) break;
    el = inner;
  }
  return el;
}
