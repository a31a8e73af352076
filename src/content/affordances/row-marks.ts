import type { ApprovalMarks } from '../../core/approval-marks.ts';
import { markKey } from '../../core/approval-marks.ts';
import type { AutoEnrichedMarks } from '../../core/auto-enriched.ts';
import type { PinMarkers } from '../../core/pins.ts';
import { ask, onPush } from '../background-channel.ts';
import type { ContentFeature, ContentSession } from '../content-session.ts';
import type { GridAdapter } from '../grid/grid-adapter.ts';
import { rowsOnScreen } from '../grid/rows-on-screen.ts';
import { onPinsChanged } from '../pins-changed.ts';
import type { MarksView } from './row-marks-view.ts';

/**
 * Marks beside the rows on screen: a pin with a count for a row with pinned results (docs/architecture.md
 * §7), and "Approve" for a row whose runs wait for this analyst's approval (docs/architecture.md §5;
 * core/approval-marks.ts). Once the grid settles (its rows changed, a scroll ended), the rendered rows go
 * to the background in one `pins.markers` and one `approvals.marks` message; the marks live in the
 * overlay's shadow root, never in the grid's DOM (row-marks-view.ts, loaded the first time there is a mark
 * to draw). While scrolling they follow their rows at most once per frame, with no listener per row; a
 * row element the grid rebinds to another row loses its marks at once.
 */

/** Quiet time after the last grid change or scroll before the rows are read again. */
export const SETTLE_MS = 150;
/** Same limits as the background's schema (core/pins.ts), kept here so zod stays out of the page. */
const MAX_KEYS = 200;
const MAX_KEY_CHARS = 2048;

export const rowMarks: ContentFeature = {
  id: 'row-marks',
  init(session: ContentSession, signal: AbortSignal) {
    const layer = session.overlay.layer('pins');
    const observers = new Map<Element, MutationObserver>();
    let settleTimer: ReturnType<typeof setTimeout> | undefined;
    let refreshFrame = 0;
    let moveFrame = 0;
    let asked = 0; // answers to older questions are dropped
    let view: MarksView | null = null;
    let loading: Promise<MarksView> | null = null;
    const loadView = () => {
      loading ??= import('./row-marks-view.ts').then((module) => {
        view = module.createMarksView(session, layer, settle, signal);
        return view;
      });
      return loading;
    };

    const scheduleMove = () => {
      if (view && view.markers.size > 0 && !moveFrame)
        moveFrame = requestAnimationFrame(() => {
          moveFrame = 0;
          view?.place();
        });
    };

    const refresh = async () => {
      refreshFrame = 0;
      watchGrids();
      const rows = rowsOnScreen(session, MAX_KEYS).filter((row) => row.key.length <= MAX_KEY_CHARS);
      const keys = [...new Set(rows.map((row) => row.key))];
      const question = ++asked;
      if (keys.length === 0) {
        for (const primary of [...(view?.markers.keys() ?? [])]) view?.drop(primary);
        return;
      }
      const marked = [...new Map(rows.map((row) => [markKey(row), { key: row.key, kind: row.kind }]))];
      const markedRows = marked.map(([, row]) => row);
      const [pins, approvals, auto] = await Promise.all([
        ask<PinMarkers>({ type: 'pins.markers', console: session.origin, rowKeys: keys }),
        ask<ApprovalMarks>({ type: 'approvals.marks', rows: markedRows }),
        ask<AutoEnrichedMarks>({ type: 'triggers.marks', rows: markedRows }),
      ]);
      if (question !== asked || signal.aborted) return;
      // Marks are a hint: a failed answer draws nothing of its kind, quietly.
      if (!pins.ok && !approvals.ok && !auto.ok) return;
      const pinData: PinMarkers = pins.ok ? pins.data : {};
      const approvalData: ApprovalMarks = approvals.ok ? approvals.data : {};
      const autoData: AutoEnrichedMarks = auto.ok ? auto.data : {};
      const anything = [pinData, approvalData, autoData].some((data) => Object.keys(data).length > 0);
      if (!anything && !view?.markers.size) return; // nothing to draw, nothing to take away
      const shown = await loadView();
      if (question !== asked || signal.aborted) return;
      requestAnimationFrame(() => shown.draw(pinData, approvalData, autoData));
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
          if (record.type === 'attributes' && view?.markers.has(record.target as Element))
            view.drop(record.target as Element);
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
