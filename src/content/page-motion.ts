/**
 * "The page is moving" (something scrolls or the window resizes) and "it is at rest again", for every
 * feature of one content script. While the page moves Gridside draws nothing new, so the features hide what
 * would have to follow the rows, stop watching the grids and wait: the analyst's scroll costs the page
 * almost no Gridside JavaScript (docs/benchmarks.md "Grid"). One passive listener per event type for all
 * features; it hears one scroll event per check while the page moves, and only counts it. The rest is
 * noticed by one interval timer per burst (not a timer set again at every scroll step: creating timers is
 * what cost most), once a whole REST_MS between two checks heard nothing, confirmed by one more frame.
 */

/** No scroll or resize for this long: the page rests. Short enough that a hover right after feels immediate. */
export const REST_MS = 120;

/** How often a moving page is checked: REST_MS is two whole intervals without an event. */
const CHECK_MS = REST_MS / 2;

export interface PageMotion {
  /** Whether the page scrolled or resized less than REST_MS ago. */
  readonly moving: boolean;
  /** Calls `started` when the page starts moving and `rested` once it rests again, until `signal` aborts. */
  watch(handlers: { started(): void; rested(): void }, signal: AbortSignal): void;
}

const shared = new WeakMap<AbortSignal, PageMotion>();
/** Capture on window: scroll events of inner scrollers (a grid's viewport) do not bubble. */
const ONE_SCROLL = { capture: true, passive: true, once: true };

/** The page's motion for the content script torn down by `signal` (one listener however many features ask). */
export function pageMotion(signal: AbortSignal): PageMotion {
  let motion = shared.get(signal);
  if (!motion) {
    motion = createPageMotion(signal);
    shared.set(signal, motion);
  }
  return motion;
}

function createPageMotion(signal: AbortSignal): PageMotion {
  const watchers = new Set<{ started(): void; rested(): void }>();
  let moving = false;
  /** A scroll or resize was heard since the last check; how many checks in a row have heard none. */
  let heard = false;
  let quietChecks = 0;
  let timer: ReturnType<typeof setInterval> | undefined;

  const tell = (which: 'started' | 'rested') => {
    for (const watcher of [...watchers]) {
      try {
        watcher[which]();
      } catch (error) {
        console.error('Gridside: a feature failed to follow the page', error);
      }
    }
  };
  /**
   * The scroll listener hears one event, then is deaf until the next check: a grid scrolls several
   * elements at every step (its rows, its pinned parts, its header), and each event would be a call into
   * Gridside, where one per check says all it needs: the page still moves. Added again while it still
   * listens (a resize was heard), it stays one listener. No abort signal in its options: each adding
   * would leave the signal one more thing to do; the abort below takes it off.
   */
  const listenForScroll = () => window.addEventListener('scroll', stirred, ONE_SCROLL);
  /** Runs every CHECK_MS while the page moves: one timer per burst, not one per check. */
  const checkRest = () => {
    if (heard) {
      listenForScroll();
      // The page is quiet at best from now on. A check never knows when within its interval the last
      // event came (the listener was deaf after the first), so the quiet is counted in whole intervals
      // from this check on.
      heard = false;
      quietChecks = 0;
      return;
    }
    // Confirmed once, at the check that completes REST_MS: a later check leaves it to that frame.
    quietChecks += 1;
    if (quietChecks !== REST_MS / CHECK_MS) return;
    // On a busy page one slow frame can hold the next wheel step back for longer than REST_MS: the
    // browser delivers pending input before the next frame's callbacks, so a scroll still under way
    // shows up by then.
    requestAnimationFrame(() => {
      if (signal.aborted || heard) return;
      clearInterval(timer);
      moving = false;
      tell('rested');
    });
  };
  const stirred = () => {
    heard = true;
    if (moving) return;
    // Left for the first check to count: events may come unheard until then, so only a check knows since
    // when the page is quiet.
    moving = true;
    timer = setInterval(checkRest, CHECK_MS);
    tell('started');
  };
  listenForScroll();
  window.addEventListener('resize', stirred, { capture: true, passive: true, signal });
  signal.addEventListener('abort', () => {
    clearInterval(timer);
    window.removeEventListener('scroll', stirred, ONE_SCROLL);
    watchers.clear();
  });

  return {
    get moving() {
      return moving;
    },
    watch(handlers, until) {
      if (until.aborted) return;
      watchers.add(handlers);
      until.addEventListener('abort', () => watchers.delete(handlers), { once: true });
    },
  };
}
