import type { PinMarkers } from '../../core/pins.ts';
import { ask } from '../background-channel.ts';
import type { ContentFeature, ContentSession } from '../content-session.ts';
import type { GridAdapter } from '../grid/grid-adapter.ts';
import type { GridHit } from '../grid/grids.ts';
import { readRow } from '../grid/read-row.ts';
import { type RowBox, rowBox } from '../grid/row-box.ts';
import { isShown, rowClip, rowsOnScreen } from '../grid/rows-on-screen.ts';
import { onPinsChanged } from '../pins-changed.ts';

/**
 * A 📌 beside every row on screen that has pinned results (DESIGN.md §7). Once the grid settles (its rows
 * changed, a scroll ended), the keys of the rendered rows go to the background in ONE `pins.markers`
 * message; the markers live in the overlay's shadow root, never in the grid's DOM. While scrolling they
 * follow their rows at most once per frame (reads first, then writes), with no listener per row; a row
 * element the grid rebinds to another row loses its marker at once.
 */

/** Quiet time after the last grid change or scroll before the rows are read again. */
export const SETTLE_MS = 150;
/** Same limits as the background's schema (core/pins.ts), kept here so zod stays out of the page. */
const MAX_KEYS = 200;
const MAX_KEY_CHARS = 2048;
/** Room left at the row's right end for the floating "Run SmartResponse" button. */
const RUN_BUTTON_ROOM = 150;
const MARKER_HEIGHT = 18;

const MARKER_CSS = `
.pin-marker {
  position: fixed; top: 0; left: 0; box-sizing: border-box; height: ${MARKER_HEIGHT}px; padding: 0 5px;
  display: none; align-items: center; gap: 2px; contain: layout paint; will-change: transform;
  font: 600 11px/1 system-ui, sans-serif; color: #5c3d00; background: #fff3c4; border: 1px solid #d9a400;
  border-radius: 9px; cursor: pointer; white-space: nowrap; box-shadow: 0 1px 2px rgb(0 0 0 / 0.25);
}
.pin-marker[data-shown] { display: inline-flex; }
.pin-marker:hover { background: #ffe58a; }
.pin-marker:focus-visible { outline: 2px solid #1f5fbf; outline-offset: 1px; }
@media (prefers-color-scheme: dark) { .pin-marker { color: #ffe9a8; background: #4a3a08; border-color: #b38a00; } }
`;

interface Marker {
  hit: GridHit;
  key: string;
  count: number;
  el: HTMLButtonElement;
}

type PinViewModule = typeof import('../panel/pin-view.tsx');
let pinView: Promise<PinViewModule> | null = null;

export const pinLabel = (count: number): string =>
  count === 1 ? '1 pinned result' : `${count} pinned results`;

export const pinMarkers: ContentFeature = {
  id: 'pin-markers',
  init(session: ContentSession, signal: AbortSignal) {
    const layer = session.overlay.layer('pins');
    const style = document.createElement('style');
    style.textContent = MARKER_CSS;
    layer.append(style);

    const markers = new Map<Element, Marker>(); // row element (GridRow.primary) → its marker
    const observers = new Map<Element, MutationObserver>();
    let settleTimer: ReturnType<typeof setTimeout> | undefined;
    let refreshFrame = 0;
    let moveFrame = 0;
    let asked = 0; // answers to older questions are dropped

    const drop = (primary: Element) => {
      markers.get(primary)?.el.remove();
      markers.delete(primary);
    };

    /** One frame: every box read, then every transform written. */
    const place = () => {
      moveFrame = 0;
      const clips = new Map<Element, { top: number; bottom: number }>();
      const moves: Array<[Marker, RowBox | null]> = [];
      for (const [primary, marker] of markers) {
        if (!primary.isConnected) {
          drop(primary);
          continue;
        }
        const root = marker.hit.row.root;
        let clip = clips.get(root);
        if (!clip) {
          clip = rowClip(marker.hit.adapter, root);
          clips.set(root, clip);
        }
        const box = rowBox(marker.hit);
        moves.push([marker, isShown(box, clip) ? box : null]);
      }
      for (const [marker, box] of moves) {
        if (!box) {
          marker.el.removeAttribute('data-shown');
          continue;
        }
        const width = marker.el.offsetWidth || 34;
        const x = Math.max(box.left + 2, box.right - RUN_BUTTON_ROOM - width);
        const y = box.top + Math.max(0, (box.bottom - box.top - MARKER_HEIGHT) / 2);
        marker.el.style.transform = `translate(${Math.round(x)}px, ${Math.round(y)}px)`;
        marker.el.setAttribute('data-shown', '');
      }
    };
    const scheduleMove = () => {
      if (markers.size > 0 && !moveFrame) moveFrame = requestAnimationFrame(place);
    };

    const markerFor = (hit: GridHit, key: string, count: number): Marker => {
      const existing = markers.get(hit.row.primary);
      const el = existing?.el ?? document.createElement('button');
      if (!existing) {
        el.type = 'button';
        el.className = 'pin-marker';
        el.addEventListener('click', (event) => {
          if (session.isUserInput(event)) openPins(hit.row.primary);
        });
        layer.append(el);
      }
      el.textContent = `📌 ${count}`;
      el.setAttribute('aria-label', pinLabel(count));
      el.title = pinLabel(count);
      el.dataset.rowKey = key;
      return { hit, key, count, el };
    };

    const draw = (counts: PinMarkers) => {
      if (signal.aborted) return;
      const keep = new Set<Element>();
      // The rows may have been recycled while the background answered: read them again, now.
      for (const row of rowsOnScreen(session, MAX_KEYS)) {
        const count = Object.hasOwn(counts, row.key) ? counts[row.key] : undefined;
        if (!count) continue;
        markers.set(row.hit.row.primary, markerFor(row.hit, row.key, count));
        keep.add(row.hit.row.primary);
      }
      for (const primary of [...markers.keys()]) if (!keep.has(primary)) drop(primary);
      place();
    };

    const refresh = async () => {
      refreshFrame = 0;
      watchGrids();
      const rows = rowsOnScreen(session, MAX_KEYS);
      const keys = [...new Set(rows.map((row) => row.key))].filter((key) => key.length <= MAX_KEY_CHARS);
      const question = ++asked;
      if (keys.length === 0) {
        for (const primary of [...markers.keys()]) drop(primary);
        return;
      }
      const reply = await ask<PinMarkers>({ type: 'pins.markers', console: session.origin, rowKeys: keys });
      if (question !== asked || signal.aborted || !reply.ok) return; // markers are a hint: fail quietly
      requestAnimationFrame(() => draw(reply.data));
    };

    const settle = () => {
      clearTimeout(settleTimer);
      settleTimer = setTimeout(() => {
        if (!refreshFrame && !signal.aborted) refreshFrame = requestAnimationFrame(() => void refresh());
      }, SETTLE_MS);
    };

    /** One observer per grid (the adapter's watch target): the grid re-rendered or rebound its rows. */
    const watchGrids = () => {
      for (const adapter of session.adapters) {
        for (const root of adapter.findRoots(document)) watch(adapter, root);
      }
    };
    const watch = (adapter: GridAdapter, root: Element) => {
      const target = adapter.watchTarget(root);
      if (observers.has(target)) return;
      const observer = new MutationObserver((records) => {
        for (const record of records) {
          // This element now shows another row: its marker would point at the wrong one.
          if (record.type === 'attributes' && markers.has(record.target as Element))
            drop(record.target as Element);
        }
        settle();
      });
      observer.observe(target, {
        childList: true,
        subtree: true,
        ...(adapter.watchAttributes.length
          ? { attributes: true, attributeFilter: adapter.watchAttributes }
          : {}),
      });
      observers.set(target, observer);
    };

    const openPins = (primary: Element) => {
      const marker = markers.get(primary);
      if (!marker) return;
      const reading = readRow(marker.hit, {
        console: session.origin,
        fieldOverrides: session.fieldOverrides,
      });
      if (reading.context.key.value !== marker.key) return; // rebound since the last frame
      pinView ??= import('../panel/pin-view.tsx');
      pinView.then(
        (view) =>
          view.showPins(
            session.overlay,
            {
              console: session.origin,
              rowKey: marker.key,
              kind: reading.context.kind,
              anchor: rowBox(marker.hit),
              returnFocus: marker.el,
            },
            signal,
          ),
        (error: unknown) => console.error('Gridside: the pinned results could not be loaded', error),
      );
    };

    const passive = { capture: true, passive: true, signal };
    window.addEventListener(
      'scroll',
      () => {
        scheduleMove();
        settle();
      },
      passive,
    );
    window.addEventListener('scrollend', settle, passive);
    window.addEventListener(
      'resize',
      () => {
        scheduleMove();
        settle();
      },
      passive,
    );
    // Tabs, filters and searches change which grid shows without scrolling it.
    window.addEventListener('pointerup', settle, passive);
    window.addEventListener('keyup', settle, passive);
    window.addEventListener('hashchange', settle, { signal });
    onPinsChanged(settle, signal);
    settle();
    // Consoles fill their grids after the page loads: until a grid is being watched, any change to the
    // page may be its arrival. Stops as soon as one grid is watched (then the grid's observer takes over).
    const arrival = new MutationObserver(() => {
      if (observers.size > 0) arrival.disconnect();
      else settle();
    });
    arrival.observe(document.documentElement, { childList: true, subtree: true });

    signal.addEventListener(
      'abort',
      () => {
        clearTimeout(settleTimer);
        if (refreshFrame) cancelAnimationFrame(refreshFrame);
        if (moveFrame) cancelAnimationFrame(moveFrame);
        arrival.disconnect();
        for (const observer of observers.values()) observer.disconnect();
        layer.replaceChildren();
      },
      { once: true },
    );
  },
};
