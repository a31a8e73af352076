/**
 * The single element Gridside adds to the console page: a host at the end of `<html>` (outside the grid,
 * so the grid's framework never reconciles it and `overflow: hidden` never clips it) holding a CLOSED
 * shadow root. The floating row button and the panel both live inside it; the page's scripts cannot
 * reach in, and the page's styles are reset at the boundary.
 *
 * Test builds only (`--mode demo`, vitest): the host carries `data-gridside-state`, a JSON summary of
 * the panel, and `overlayShadowForTests()` hands the shadow root to unit tests. Production never exposes
 * the root (docs: src/content/README.md).
 */

export interface OverlayHost {
  host: HTMLElement;
  shadow: ShadowRoot;
  /** A fixed-position layer inside the shadow root, created on first use. */
  layer(name: string): HTMLElement;
  dispose(): void;
}

const TEST_BUILD = import.meta.env.MODE === 'demo' || import.meta.env.MODE === 'test';
let testShadow: ShadowRoot | null = null;

const HOST_STYLE: Array<[string, string]> = [
  ['all', 'initial'],
  ['position', 'fixed'],
  ['top', '0'],
  ['left', '0'],
  ['width', '0'],
  ['height', '0'],
  ['overflow', 'visible'],
  ['z-index', '2147483647'],
  ['display', 'block'],
];

export function createOverlayHost(doc: Document = document): OverlayHost {
  const host = doc.createElement('div');
  host.setAttribute('data-gridside', '');
  for (const [property, value] of HOST_STYLE) host.style.setProperty(property, value, 'important');
  const shadow = host.attachShadow({ mode: 'closed' });
  const base = doc.createElement('style');
  base.textContent = ':host { all: initial !important; }';
  shadow.append(base);
  doc.documentElement.append(host);
  if (TEST_BUILD) testShadow = shadow;
  const layers = new Map<string, HTMLElement>();
  return {
    host,
    shadow,
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
      host.remove();
      if (testShadow === shadow) testShadow = null;
    },
  };
}

/** Unit tests and the demo build only: the closed shadow root. Always null in production. */
export function overlayShadowForTests(): ShadowRoot | null {
  return TEST_BUILD ? testShadow : null;
}

/** Demo/test builds only: publish a summary of the panel for end-to-end tests (a closed root is unreachable). */
export function publishTestState(host: HTMLElement, state: unknown): void {
  if (TEST_BUILD) host.setAttribute('data-gridside-state', JSON.stringify(state));
}
