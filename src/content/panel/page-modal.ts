import type { OverlayHost } from '../overlay-host.ts';

/**
 * Grids inside a page's own modal dialog: one drawn by a script (MUI's Dialog, Radix, Headless UI, Chakra's
 * react-focus-lock, Bootstrap's modal), not a native `<dialog>`. Such a dialog traps focus: when focus
 * lands outside its container it pulls it back in, so a panel drawn outside it could be seen but not typed
 * into or tabbed through; some also hide the rest of the page (`aria-hidden`, `inert`) or close on a press
 * outside. While the panel (or a row's pinned results, or its triggered run) is open on a row inside such
 * a dialog, Gridside's host lives inside the dialog's container: to the trap, focus in the panel is focus
 * inside the dialog. The host stays in the top layer there (top-layer.ts), so the dialog's z-index,
 * overflow and transforms do not reach it, and the panel is placed beside the row as anywhere else. It goes
 * back to `<html>` when the last of those views closes, and as soon as the dialog is gone (removed, or
 * hidden, as some libraries close theirs).
 *
 * Kept in the lazily loaded views' code: pages that never open one never pay for it.
 * (docs/grids.md, "Always on top"; test/e2e/modal-grids.e2e.ts.)
 */

/** The container a focus trap keeps focus in: an ARIA modal, else a dialog role (the nearest of them). */
const MODAL = '[aria-modal="true"],[role="dialog"],[role="alertdialog"]';

/** Attributes a library changes on a dialog or its wrappers to close or hide it. */
const CLOSING = ['class', 'style', 'hidden', 'inert', 'aria-hidden', 'aria-modal', 'open'];

/** The element, or the host of the shadow root it is in: the way up across shadow boundaries. */
function up(node: Element): Element | null {
  if (node.parentElement) return node.parentElement;
  const root = node.parentNode;
  return root instanceof ShadowRoot ? root.host : null;
}

/** The nearest page modal that holds `from`, across shadow roots. */
export function pageModalOf(from: Element | null | undefined): Element | null {
  for (let el = from; el; ) {
    const found = el.closest(MODAL);
    if (found) return found;
    const root = el.getRootNode();
    el = root instanceof ShadowRoot ? root.host : null;
  }
  return null;
}

function shown(el: Element): boolean {
  return (
    el.isConnected &&
    (typeof el.checkVisibility !== 'function' || el.checkVisibility({ visibilityProperty: true }))
  );
}

/** What is open beside a row: the panel, the pinned results, a triggered run. Each holds on its own. */
export type PageModalHolder = 'panel' | 'pins' | 'auto-run';

/** The page modal each open view's row is in; the one opened last decides where the host lives. */
const holders = new Map<PageModalHolder, Element>();
let held: Element | null = null;
let watch: MutationObserver | null = null;

/** Puts the host where the latest holder's dialog is, or back at `<html>` when none is left. */
function settle(overlay: OverlayHost): void {
  for (const [holder, modal] of holders) if (!shown(modal)) holders.delete(holder);
  const next = [...holders.values()].at(-1) ?? null;
  if (next === held) return;
  watch?.disconnect();
  watch = null;
  held = next;
  overlay.topLayer.hold(next);
  if (!next) return;
  // The dialog closing: removed (its node or a wrapper leaves its parent) or hidden by an attribute of its
  // own or of a wrapper. Only the dialog and the elements above it are watched, each without its subtree,
  // so a grid re-rendering its rows inside the dialog costs this nothing.
  watch = new MutationObserver(() => {
    if (!shown(next)) settle(overlay);
  });
  for (let el: Element | null = next; el; el = up(el))
    watch.observe(el, { childList: true, attributes: true, attributeFilter: CLOSING });
}

/** The view closed: the host goes back to `<html>` unless another open view's row is in a page modal. */
export function leavePageModal(overlay: OverlayHost, holder: PageModalHolder): void {
  if (holders.delete(holder)) settle(overlay);
}

/**
 * Moves the host into the page modal that holds `from` (the row a view opens on, else what had focus), if
 * any. Call before the view takes focus: moving an element that holds focus drops it. Opened from
 * Gridside's own UI (focus in the panel), the host stays where it is.
 */
export function enterPageModal(
  overlay: OverlayHost,
  holder: PageModalHolder,
  from: Element | null | undefined,
): void {
  if (from && (from === overlay.host || overlay.host.contains(from))) return;
  const modal = pageModalOf(from);
  holders.delete(holder); // re-added last: the view opened last decides
  if (modal && shown(modal)) holders.set(holder, modal);
  settle(overlay);
}
