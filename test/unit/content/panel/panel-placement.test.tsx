// @vitest-environment jsdom
import { effect } from '@preact/signals';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  createOverlayHost,
  type OverlayHost,
  overlayShadowForTests,
} from '../../../../src/content/overlay-host.ts';
import { showPanel } from '../../../../src/content/panel/panel-app.tsx';
import { position } from '../../../../src/content/panel/panel-state.ts';
import { CATALOG, rowContext } from './catalog-fixture.ts';
import { installFakeRuntime } from './fake-runtime.ts';

/**
 * The panel's own placement loop, with a layout of its own: jsdom lays nothing out, so the panel is given a
 * height from its content and its style's limits (panel-css.ts: 600 px, the window less 16 px, `--room`), and
 * a resize observer that reports each size it has not reported yet, as the browser's does after a layout.
 * The panel must leave its row uncovered and settle after one report of its new size, never oscillate.
 */

const VIEWPORT = { width: 1280, height: 650 };
/** A row in the middle of a short window: 318 px above it, 282 below it. */
const ROW = { top: 330, bottom: 356, left: 220, right: 1262 };

let controller: AbortController;
let overlay: OverlayHost;
let runtime: ReturnType<typeof installFakeRuntime>;
/** How tall the panel's content would be with no limit. */
let natural = 900;

const panel = () => overlayShadowForTests()!.querySelector<HTMLElement>('section.panel')!;

function layoutOf(el: HTMLElement): { x: number; y: number; width: number; height: number } {
  const room = Number.parseFloat(el.style.getPropertyValue('--room')) || Number.POSITIVE_INFINITY;
  const [, x = '0', y = '0'] = /translate\(([-\d.]+)px, ([-\d.]+)px\)/.exec(el.style.transform) ?? [];
  return {
    x: Number(x),
    y: Number(y),
    width: 440,
    height: Math.min(natural, 600, VIEWPORT.height - 16, room),
  };
}

/** Resize observers, and the sizes each has reported for its elements. */
const observers = new Set<{ callback: ResizeObserverCallback; seen: Map<Element, string> }>();
class LayoutObserver {
  private readonly entry: { callback: ResizeObserverCallback; seen: Map<Element, string> };
  constructor(callback: ResizeObserverCallback) {
    this.entry = { callback, seen: new Map() };
    observers.add(this.entry);
  }
  observe(el: Element) {
    this.entry.seen.set(el, '');
  }
  unobserve(el: Element) {
    this.entry.seen.delete(el);
  }
  disconnect() {
    observers.delete(this.entry);
  }
}

/**
 * Frames until no observer has a size to report (at most 20): Preact renders, then each observed element
 * whose size changed is reported. Returns how many reports there were.
 */
async function frames(): Promise<number> {
  let reports = 0;
  for (let frame = 0; frame < 20; frame++) {
    await new Promise((resolve) => setTimeout(resolve, 0));
    let reported = false;
    for (const observer of [...observers])
      for (const [el, seen] of observer.seen) {
        const { width, height } = el.getBoundingClientRect();
        if (`${width}×${height}` === seen) continue;
        observer.seen.set(el, `${width}×${height}`);
        reports++;
        reported = true;
        observer.callback([{ target: el } as ResizeObserverEntry], observer as unknown as ResizeObserver);
      }
    if (!reported) break;
  }
  return reports;
}

function covers(el: HTMLElement): boolean {
  const { y, height } = layoutOf(el);
  return y < ROW.bottom && ROW.top < y + height;
}

beforeEach(() => {
  natural = 900;
  controller = new AbortController();
  overlay = createOverlayHost();
  runtime = installFakeRuntime((request) =>
    request.type === 'catalog.list'
      ? { ok: true, data: { orchestrator: { id: 'demo', name: 'Demo orchestrator' }, actions: CATALOG } }
      : { ok: false, error: { code: 'bad_request', message: 'unhandled' } },
  );
  vi.stubGlobal('ResizeObserver', LayoutObserver);
  vi.spyOn(document.documentElement, 'clientWidth', 'get').mockReturnValue(VIEWPORT.width);
  vi.spyOn(document.documentElement, 'clientHeight', 'get').mockReturnValue(VIEWPORT.height);
  vi.spyOn(HTMLElement.prototype, 'getBoundingClientRect').mockImplementation(function (this: HTMLElement) {
    if (!this.matches('section.panel')) return new DOMRect();
    const { x, y, width, height } = layoutOf(this);
    return new DOMRect(x, y, width, height);
  });
});
afterEach(() => {
  controller.abort();
  overlay.dispose();
  runtime.uninstall();
  observers.clear();
  vi.unstubAllGlobals();
  vi.restoreAllMocks();
});

describe('the panel beside a row in a short window', () => {
  it('takes the side with more room, no taller than it, and settles after one report of its size', async () => {
    let placements = 0;
    const stop = effect(() => {
      if (position.value) placements++;
    });
    showPanel(
      overlay,
      {
        source: 'button',
        row: { context: rowContext(), otherColumnsNotShown: 0 },
        anchor: ROW,
        returnFocus: null,
      },
      controller.signal,
    );
    await vi.waitFor(() => expect(overlayShadowForTests()!.textContent).toContain('Where is this IP'));
    const reports = await frames();
    expect(covers(panel()), JSON.stringify(layoutOf(panel()))).toBe(false);
    expect(panel().style.getPropertyValue('--room')).toBe('318px');
    expect(layoutOf(panel())).toMatchObject({ y: 8, height: 318 });
    // The first report of its size under the room, at most; then nothing moves it.
    expect(reports).toBeLessThanOrEqual(1);
    expect(placements).toBe(1);

    // Its content shrinks to fit below the row (a narrowed catalog), then grows back (the output).
    natural = 240;
    expect(await frames()).toBe(1);
    expect(layoutOf(panel())).toMatchObject({ y: 360, height: 240 });
    expect(covers(panel())).toBe(false);
    natural = 900;
    expect(await frames()).toBe(1);
    expect(layoutOf(panel())).toMatchObject({ y: 8, height: 318 });
    expect(covers(panel())).toBe(false);
    expect(placements).toBe(3);
    stop();
  });
});
