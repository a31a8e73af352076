/**
 * Two signals between the row marks (affordances/row-marks.ts) and the features that work on the rows on
 * screen without listening to scrolling themselves (affordances/auto-enrich.ts):
 * - "the rows on screen have settled": the marks just asked about them, after a scroll or a change of the
 *   grid came to rest; the rows still on screen now are the ones the analyst is looking at;
 * - "the marks are stale": something new will show on some rows (a run was started for them), ask again.
 */
type Listener = () => void;
const settled = new Set<Listener>();
const stale = new Set<Listener>();

function listen(set: Set<Listener>, listener: Listener, signal: AbortSignal): void {
  set.add(listener);
  signal.addEventListener('abort', () => set.delete(listener), { once: true });
}

export const onRowsSettled = (listener: Listener, signal: AbortSignal): void =>
  listen(settled, listener, signal);
export const onMarksStale = (listener: Listener, signal: AbortSignal): void =>
  listen(stale, listener, signal);

export function rowsSettled(): void {
  for (const listener of settled) listener();
}

export function marksStale(): void {
  for (const listener of stale) listener();
}
