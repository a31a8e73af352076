/**
 * The single element Gridside adds to the console page: a host at the end of `<html>` (outside the grid,
 * so the grid's framework never reconciles it and `overflow: hidden` never clips it) holding a CLOSED
 * shadow root. The floating row button and the panel both live inside it; the page's scripts cannot
 * reach in, and the page's styles are reset at the boundary.
 *
 * The host is a manual popover kept in the browser's top layer (top-layer.ts), so no z-index, stacking
 * context or modal dialog of the page can draw over it or take its clicks.
 *
 * Its own style is set by the `:host` rule inside the shadow root, with `!important`: for important
 * declarations the inner (shadow) context wins over the page's, inline styles included, so neither the
 * page's `div { display: none !important }` nor the popover's default box (centred, bordered, opaque) can
 * change it. (An inline style on the host loses to that rule, which is why there is none.)
 *
 * Test builds only (`--mode demo`, vitest): the host carries `data-gridside-state`, a JSON summary of
 * the panel, and `overlayShadowForTests()` hands the shadow root to unit tests. Production never exposes
 * the root (docs: src/content/README.md).
 */

import { keepOnTop, type TopLayer } from './top-layer.ts';

export interface OverlayHost {
  host: HTMLElement;
  shadow: ShadowRoot;
  /** Where the host lives in the top layer, and which part of the page the analyst can use now. */
  topLayer: TopLayer;
  /** A fixed-position layer inside the shadow root, created on first use. */
  layer(name: string): HTMLElement;
  dispose(): void;
}

/**
 * Written out where it is used rather than kept in a constant: the content script's bundler
 * (scripts/support/content-script-bundle.ts) folds the comparison where it stands, but does not always
 * carry a module constant into its uses, and production must drop the test code.
 */
let testShadow: ShadowRoot | null = null;

/**
 * The host is an empty fixed box at the viewport's corner; each layer positions its own elements. Written
 * without optional spaces: the content script every console loads carries it as it stands.
 */
const HOST_CSS = `:host{all:initial!important;position:fixed!important;inset:0 auto auto 0!important;width:0!important;
height:0!important;margin:0!important;padding:0!important;border:0!important;
background:transparent!important;overflow:visible!important;display:block!important;visibility:visible!important;
opacity:1!important;transform:none!important;pointer-events:auto!important;z-index:2147483647!important;}`;

export function createOverlayHost(doc: Document = document): OverlayHost {
  const host = doc.createElement('div');
  host.setAttribute('data-gridside', '');
  host.setAttribute('popover', 'manual');
  const shadow = host.attachShadow({ mode: 'closed' });
  // A press on Gridside's button, marks or panel is not a press on the page. Dialogs and menus that close
  // on a press outside themselves listen for its start (Radix's dialogs, so shadcn/ui's: the row button of
  // a row in one closed it) or its click (MUI's click-away) on the document. Gridside's own listeners are
  // inside the root, or capture ones on the window.
  for (const type of ['pointerdown', 'mousedown', 'touchstart', 'click'])
    host.addEventListener(type, (event) => event.stopPropagation());
  const base = doc.createElement('style');
  base.textContent = HOST_CSS;
  shadow.append(base);
  doc.documentElement.append(host);
  const topLayer = keepOnTop(host, doc);
  if (import.meta.env.MODE === 'demo' || import.meta.env.MODE === 'test') testShadow = shadow;
  const layers = new Map<string, HTMLElement>();
  return {
    host,
    shadow,
    topLayer,
    layer(name) {
      let layer = layers.get(name);
      if (!layer) {
        layer = doc.createElement('div');
        layer.setAttribute('part', name);
        shadow.append(layer);
        layers.set(name, layer);
      }
      return layer;
    },
    dispose() {
      topLayer.dispose();
      host.remove();
      if (testShadow === shadow) testShadow = null;
    },
  };
}

/** Unit tests and the demo build only: the closed shadow root. Always null in production. */
export function overlayShadowForTests(): ShadowRoot | null {
  return import.meta.env.MODE === 'demo' || import.meta.env.MODE === 'test' ? testShadow : null;
}

/** Demo/test builds only: publish a summary of the panel for end-to-end tests (a closed root is unreachable). */
export function publishTestState(host: HTMLElement, state: unknown): void {
  if (import.meta.env.MODE === 'demo' || import.meta.env.MODE === 'test')
    host.setAttribute('data-gridside-state', JSON.stringify(state));
}
