import type { GridAdapter } from './grid/grid-adapter.ts';

/**
 * "Watch these elements while the page lives, stop on teardown": one MutationObserver per feature, which
 * takes on each element once and is disconnected when the feature's signal aborts (an update orphaning
 * the content script, or a test's teardown). Features never keep observers of their own, so none is
 * left running on a page Gridside has left.
 */
export interface PageWatch {
  /** Starts watching `target` (once: a target already watched is left as it is). */
  watch(target: Node, changes: MutationObserverInit): void;
  /** Starts watching the part of a grid its adapter says re-renders or rebinds rows (`watchTarget`). */
  watchGrid(adapter: GridAdapter, root: Element): void;
  /** How many elements are being watched. */
  readonly size: number;
  /** Stops watching everything before the teardown (the watch has done its job). */
  stop(): void;
  /**
   * Stops listening while the page moves (page-motion.ts) and the feature will look again at rest anyway:
   * a scrolling grid recycles rows at every step, and each change would otherwise call the feature.
   * Changes made meanwhile are not reported.
   */
  pause(): void;
  /** Listens again to everything watched before the pause. */
  resume(): void;
}

export function createPageWatch(
  onChange: (records: MutationRecord[]) => void,
  signal: AbortSignal,
): PageWatch {
  const watched = new Map<Node, MutationObserverInit>();
  const observer = new MutationObserver(onChange);
  let paused = false;
  const stop = () => {
    observer.disconnect();
    watched.clear();
  };
  signal.addEventListener('abort', stop, { once: true });
  const watch = (target: Node, changes: MutationObserverInit) => {
    if (signal.aborted || watched.has(target)) return;
    if (!paused) observer.observe(target, changes);
    watched.set(target, changes);
  };
  return {
    watch,
    watchGrid(adapter, root) {
      watch(adapter.watchTarget(root), gridChanges(adapter));
    },
    get size() {
      return watched.size;
    },
    stop,
    pause() {
      if (paused) return;
      paused = true;
      observer.disconnect();
    },
    resume() {
      if (!paused || signal.aborted) return;
      paused = false;
      for (const [target, changes] of watched) observer.observe(target, changes);
    },
  };
}

/** Rows added, removed or re-rendered anywhere in the grid, and rows rebound to other data (attributes). */
function gridChanges(adapter: GridAdapter): MutationObserverInit {
  return {
    childList: true,
    subtree: true,
    ...(adapter.watchAttributes.length ? { attributes: true, attributeFilter: adapter.watchAttributes } : {}),
  };
}
