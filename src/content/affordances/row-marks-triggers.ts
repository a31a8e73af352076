import { onPush } from '../background-channel.ts';
import type { ContentSession } from '../content-session.ts';
import { createPageWatch, type PageWatch } from '../page-watch.ts';
import { onPinsChanged } from '../pins-changed.ts';

/**
 * When the rows on screen may have changed, so the marks must be asked for again (`settle`). Scrolls and
 * resizes are not here: row-marks.ts hides the marks while the page moves and settles at rest
 * (page-motion.ts). Nor is the recheck of a visible tab that nothing changes (MARKS_RECHECK_MS, row-marks.ts).
 */
export function watchForRowChanges(
  session: ContentSession,
  grids: PageWatch,
  settle: () => void,
  signal: AbortSignal,
): void {
  const passive = { capture: true, passive: true, signal };
  // Tabs, filters and searches change which grid shows without scrolling it. Keys and clicks in
  // Gridside's own panel and buttons (retargeted to its host) change no grid: typing an action's name and
  // clicking Run would otherwise read every row on screen again while the run starts, on the same cores.
  const onPageInput = (event: Event) => {
    if (event.target !== session.overlay.host) settle();
  };
  window.addEventListener('pointerup', onPageInput, passive);
  window.addEventListener('keyup', onPageInput, passive);
  window.addEventListener('hashchange', settle, { signal });
  onPinsChanged(settle, signal);
  // The page opened or closed a modal dialog: rows behind it lose their marks until it closes.
  session.overlay.topLayer.onChange(settle);
  onPush((push) => {
    if (push.type === 'approvals.changed') settle();
  }, signal);

  // Consoles fill their grids after the page loads: until a grid is being watched, any change to the
  // page may be its arrival. Stops as soon as one grid is watched (then the grid's own watch takes over).
  const arrival = createPageWatch(() => {
    if (grids.size > 0) arrival.stop();
    else settle();
  }, signal);
  arrival.watch(document.documentElement, { childList: true, subtree: true });
}
