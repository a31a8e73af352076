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
}

export function createPageWatch(
  onChange: (records: MutationRecord[]) => void,
  signal: AbortSignal,
): PageWatch {
  const watched = new Set<Node>();
  const observer = new MutationObserver(onChange);
  const stop = () => {
    observer.disconnect();
    watched.clear();
  };
  signal.addEventListener('abort', stop, { once: true });
  const watch = (target: Node, changes: MutationObserverInit) => {
    if (signal.aborted || watched.has(target)) return;
    observer.observe(target, changes);
    watched.add(target);
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
