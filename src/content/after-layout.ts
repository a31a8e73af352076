/**
 * "Run this right after the browser's next layout": the moment boxes can be read for free. Reading a box
 * anywhere else (an event handler, an animation-frame callback) after the page changed its DOM or styles
 * makes the browser lay the page out there and then, inside Gridside's code: on a console grid that is
 * most of what showing the row button used to cost.
 *
 * A ResizeObserver reports a newly observed element right after layout, before paint, in the same frame:
 * one 1×1 invisible element, observed anew whenever there is work, gives that moment. Whatever the
 * callbacks write (a transform, `data-shown`) is painted in that frame. Where there is no ResizeObserver
 * (tests' jsdom, which has no layout either) the work runs at once.
 */

export type AfterLayout = (work: () => void) => void;

/**
 * Runs `work` when the page is idle (soon, where the browser cannot tell). Work that can wait for the page
 * to rest goes here first and after a layout second: it then runs in the frame that follows an idle
 * moment, not in the frames a busy page draws (a grid re-rendering its rows after a scroll), where its
 * milliseconds could turn the page's frame into a long task.
 */
export function whenIdle(work: () => void): void {
  if (typeof requestIdleCallback === 'function') requestIdleCallback(work, { timeout: 500 });
  else setTimeout(work, 50);
}

const shared = new WeakMap<AbortSignal, AfterLayout>();

/** The content script's one after-layout queue (its probe in the overlay's own `after-layout` layer). */
export function afterLayoutFor(
  overlay: { layer(name: string): HTMLElement },
  signal: AbortSignal,
): AfterLayout {
  let queue = shared.get(signal);
  if (!queue) {
    queue = createAfterLayout(overlay.layer('after-layout'), signal);
    shared.set(signal, queue);
  }
  return queue;
}

export function createAfterLayout(parent: HTMLElement, signal: AbortSignal): AfterLayout {
  let queue: Array<() => void> = [];
  const runQueue = () => {
    const work = queue;
    queue = [];
    for (const fn of work) {
      try {
        fn();
      } catch (error) {
        console.error('Gridside: after-layout work failed', error);
      }
    }
  };
  if (typeof ResizeObserver !== 'function') {
    return (work) => {
      if (signal.aborted) return;
      queue.push(work);
      runQueue();
    };
  }

  const probe = document.createElement('div');
  probe.setAttribute('aria-hidden', 'true');
  probe.style.cssText =
    'position:fixed;top:0;left:0;width:1px;height:1px;visibility:hidden;pointer-events:none;contain:strict';
  parent.append(probe);
  let armed = false;
  let delivering = false;
  const deliver = () => {
    observer.unobserve(probe);
    armed = false;
    delivering = true;
    try {
      runQueue();
    } finally {
      delivering = false;
    }
    // Work queued by that work waits for the next frame: observing again inside a ResizeObserver
    // callback would be "undelivered", and the browser would report a ResizeObserver loop to the page.
    if (queue.length > 0) requestAnimationFrame(arm);
  };
  const observer = new ResizeObserver(deliver);
  function arm() {
    if (armed || signal.aborted || queue.length === 0) return;
    armed = true;
    observer.observe(probe);
    // A quiet page may produce no frame of its own: ask for one. After that frame (a task queued from
    // it runs once it is painted) the work runs anyway, should the probe not have been laid out (the page
    // took the overlay out of the top layer): late, but never lost.
    requestAnimationFrame(() =>
      setTimeout(() => {
        if (armed) deliver();
      }, 0),
    );
  }
  signal.addEventListener(
    'abort',
    () => {
      observer.disconnect();
      probe.remove();
      queue = [];
    },
    { once: true },
  );
  return (work) => {
    if (signal.aborted) return;
    queue.push(work);
    if (!delivering) arm();
  };
}
