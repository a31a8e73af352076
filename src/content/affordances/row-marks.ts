import { afterLayoutFor, whenIdle } from '../after-layout.ts';
import type { ContentFeature, ContentSession } from '../content-session.ts';
import { rootsOf } from '../grid/rows-on-screen.ts';
import { pageMotion } from '../page-motion.ts';
import { createPageWatch } from '../page-watch.ts';
import { onMarksStale, rowsSettled } from '../rows-settled.ts';
import { askMarksOnScreen } from './row-marks-ask.ts';
import { watchForRowChanges } from './row-marks-triggers.ts';
import type { MarksView } from './row-marks-view.ts';

/**
 * Marks beside the rows on screen: a pin with a count for a row with pinned results (docs/architecture.md
 * §7), and "Approve" for a row whose runs wait for this analyst's approval (docs/architecture.md §5;
 * core/approval-marks.ts). Once the grid settles (its rows changed, a scroll ended: row-marks-triggers.ts),
 * the rendered rows go to the background in one question of each kind (row-marks-ask.ts); the marks live
 * in the overlay's shadow root, never in the grid's DOM (row-marks-view.ts, loaded the first time there is
 * a mark to draw). While the page scrolls or resizes the marks are hidden, all at once, and nothing is
 * watched or read (page-motion.ts): once it rests they are placed beside their rows after a layout and shown
 * again in the same frame, so a mark is never painted away from its row. A row element the grid rebinds to
 * another row loses its marks (at once, or at rest when it happened during a scroll).
 */

/** Quiet time after the last grid change or scroll before the rows are read again. */
export const SETTLE_MS = 150;
/**
 * After a scroll, longer: the marks already shown are back at once, and an analyst scrolling in flicks
 * rests often but briefly; the rows now on screen are read once the page has stayed still.
 */
export const SETTLE_AFTER_SCROLL_MS = 300;
/**
 * While the analyst can see the page and nothing on it changes, the rows on screen are asked about again
 * this long after the last answer: a trigger rule that enriches an alarm already on screen tells this page
 * nothing, and its "Auto" chip would wait for the next click or scroll (docs/auto-enrichment.md). Longer
 * than the worker keeps an answer (MARKS_TTL_MS, 15 s), so each round gets a fresh one: one question for
 * the rows on screen, none while the tab is hidden.
 */
export const MARKS_RECHECK_MS = 20_000;

export const rowMarks: ContentFeature = {
  id: 'row-marks',
  init(session: ContentSession, signal: AbortSignal) {
    const layer = session.overlay.layer('pins');
    let settleTimer: ReturnType<typeof setTimeout> | undefined;
    let refreshing = false;
    const motion = pageMotion(signal);
    const afterLayout = afterLayoutFor(session.overlay, signal);
    let asked = 0; // answers to older questions are dropped
    let view: MarksView | null = null;
    let loading: Promise<MarksView> | null = null;
    const loadView = () => {
      loading ??= import('./row-marks-view.ts').then((module) => {
        view = module.createMarksView(session, layer, () => settle(), signal);
        return view;
      });
      return loading;
    };

    /** One watch over every grid: it re-rendered or rebound its rows. */
    const grids = createPageWatch((records) => {
      for (const record of records) {
        // This element now shows another row: its marker would point at the wrong one.
        if (record.type === 'attributes' && view?.markers.has(record.target as Element))
          view.drop(record.target as Element);
      }
      settle();
    }, signal);

    /** The page moves: hide every mark (one write), read nothing until it rests. */
    const hideWhileMoving = () => {
      clearTimeout(settleTimer);
      grids.pause();
      layer.hidden = true;
    };
    /** At rest: every mark beside its row, placed after a layout and shown in that same frame. */
    const showAtRest = () => {
      grids.resume();
      afterLayout(() => {
        if (motion.moving || signal.aborted) return;
        view?.place();
        layer.hidden = false;
      });
      settle(SETTLE_AFTER_SCROLL_MS);
    };

    const refresh = async () => {
      refreshing = false;
      settle(MARKS_RECHECK_MS); // unless something changes sooner
      for (const adapter of session.adapters) {
        for (const root of rootsOf(adapter)) grids.watchGrid(adapter, root);
      }
      const question = ++asked;
      const answer = await askMarksOnScreen(session);
      if (answer.kind === 'no-rows') {
        // A Map walk may delete as it goes.
        view?.markers.forEach((_, primary) => {
          view?.drop(primary);
        });
        return;
      }
      if (question !== asked || signal.aborted || answer.kind === 'unanswered') return;
      const { pins, approvals, auto } = answer;
      rowsSettled(answer.autoFields); // auto-enrichment proposes these rows (auto-enrich.ts)
      const anything = [pins, approvals, auto].some((data) => Object.keys(data).length > 0);
      if (!anything && !view?.markers.size) return; // nothing to draw, nothing to take away
      const shown = await loadView();
      if (question !== asked || signal.aborted) return;
      afterLayout(() => shown.draw(pins, approvals, auto));
    };

    const settle = (after = SETTLE_MS) => {
      clearTimeout(settleTimer);
      settleTimer = setTimeout(() => {
        // Rows are read once the page is idle, after the next layout (whenIdle): not in the frames a grid
        // draws while it re-renders its rows. While the page moves, its rest settles again; while the tab
        // is hidden, its return does (auto-enrich.ts).
        if (refreshing || signal.aborted || motion.moving || document.hidden) return;
        refreshing = true;
        whenIdle(() => afterLayout(() => void refresh()));
      }, after);
    };

    watchForRowChanges(session, grids, () => settle(), signal); // not handed an event as the delay
    motion.watch({ started: hideWhileMoving, rested: showAtRest }, signal);
    onMarksStale(() => settle(), signal);
    settle();

    signal.addEventListener('abort', () => {
      clearTimeout(settleTimer);
      layer.replaceChildren();
    });
  },
};
