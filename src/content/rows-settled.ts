/**
 * Two signals between the row marks (affordances/row-marks.ts) and the features that work on the rows on
 * screen without listening to scrolling themselves (affordances/auto-enrich.ts):
 * - "the rows on screen have settled": the marks just had their answer about them, after a scroll or a
 *   change of the grid came to rest; the rows still on screen now are the ones the analyst is looking at.
 *   The answer carries the fields auto-enrichment reads here, so it need not ask at every rest;
 * - "the marks are stale": something new will show on some rows (a run was started for them), ask again.
 */
type Listener<A extends unknown[] = []> = (...args: A) => void;
/** Told the fields this console's auto-enrichment reads, as the marks' answer gave them. */
type SettledListener = Listener<[autoFields: string[]]>;
const settled = new Set<SettledListener>();
const stale = new Set<Listener>();

function listen<L>(set: Set<L>, listener: L, signal: AbortSignal): void {
  set.add(listener);
  signal.addEventListener('abort', () => set.delete(listener), { once: true });
}

export const onRowsSettled = (listener: SettledListener, signal: AbortSignal): void =>
  listen(settled, listener, signal);
export const onMarksStale = (listener: Listener, signal: AbortSignal): void =>
  listen(stale, listener, signal);

export function rowsSettled(autoFields: string[]): void {
  for (const listener of settled) listener(autoFields);
}

export function marksStale(): void {
  for (const listener of stale) listener();
}
