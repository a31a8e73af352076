/**
 * Keeps Gridside's overlay host in the browser's top layer, above everything the page draws (issue 10).
 *
 * A z-index cannot do this: a grid that builds its own stacking contexts (transformed or filtered
 * wrappers, absolutely positioned rows at `z-index: 2147483647`, a `transform` on `<html>` that turns
 * `position: fixed` into "fixed to the page") paints over any element of ours that shares its stacking
 * order. The top layer sits above every stacking context of the document, so the host is a
 * `popover="manual"` shown with `showPopover()` (Chrome 114+, Firefox 125+; manual popovers are never
 * light-dismissed by the page's clicks or its own popovers).
 *
 * Within the top layer, what was shown last is drawn on top. When the page adds to it — its own modal
 * `<dialog>`, a fullscreen element, a popover menu — the host is shown again so it is last once more.
 * A modal dialog also makes everything outside it inert (no clicks, no hover), top-layer elements
 * included, and Chromium treats a fullscreen element the same way (the top-layer host is drawn over it
 * but the pointer goes through to the grid beneath). So while either is open the host moves inside the
 * topmost one: still in the top layer (no clipping by its overflow or transforms), and no longer inert.
 * It moves back to `<html>` when the dialog closes or fullscreen ends.
 *
 * A page's own script-driven modal (MUI's Dialog and the like) is not in the top layer and makes nothing
 * inert, but its focus trap pulls focus out of a host that is not inside it. The panel's code names such a
 * dialog with `hold` while the panel is open on a row in it (panel/page-modal.ts), and the host lives there,
 * still shown in the top layer.
 */

export interface TopLayer {
  /** What the analyst can use now: the topmost modal dialog or fullscreen element, or null (the whole page). */
  readonly modal: Element | null;
  /** Whether `el` is usable now (not made inert by a page's modal dialog) — a row behind a modal is not. */
  isUsable(el: Element): boolean;
  /** Called after the host moved or was shown again (marks re-place themselves). */
  onChange(listener: () => void): void;
  /** Shows the host again if the page took it out of the document (cheap when it did not). */
  ensureShown(): void;
  /** Re-checks at once and shows the host again on top. */
  refresh(): void;
  /**
   * Makes `el` (a page's own modal container: an ARIA modal a script draws) where the host lives while it
   * is in the document, unless a modal `<dialog>` or fullscreen element outside it is open; null gives the
   * host back to `<html>`. Used by the panel (panel/page-modal.ts).
   */
  hold(el: Element | null): void;
  dispose(): void;
}

function canPopover(host: HTMLElement): boolean {
  return typeof host.showPopover === 'function' && typeof host.hidePopover === 'function';
}

function isOpenPopover(el: Element): boolean {
  try {
    return el.matches(':popover-open');
  } catch {
    return false;
  }
}

/** Elements that cannot hold the host: their children are not rendered. */
const REPLACED = new Set(['VIDEO', 'CANVAS', 'IFRAME', 'IMG', 'OBJECT', 'EMBED', 'AUDIO']);

function isModalDialog(el: Element): boolean {
  if (el.tagName !== 'DIALOG' || !(el as HTMLDialogElement).open) return false;
  try {
    return el.matches(':modal');
  } catch {
    return false;
  }
}

export function keepOnTop(host: HTMLElement, doc: Document = document): TopLayer {
  const listeners = new Set<() => void>();
  /** Modal dialogs and fullscreen elements in the order they opened: the last one still open is on top. */
  let modals: Element[] = [];
  let modal: Element | null = null;
  let scheduled = false;
  let held: Element | null = null;

  const isFullscreen = (el: Element) => el === doc.fullscreenElement && !REPLACED.has(el.tagName);
  const currentModal = (): Element | null => {
    const fullscreen = doc.fullscreenElement;
    if (fullscreen && !modals.includes(fullscreen) && isFullscreen(fullscreen)) modals.push(fullscreen);
    modals = modals.filter((el) => el.isConnected && (isModalDialog(el) || isFullscreen(el)));
    // Dialogs opened before Gridside started, in document order after the ones seen opening.
    for (const el of doc.querySelectorAll('dialog[open]'))
      if (!modals.includes(el) && isModalDialog(el)) modals.unshift(el);
    return modals.at(-1) ?? null;
  };

  /** Puts the host where it must live and makes it the last thing shown in the top layer. */
  const raise = (force: boolean) => {
    scheduled = false;
    const next = currentModal();
    const parent = held?.isConnected && next?.contains(held) !== false ? held : (next ?? doc.documentElement);
    const moved = host.parentNode !== parent;
    if (moved) parent.append(host); // leaving the document hides a popover: it is shown again below
    if (!canPopover(host)) {
      modal = next;
      if (moved) for (const listener of listeners) listener();
      return;
    }
    const open = isOpenPopover(host);
    if (!open || force || moved) {
      try {
        if (open) host.hidePopover();
        host.showPopover();
      } catch {
        // Not connected yet, or the browser refused: the host's own fixed position still applies.
      }
    }
    const changed = moved || modal !== next || force;
    modal = next;
    if (changed) for (const listener of listeners) listener();
  };

  /** Batches bursts of page changes (a dialog opening fires both a mutation and a toggle). */
  const schedule = () => {
    if (scheduled) return;
    scheduled = true;
    queueMicrotask(() => raise(true));
  };

  // A page's dialog opening or closing (`open` is reflected for both show() and showModal()). Only that
  // attribute is observed, so a grid re-rendering thousands of cells costs this observer nothing.
  const dialogs = new MutationObserver((records) => {
    for (const record of records) {
      const el = record.target as Element;
      if (el.tagName === 'DIALOG' && isModalDialog(el) && !modals.includes(el)) modals.push(el);
    }
    schedule();
  });
  dialogs.observe(doc.documentElement, { attributes: true, attributeFilter: ['open'], subtree: true });
  // The page replacing what `<html>` holds (some frameworks rewrite it) takes the host along: put it back.
  const children = new MutationObserver(() => {
    if (!host.isConnected) schedule();
  });
  children.observe(doc.documentElement, { childList: true });

  const controller = new AbortController();
  const options = { capture: true, signal: controller.signal };
  // The page's own popovers (menus, tooltips) going into the top layer: non-bubbling, but seen in capture.
  // Dialogs fire it too, after their `open` change was already seen: raising again then would only
  // re-show the host, and a host shown a moment ago misses the pointer until the next frame.
  doc.addEventListener(
    'toggle',
    (event) => {
      if (event.target === host || (event.target as Element | null)?.tagName === 'DIALOG') return;
      if ((event as ToggleEvent).newState === 'open' || !host.isConnected) schedule();
    },
    options,
  );
  doc.addEventListener('fullscreenchange', schedule, options);

  raise(false);

  return {
    get modal() {
      return modal;
    },
    isUsable: (el) => modal === null || modal.contains(el),
    onChange(listener) {
      listeners.add(listener);
    },
    ensureShown() {
      if (!host.isConnected || (canPopover(host) && !isOpenPopover(host))) raise(true);
    },
    refresh: () => raise(true),
    hold(el) {
      held = el;
      raise(false);
    },
    dispose() {
      controller.abort();
      dialogs.disconnect();
      children.disconnect();
      listeners.clear();
      if (canPopover(host) && isOpenPopover(host)) {
        try {
          host.hidePopover();
        } catch {
          // already gone
        }
      }
    },
  };
}
