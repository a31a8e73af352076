/**
 * "The pins of this page changed" (pinned, unpinned), from the panel chunk to the markers in the main
 * bundle: both import this one module, so the markers refresh at once instead of at the next scroll.
 */
type Listener = () => void;
const listeners = new Set<Listener>();

export function onPinsChanged(listener: Listener, signal: AbortSignal): void {
  listeners.add(listener);
  signal.addEventListener('abort', () => listeners.delete(listener), { once: true });
}

export function pinsChanged(): void {
  for (const listener of listeners) listener();
}
