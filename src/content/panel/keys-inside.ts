import type { OverlayHost } from '../overlay-host.ts';

/**
 * Keys pressed in Gridside's views are Gridside's. Without this, the page heard them too, retargeted to
 * Gridside's host: a console's single-key shortcuts (which skip keys typed into the page's own fields, but
 * cannot tell that the host holds one) acted on letters typed into the panel's filter, and Escape closed
 * the page's dialog around the grid as well as the panel (Radix's dialogs, so shadcn/ui's, listen for it on
 * the document before anything else).
 *
 * - Keys leave the host no further: a stop on the host itself, after the views' own handlers inside its
 *   root. Gridside's page-wide listeners (Alt+Shift+R, the row marks) listen on the window while capturing,
 *   before the host, so they still hear them.
 * - Escape, which a page may listen for while capturing (before any element sees it), is stopped at the
 *   window, where capturing starts, and handed to the focused element in the view as an event that stays
 *   inside the root: the views close on it as on the key itself. Only Escape: its default action
 *   (clearing a search box) still runs, while a letter handed on this way would type nothing. Teach mode
 *   takes its own Escape on the window, and is left to.
 *
 * Loaded with the views, installed once per host when the first of them opens.
 */
const installed = new WeakSet<HTMLElement>();

const KEYS = ['keydown', 'keyup', 'keypress'] as const;

export function keepKeysInside(overlay: OverlayHost, signal: AbortSignal): void {
  const { host, shadow } = overlay;
  if (installed.has(host) || signal.aborted) return;
  installed.add(host);
  const stop = (event: Event) => event.stopPropagation();
  for (const type of KEYS) host.addEventListener(type, stop, { signal });
  window.addEventListener(
    'keydown',
    (event) => {
      if (event.key !== 'Escape' || event.target !== host || !event.isTrusted) return;
      // Only for the views beside a row: teach mode takes its own Escape on the window.
      const focused = shadow.activeElement;
      if (!focused?.closest('.panel')) return;
      event.stopPropagation();
      focused.dispatchEvent(
        new KeyboardEvent('keydown', {
          key: event.key,
          code: event.code,
          bubbles: true,
          cancelable: true,
          composed: false,
        }),
      );
    },
    { capture: true, signal },
  );
  signal.addEventListener('abort', () => installed.delete(host), { once: true });
}
