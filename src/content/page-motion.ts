/**
 * "The page is moving" (something scrolls or the window resizes) and "it is at rest again", for every
 * feature of one content script. While the page moves Gridside draws nothing new, so the features hide what
 * would have to follow the rows, stop watching the grids and wait: the analyst's scroll costs the page
 * almost no Gridside JavaScript (docs/benchmarks.md "Grid"). One passive listener per event type for all
 * features; per event it only notes the time. The rest is noticed by one interval timer per burst (not a
 * timer set again at every scroll step: creating timers is what cost most), confirmed by one more frame.
 */

/** No scroll or resize for this long: the page rests. Short enough that a hover right after feels immediate. */
export const REST_MS = 120;

export interface PageMotion {
  /** Whether the page scrolled or resized less than REST_MS ago. */
  readonly moving: boolean;
  /** Calls `started` when the page starts moving and `rested` once it rests again, until `signal` aborts. */
  watch(handlers: { started(): void; rested(): void }, signal: AbortSignal): void;
}

const shared = new WeakMap<AbortSignal, PageMotion>();

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
  let last = 0;
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
  let confirming = false;
  /** Runs every REST_MS / 2 while the page moves: one timer per burst, not one per check. */
  const checkRest = () => {
    if (confirming || performance.now() - last < REST_MS) return;
    // On a busy page one slow frame can hold the next wheel step back for longer than REST_MS: the
    // browser delivers pending input before the next frame's callbacks, so a scroll still under way
    // shows up by then.
    confirming = true;
    const seen = last;
    requestAnimationFrame(() => {
      confirming = false;
      if (signal.aborted || last !== seen) return;
      clearInterval(timer);
      timer = undefined;
      moving = false;
      tell('rested');
    });
  };
  const moved = () => {
    last = performance.now();
    if (moving) return;
    moving = true;
    timer = setInterval(checkRest, REST_MS / 2);
    tell('started');
  };
  // Capture on window: scroll events of inner scrollers (a grid's viewport) do not bubble.
  const options = { capture: true, passive: true, signal };
  window.addEventListener('scroll', moved, options);
  window.addEventListener('resize', moved, options);
  signal.addEventListener('abort', () => {
    clearInterval(timer);
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
