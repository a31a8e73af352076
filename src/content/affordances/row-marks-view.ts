import { type ApprovalMarks, approvalMarkLabel, markKey } from '../../core/approval-marks.ts';
import { type AutoEnrichedMarks, isUnfinishedMark } from '../../core/auto-enriched.ts';
import type { PinMarkers } from '../../core/pins.ts';
import type { RowKind } from '../../core/row-context.ts';
import { ask } from '../background-channel.ts';
import type { ContentSession } from '../content-session.ts';
import type { GridHit } from '../grid/grids.ts';
import { readRow } from '../grid/read-row.ts';
import { type RowBox, rowBox } from '../grid/row-box.ts';
import { isShown, type RowClip, rowClip, rowsOnScreen } from '../grid/rows-on-screen.ts';
import { AUTO_MARK_CSS, autoEnrichedChip, openAutoRun, UNFINISHED_RECHECK_MS } from './auto-enriched-mark.ts';
import { MARK_GAP, MARKER_HEIGHT, ROW_MARKS_CSS } from './row-marks-style.ts';

/**
 * The marks themselves, loaded the first time the background says a row on screen has one (row-marks.ts
 * watches the grid and asks; most pages never have a pin or an approval waiting, and load none of this).
 * A pin with a count, and "Approve" for runs waiting for this analyst; buttons in the overlay's shadow
 * root, placed beside their rows once per frame (every box read, then every transform written).
 */

/** Same limit as the background's schema (core/pins.ts). */
const MAX_KEYS = 200;
/**
 * Room left at the row's right end for the floating "Run SmartResponse" button: 22 px round until it is
 * pointed at (floating-row-button.ts), with a gap on either side.
 */
const RUN_BUTTON_ROOM = 34;
/**
 * A right-to-left grid's end is its left side, where its own scrollbar is: the run button keeps clear of
 * it (floating-row-button.ts), and the marks keep to the button's right.
 */
const RTL_SCROLLBAR_GUTTER = 18;

interface Marker {
  hit: GridHit;
  key: string;
  kind: RowKind;
  /** The pin and its count, when the row has pins. */
  pin: HTMLButtonElement | null;
  /** "Approve", when runs of the row wait for this analyst. */
  approval: HTMLButtonElement | null;
  /** "Auto · <verdict>", when a trigger rule already enriched the row (auto-enriched-mark.ts). */
  auto: HTMLButtonElement | null;
  /** The row element's identity attributes when marked: changed means the grid rebound it to another row. */
  boundAs: string;
}

/** What a row element shows, by the attributes its grid changes when it rebinds the element. */
const boundAs = (hit: GridHit): string =>
  hit.adapter.watchAttributes.map((name) => hit.row.primary.getAttribute(name) ?? '').join('\u0000');

type PinViewModule = typeof import('../panel/pin-view.tsx');
let pinView: Promise<PinViewModule> | null = null;

export const pinLabel = (count: number): string =>
  count === 1 ? '1 pinned result' : `${count} pinned results`;

export const approvalMarkText = (count: number): string => (count === 1 ? 'Approve' : `Approve ${count}`);

export interface MarksView {
  /** Rows with a mark, by their row element (GridRow.primary). */
  readonly markers: ReadonlyMap<Element, unknown>;
  /** Draws the background's answer for the rows on screen now (rows may have been recycled meanwhile). */
  draw(pins: PinMarkers, approvals: ApprovalMarks, auto?: AutoEnrichedMarks): void;
  /** Moves every mark beside its row; call once per frame at most. */
  place(): void;
  /** Removes a row's marks (the grid rebound its element to another row). */
  drop(primary: Element): void;
}

export function createMarksView(
  session: ContentSession,
  layer: HTMLElement,
  settle: () => void,
  signal: AbortSignal,
): MarksView {
  const style = document.createElement('style');
  style.textContent = ROW_MARKS_CSS + AUTO_MARK_CSS;
  layer.append(style);
  const markers = new Map<Element, Marker>();

  const drop = (primary: Element) => {
    const marker = markers.get(primary);
    marker?.pin?.remove();
    marker?.approval?.remove();
    marker?.auto?.remove();
    markers.delete(primary);
  };

  /** One frame: every box read, then every transform written. */
  const place = () => {
    const clips = new Map<Element, RowClip>();
    /** Whether each grid runs right to left: read with the boxes, once per grid per frame. */
    const rtl = new Map<Element, boolean>();
    const moves: Array<[Marker, RowBox | null]> = [];
    for (const [primary, marker] of markers) {
      // Rebound while nothing watched (the page was scrolling): the mark would point at another row.
      if (!primary.isConnected || boundAs(marker.hit) !== marker.boundAs) {
        drop(primary);
        continue;
      }
      const root = marker.hit.row.root;
      let clip = clips.get(root);
      if (!clip) {
        clip = rowClip(marker.hit.adapter, root);
        clips.set(root, clip);
        rtl.set(root, getComputedStyle(root).direction === 'rtl');
      }
      const box = rowBox(marker.hit);
      moves.push([marker, isShown(box, clip) ? box : null]);
    }
    for (const [marker, box] of moves) {
      const marks = [marker.pin, marker.approval, marker.auto].filter((el): el is HTMLButtonElement => !!el);
      if (!box) {
        for (const el of marks) el.removeAttribute('data-shown');
        continue;
      }
      // From the run button's room at the row's end, towards its start: the pin, the approval mark, the
      // auto-enriched chip (right to left; left to right in a right-to-left grid).
      const y = box.top + Math.max(0, (box.bottom - box.top - MARKER_HEIGHT) / 2);
      const backwards = rtl.get(marker.hit.row.root) === true;
      let edge = backwards ? box.left + RTL_SCROLLBAR_GUTTER + RUN_BUTTON_ROOM : box.right - RUN_BUTTON_ROOM;
      for (const el of marks) {
        const width = el.offsetWidth || (el === marker.pin ? 34 : el === marker.auto ? 96 : 72);
        const x = backwards ? Math.min(box.right - 2 - width, edge) : Math.max(box.left + 2, edge - width);
        el.style.transform = `translate(${Math.round(x)}px, ${Math.round(y)}px)`;
        el.setAttribute('data-shown', '');
        edge = backwards ? x + width + MARK_GAP : x - MARK_GAP;
      }
    }
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
    enriched: AutoEnrichedMarks[string] | undefined,
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
    const auto = autoEnrichedChip(
      existing?.auto ?? null,
      enriched,
      () => button('auto-mark', () => openAuto(primary)),
      row.key,
    );
    return { hit: row.hit, key: row.key, kind: row.kind, pin, approval, auto, boundAs: boundAs(row.hit) };
  };

  let recheck: ReturnType<typeof setTimeout> | undefined;
  signal.addEventListener('abort', () => clearTimeout(recheck), { once: true });

  const draw = (pins: PinMarkers, approvals: ApprovalMarks, auto: AutoEnrichedMarks = {}) => {
    if (signal.aborted) return;
    const keep = new Set<Element>();
    let unfinished = false;
    // The rows may have been recycled while the background answered: read them again, now.
    for (const row of rowsOnScreen(session, MAX_KEYS)) {
      const count = Object.hasOwn(pins, row.key) ? (pins[row.key] ?? 0) : 0;
      const markKeyOfRow = markKey(row);
      const waiting = Object.hasOwn(approvals, markKeyOfRow) ? approvals[markKeyOfRow] : undefined;
      const enriched = Object.hasOwn(auto, markKeyOfRow) ? auto[markKeyOfRow] : undefined;
      if (!count && !waiting && !enriched) continue;
      if (enriched && isUnfinishedMark(enriched)) unfinished = true;
      markers.set(row.hit.row.primary, markerFor(row, count, waiting, enriched));
      keep.add(row.hit.row.primary);
    }
    for (const primary of [...markers.keys()]) if (!keep.has(primary)) drop(primary);
    place();
    // A triggered run on screen is still going: its verdict is asked for again shortly.
    clearTimeout(recheck);
    if (unfinished) recheck = setTimeout(settle, UNFINISHED_RECHECK_MS);
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
    const reply = await ask({ type: 'approvals.show', row: { key, kind } });
    if (!reply.ok && current.marker.approval) {
      current.marker.approval.title = reply.error.message;
      settle(); // decided elsewhere: the mark goes at the next answer
    }
  };

  const openAuto = (primary: Element) => {
    const current = currentRow(primary);
    if (!current) return;
    const { marker } = current;
    openAutoRun(
      session.overlay,
      {
        key: marker.key,
        kind: marker.kind,
        anchor: rowBox(marker.hit),
        returnFocus: marker.auto,
        at: marker.hit.row.primary,
      },
      signal,
    );
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
            at: marker.hit.row.primary,
          },
          signal,
        ),
      (error: unknown) => console.error('Gridside: the pinned results could not be loaded', error),
    );
  };

  return { markers, draw, place, drop };
}
