import {
  type ApprovalMarks,
  type ApprovalsShown,
  approvalMarkLabel,
  markKey,
} from '../../core/approval-marks.ts';
import type { PinMarkers } from '../../core/pins.ts';
import type { RowKind } from '../../core/row-context.ts';
import { ask, onPush } from '../background-channel.ts';
import type { ContentFeature, ContentSession } from '../content-session.ts';
import type { GridAdapter } from '../grid/grid-adapter.ts';
import type { GridHit } from '../grid/grids.ts';
import { readRow } from '../grid/read-row.ts';
import { type RowBox, rowBox } from '../grid/row-box.ts';
import { isShown, rowClip, rowsOnScreen } from '../grid/rows-on-screen.ts';
import { onPinsChanged } from '../pins-changed.ts';
import { MARK_GAP, MARKER_HEIGHT, ROW_MARKS_CSS } from './row-marks-style.ts';

/**
 * Marks beside the rows on screen: a pin with a count for a row with pinned results (docs/architecture.md
 * §7), and "Approve" for a row whose runs wait for this analyst's approval (docs/architecture.md §5;
 * core/approval-marks.ts). Once the grid settles (its rows changed, a scroll ended), the rendered rows go to the background in one `pins.markers`
 * and one `approvals.marks` message; the marks live in the overlay's shadow root, never in the grid's DOM.
 * While scrolling they follow their rows at most once per frame (reads first, then writes), with no
 * listener per row; a row element the grid rebinds to another row loses its marks at once.
 */

/** Quiet time after the last grid change or scroll before the rows are read again. */
export const SETTLE_MS = 150;
/** Same limits as the background's schema (core/pins.ts), kept here so zod stays out of the page. */
const MAX_KEYS = 200;
const MAX_KEY_CHARS = 2048;
/** Room left at the row's right end for the floating "Run SmartResponse" button. */
const RUN_BUTTON_ROOM = 150;
interface Marker {
  hit: GridHit;
  key: string;
  kind: RowKind;
  /** The pin and its count, when the row has pins. */
  pin: HTMLButtonElement | null;
  /** "Approve", when runs of the row wait for this analyst. */
  approval: HTMLButtonElement | null;
}

type PinViewModule = typeof import('../panel/pin-view.tsx');
let pinView: Promise<PinViewModule> | null = null;

export const pinLabel = (count: number): string =>
  count === 1 ? '1 pinned result' : `${count} pinned results`;

export const approvalMarkText = (count: number): string => (count === 1 ? 'Approve' : `Approve ${count}`);

export const rowMarks: ContentFeature = {
  id: 'row-marks',
  init(session: ContentSession, signal: AbortSignal) {
    const layer = session.overlay.layer('pins');
    const style = document.createElement('style');
    style.textContent = ROW_MARKS_CSS;
    layer.append(style);

    const markers = new Map<Element, Marker>(); // row element (GridRow.primary) → its marker
    const observers = new Map<Element, MutationObserver>();
    let settleTimer: ReturnType<typeof setTimeout> | undefined;
    let refreshFrame = 0;
    let moveFrame = 0;
    let asked = 0; // answers to older questions are dropped

    const drop = (primary: Element) => {
      const marker = markers.get(primary);
      marker?.pin?.remove();
      marker?.approval?.remove();
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
        const marks = [marker.pin, marker.approval].filter((el): el is HTMLButtonElement => !!el);
        if (!box) {
          for (const el of marks) el.removeAttribute('data-shown');
          continue;
        }
        // Right to left from the run button's room: the pin, then the approval mark.
        const y = box.top + Math.max(0, (box.bottom - box.top - MARKER_HEIGHT) / 2);
        let right = box.right - RUN_BUTTON_ROOM;
        for (const el of marks) {
          const width = el.offsetWidth || (el === marker.pin ? 34 : 72);
          const x = Math.max(box.left + 2, right - width);
          el.style.transform = `translate(${Math.round(x)}px, ${Math.round(y)}px)`;
          el.setAttribute('data-shown', '');
          right = x - MARK_GAP;
        }
      }
    };
    const scheduleMove = () => {
      if (markers.size > 0 && !moveFrame) moveFrame = requestAnimationFrame(place);
    };

    const button = (className: string, onClick: () => void): HTMLButtonElement => {
      const el = document.createElement('button');
      el.type = 'button';
      el.className = className;
      el.addEventListener('click', (event) => {
        if (session.isUserInput(event)) onClick();
      });
      layer.append(el);
      return el;
    };

    /** The row's marks as the background answered: made, updated or removed. */
    const markerFor = (
      row: { hit: GridHit; key: string; kind: RowKind },
      pins: number,
      waiting: ApprovalMarks[string] | undefined,
    ): Marker => {
      const primary = row.hit.row.primary;
      const existing = markers.get(primary);
      let pin = existing?.pin ?? null;
      if (pins > 0) {
        pin ??= button('pin-marker', () => openPins(primary));
        pin.textContent = String(pins);
        pin.setAttribute('aria-label', pinLabel(pins));
        pin.title = pinLabel(pins);
        pin.dataset.rowKey = row.key;
      } else {
        pin?.remove();
        pin = null;
      }
      let approval = existing?.approval ?? null;
      if (waiting) {
        approval ??= button('approval-mark', () => void openApprovals(primary));
        const label = approvalMarkLabel(waiting.count);
        approval.textContent = approvalMarkText(waiting.count);
        approval.setAttribute('aria-label', `${label}: open the approval window`);
        approval.title = `${label}: ${waiting.actions.join(', ')}`;
        approval.dataset.rowKey = row.key;
      } else {
        approval?.remove();
        approval = null;
      }
      return { hit: row.hit, key: row.key, kind: row.kind, pin, approval };
    };

    const draw = (pins: PinMarkers, approvals: ApprovalMarks) => {
      if (signal.aborted) return;
      const keep = new Set<Element>();
      // The rows may have been recycled while the background answered: read them again, now.
      for (const row of rowsOnScreen(session, MAX_KEYS)) {
        const count = Object.hasOwn(pins, row.key) ? (pins[row.key] ?? 0) : 0;
        const markKeyOfRow = markKey(row);
        const waiting = Object.hasOwn(approvals, markKeyOfRow) ? approvals[markKeyOfRow] : undefined;
        if (!count && !waiting) continue;
        markers.set(row.hit.row.primary, markerFor(row, count, waiting));
        keep.add(row.hit.row.primary);
      }
      for (const primary of [...markers.keys()]) if (!keep.has(primary)) drop(primary);
      place();
    };

    const refresh = async () => {
      refreshFrame = 0;
      watchGrids();
      const rows = rowsOnScreen(session, MAX_KEYS).filter((row) => row.key.length <= MAX_KEY_CHARS);
      const keys = [...new Set(rows.map((row) => row.key))];
      const question = ++asked;
      if (keys.length === 0) {
        for (const primary of [...markers.keys()]) drop(primary);
        return;
      }
      const marked = [...new Map(rows.map((row) => [markKey(row), { key: row.key, kind: row.kind }]))];
      const [pins, approvals] = await Promise.all([
        ask<PinMarkers>({ type: 'pins.markers', console: session.origin, rowKeys: keys }),
        ask<ApprovalMarks>({ type: 'approvals.marks', rows: marked.map(([, row]) => row) }),
      ]);
      if (question !== asked || signal.aborted) return;
      // Marks are a hint: a failed answer draws nothing of its kind, quietly.
      if (!pins.ok && !approvals.ok) return;
      requestAnimationFrame(() => draw(pins.ok ? pins.data : {}, approvals.ok ? approvals.data : {}));
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

    /** The marker's row as it is now, or `null` when the grid rebound it since the last frame. */
    const currentRow = (primary: Element) => {
      const marker = markers.get(primary);
      if (!marker) return null;
      const reading = readRow(marker.hit, {
        console: session.origin,
        fieldOverrides: session.fieldOverrides,
      });
      return reading.context.key.value === marker.key ? { marker, reading } : null;
    };

    /** The approval window opens in the extension's own page: the decision is never taken in this page. */
    const openApprovals = async (primary: Element) => {
      const current = currentRow(primary);
      if (!current) return;
      const { key, kind } = current.marker;
      const reply = await ask<ApprovalsShown>({ type: 'approvals.show', row: { key, kind } });
      if (!reply.ok && current.marker.approval) {
        current.marker.approval.title = reply.error.message;
        settle(); // decided elsewhere: the mark goes at the next answer
      }
    };

    const openPins = (primary: Element) => {
      const current = currentRow(primary);
      if (!current) return;
      const { marker, reading } = current;
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
              returnFocus: marker.pin,
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
    // The page opened or closed a modal dialog: rows behind it lose their marks until it closes.
    session.overlay.topLayer.onChange(settle);
    onPush((push) => {
      if (push.type === 'approvals.changed') settle();
    }, signal);
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
