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
 *   window, where capturing starts, and the view that holds focus closes, as on the key itself. Its
 *   default action (clearing a search box) still runs. No key is sent on: an Escape dispatched again
 *   inside the root reached the page's document in Firefox, closing Radix's dialog after all. Teach mode
 *   takes its own Escape on the window, and is left to: it registers no view here.
 *
 * Loaded with the views; each view registers its layer and how it closes when it first opens, and the
 * listeners are installed once per host.
 */
interface View {
  within: Element;
  close: () => void;
}

const viewsByHost = new WeakMap<HTMLElement, Set<View>>();

const KEYS = ['keydown', 'keyup', 'keypress'] as const;

export function keepKeysInside(
  overlay: OverlayHost,
  within: Element,
  close: () => void,
  signal: AbortSignal,
): void {
  const { host, shadow } = overlay;
  if (signal.aborted) return;
  let views = viewsByHost.get(host);
  if (!views) {
    const installed = new Set<View>();
    views = installed;
    viewsByHost.set(host, installed);
    const stop = (event: Event) => event.stopPropagation();
    for (const type of KEYS) host.addEventListener(type, stop, { signal });
    window.addEventListener(
      'keydown',
      (event) => {
        if (event.key !== 'Escape' || event.target !== host || !event.isTrusted) return;
        const focused = shadow.activeElement;
        const view = focused
          ? [...installed].find((candidate) => candidate.within.contains(focused))
          : undefined;
        if (!view) return;
        event.stopPropagation();
        view.close();
      },
      { capture: true, signal },
    );
    signal.addEventListener('abort', () => viewsByHost.delete(host), { once: true });
  }
  const view = { within, close };
  views.add(view);
  signal.addEventListener('abort', () => views.delete(view), { once: true });
}
