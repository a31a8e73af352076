import { afterLayoutFor, whenIdle } from '../after-layout.ts';
import type { ContentFeature, ContentSession } from '../content-session.ts';
import { type GridHit, rowAt } from '../grid/grids.ts';
import type { RowBox } from '../grid/row-box.ts';
import { createRowGeometry } from '../grid/row-geometry.ts';
import { pageMotion, REST_MS } from '../page-motion.ts';
import { createPageWatch } from '../page-watch.ts';

/**
 * ONE "Run SmartResponse" button for the whole page, moved to the end of the hovered row (docs/architecture.md §4:
 * per-row buttons cost work on every rendered row; this one does nothing while the page scrolls). Pointer
 * events are delegated from `window` in the capture phase, so grids that appear later and pages that stop
 * propagation are covered without a listener per row. It never makes the browser lay the page out: row
 * boxes are read right after the browser's own layout (after-layout.ts) and remembered until the page
 * moves (row-geometry.ts), so a hover on a known row writes the button in the pointer event itself,
 * before the frame's style and layout, and that frame's layout confirms the box before it is painted.
 */

/** The button's size on a row until it is pointed at; fixed in CSS, as a hidden button has none to measure. */
const BUTTON_SIZE = 22;

/**
 * Written without optional spaces: it is carried as it stands in the content script every console loads.
 * The button is always laid out, on its own compositor layer, and shown by its opacity and moved by its
 * transform: showing it on a hovered row needs no layout and no paint, only the compositor (going from
 * `display: none` to shown cost each hover frame a layout and a paint of the button). Hidden, it is
 * `inert`: no pointer, focus or assistive technology reaches it.
 *
 * On a hovered row it is a small round button with a "run" triangle, so it hides little of the row's last
 * column (often the very value the analyst is looking up). Pointed at, it widens to the left to say "Run
 * SmartResponse": its right edge is placed (`translateX(-100%)` from there), and its content sits at that
 * edge, the words clipped until there is room for them. The words are also its accessible name. In a
 * right-to-left grid all of this is mirrored: its left edge is placed, and `dir="rtl"` puts its content
 * there (`justify-content: end`), so it widens to the right.
 */
const BUTTON_CSS =
  '.row-button{position:fixed;top:0;left:0;box-sizing:border-box;height:22px;max-width:22px;padding:0 6px;' +
  'display:inline-flex;gap:6px;opacity:0;align-items:center;justify-content:end;overflow:hidden;contain:content;will-change:transform,opacity;' +
  'font:600 11px/1 system-ui;color:#fff;background:#1f5fbf;border:1px solid #174a94;border-radius:11px;' +
  'cursor:pointer;box-shadow:0 1px 3px #0004;white-space:nowrap}' +
  '.row-button::after{content:"";border-left:7px solid;border-block:4px solid #0000}' +
  '.row-button[data-shown]{opacity:1}' +
  '.row-button:hover{max-width:none;background:#174a94}' +
  '.row-button:focus-visible{outline:2px solid #ffbf47;outline-offset:1px}' +
  '@media(prefers-color-scheme:dark){.row-button{background:#3d7be0;border-color:#6b9ae8}}';

const GAP = 6;
/** A grid's own vertical scrollbar, kept clear of: rowBox leaves it out at the right; in RTL it is at the left. */
const SCROLLBAR_GUTTER = 18;
/** How long the page stays still before the boxes of the hovered grid's other rows are read. */
const LEARN_AFTER_MS = 600;
/**
 * Rows sliding under a still pointer make the browser fire pointer events at every scroll step; the
 * button waits until the page rests (page-motion.ts), then goes to whatever row is under the pointer.
 */
export const SCROLL_REST_MS = REST_MS;

export const floatingRowButton: ContentFeature = {
  id: 'floating-row-button',
  init(session: ContentSession, signal: AbortSignal) {
    const layer = session.overlay.layer('button');
    const style = document.createElement('style');
    style.textContent = BUTTON_CSS;
    const button = document.createElement('button');
    button.type = 'button';
    button.inert = true;
    button.className = 'row-button';
    button.textContent = 'Run SmartResponse';
    layer.append(style, button);

    const motion = pageMotion(signal);
    const afterLayout = afterLayoutFor(session.overlay, signal);
    const geometry = createRowGeometry();
    /** Hidden because the page changed under the pointer, not because the analyst left: any move shows it. */
    let awaitingPointer = false;
    /** At rest, put the button on whatever row is under the pointer then. */
    let lookAtRest = false;
    let restTimer: ReturnType<typeof setTimeout> | undefined;
    /** Where the pointer last was over the page; `pointerIn` is false once it left the window. */
    let pointerX = 0;
    let pointerY = 0;
    let pointerIn = false;

    const hide = () => {
      button.removeAttribute('data-shown');
      button.inert ||= true; // written only when it changes, like data-shown
      session.hoveredRow = null;
    };

    /** The browser fires no pointer event for content moving under a still pointer: look once it rests. */
    const lookUnderPointer = () => {
      restTimer = undefined;
      if (motion.moving || !lookAtRest) return; // the page's rest looks instead
      lookAtRest = false;
      if (pointerIn) lookUnderPointerAfterLayout();
    };

    /** One hit test at the last point the pointer was seen at, after a layout, where it costs nothing. */
    function lookUnderPointerAfterLayout() {
      afterLayout(() => {
        if (pointerIn && !motion.moving && !signal.aborted) schedule(elementAt(pointerX, pointerY));
      });
    }

    /** The grid re-rendered or the page moved under a pointer that has not: hide until things rest. */
    const hideUntilRest = () => {
      hide();
      awaitingPointer = true;
      lookAtRest = pointerIn;
      if (!motion.moving) restTimer ??= setTimeout(lookUnderPointer, SCROLL_REST_MS);
    };

    // Rows are removed or rebound when the grid re-renders: hide rather than point at the wrong row.
    const grids = createPageWatch((records) => {
      geometry.forget();
      const current = session.hoveredRow;
      if (!current) return;
      const rebound = records.some((r) => r.type === 'attributes' && r.target === current.row.primary);
      if (rebound || !current.row.primary.isConnected) hideUntilRest();
    }, signal);

    /**
     * The part of each hovered grid that re-renders its rows, found once per grid (finding it searches the
     * grid) and again only if the grid replaced it: not on every hover.
     */
    const watched = new WeakMap<Element, Node>();
    const watchGrid = ({ adapter, row }: GridHit) => {
      if (watched.get(row.root)?.isConnected) return;
      watched.set(row.root, adapter.watchTarget(row.root));
      grids.watchGrid(adapter, row.root);
    };

    /**
     * Writes only: the box was read after a layout. What is already so is not written again (the check
     * after layout usually finds the button where the remembered box put it), so the browser has nothing
     * to restyle for it.
     */
    const put = (box: RowBox) => {
      const { rtl } = box;
      const height = Math.max(0, box.bottom - box.top);
      // Its edge at the row's end: the right edge, widening to the left when pointed at; in a right-to-left
      // grid the left edge, clear of the grid's scrollbar there, widening to the right (and its content at
      // that edge: `justify-content: end` follows `dir`).
      const x = rtl ? box.left + GAP + SCROLLBAR_GUTTER : Math.max(BUTTON_SIZE, box.right - GAP);
      const y = box.top + Math.max(0, (height - BUTTON_SIZE) / 2);
      const transform = `translate(${Math.round(x)}px, ${Math.round(y)}px)${rtl ? '' : ' translateX(-100%)'}`;
      if (button.style.transform !== transform) button.style.transform = transform;
      const dir = rtl ? 'rtl' : '';
      if (button.dir !== dir) button.dir = dir;
      if (!button.hasAttribute('data-shown')) {
        button.setAttribute('data-shown', '');
        button.inert = false;
      }
    };

    /** After this frame's layout: the row's real box (free to read now), corrected before the paint. */
    const confirm = (hit: GridHit) => {
      if (session.hoveredRow !== hit || signal.aborted) return; // hidden or moved on meanwhile
      put(geometry.read(hit));
      session.overlay.topLayer.ensureShown();
      // The other rows of this grid, for the next hovers: once the page has stayed still for a while (an
      // analyst scrolling in flicks rests often but briefly), outside this frame.
      if (!geometry.learned(hit.row.root) && !learnTimer)
        learnTimer = setTimeout(() => whenIdle(() => afterLayout(() => learn(hit))), LEARN_AFTER_MS);
    };
    let learnTimer: ReturnType<typeof setTimeout> | undefined;
    const learn = (hit: GridHit) => {
      learnTimer = undefined;
      // Whether or not the pointer is still there: the analyst comes back to the grid they hovered.
      if (!motion.moving && !signal.aborted && hit.row.root.isConnected)
        geometry.learnGrid(session.adapters, hit.adapter, hit.row.root);
    };

    /**
     * Runs in the pointer event itself (capture phase on window, before the page's own handlers): it
     * reads no layout, so there is nothing to batch into an animation frame, and a known row's button is
     * written before the frame's style and layout even start.
     */
    const place = (target: EventTarget | null) => {
      if (target === session.overlay.host) return; // moving onto the button itself
      const shown = button.hasAttribute('data-shown');
      const current = session.hoveredRow?.row.primary;
      // From cell to cell of the row the button is on: nothing to find, nothing to write.
      if (shown && current?.contains(target as Node | null)) return;
      const hit = rowAt(session.adapters, target);
      if (!hit) {
        hide();
        return;
      }
      if (current === hit.row.primary && shown) return;
      session.hoveredRow = hit;
      awaitingPointer = false;
      watchGrid(hit);
      // A box read since the page last moved: shown now, painted in this frame.
      const known = geometry.known(hit);
      if (known) put(known);
      afterLayout(() => confirm(hit));
    };

    function schedule(target: EventTarget | null) {
      lookAtRest = false; // a newer pointer event wins over a look waiting for the page to rest
      place(target);
    }

    /** The element the pointer was last seen over. */
    let over: EventTarget | null = null;
    /**
     * The button goes where the pointer goes onto another element. `pointerover` says so, but not between
     * two elements of one open shadow root (a grid drawn in a web component): the browser does not fire
     * it at `window` there, since from out here the element left and the one entered are both the shadow
     * host. So a `pointermove` onto another element than the last one seen moves the button too.
     */
    const onPointer = (event: PointerEvent) => {
      if (!session.isUserInput(event)) return;
      pointerX = event.clientX;
      pointerY = event.clientY;
      pointerIn = true;
      const target = event.composedPath()[0] ?? event.target;
      if ((awaitingPointer || target !== over) && !motion.moving) schedule(target);
      over = target;
    };
    const opts = { capture: true, passive: true, signal };
    /**
     * Rows sliding under a still pointer fire `pointerover` at every scroll step: while the page moves the
     * button does not listen to it, and at rest looks once at where the pointer is. Only a hand that
     * really moves fires `pointermove`, so that one always notes the point (a hover made during the
     * scroll is the one found at rest).
     */
    const listenToPointerOver = (on: boolean) => {
      if (on && !signal.aborted) window.addEventListener('pointerover', onPointer, opts);
      else window.removeEventListener('pointerover', onPointer, opts);
    };
    window.addEventListener('pointermove', onPointer, opts);
    listenToPointerOver(true);
    // Leaving the window (not fired for moves between the page's elements, unlike pointerout).
    document.documentElement.addEventListener(
      'pointerleave',
      () => {
        pointerIn = false;
      },
      { passive: true, signal },
    );

    motion.watch(
      {
        started() {
          listenToPointerOver(false);
          grids.pause();
          geometry.forget();
          clearTimeout(restTimer);
          restTimer = undefined;
          clearTimeout(learnTimer);
          learnTimer = undefined;
          hide();
          awaitingPointer = true;
        },
        rested() {
          listenToPointerOver(true);
          grids.resume();
          if (pointerIn) lookUnderPointerAfterLayout();
        },
      },
      signal,
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
      clearTimeout(restTimer);
      clearTimeout(learnTimer);
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
