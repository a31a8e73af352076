// @vitest-environment jsdom
import { afterEach, describe, expect, it, vi } from 'vitest';
import { pageMotion, REST_MS } from '../../../src/content/page-motion.ts';

let controller = new AbortController();
afterEach(() => {
  vi.useRealTimers();
  vi.restoreAllMocks();
  controller.abort();
  controller = new AbortController();
});

const FAKED = [
  'setTimeout',
  'clearTimeout',
  'setInterval',
  'clearInterval',
  'requestAnimationFrame',
  'performance',
] as const;

const wait = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('page motion', () => {
  it('says "started" at the first scroll of a burst and "rested" once, REST_MS after the last one', async () => {
    const told: string[] = [];
    const motion = pageMotion(controller.signal);
    expect(pageMotion(controller.signal)).toBe(motion); // one per content script
    motion.watch(
      { started: () => told.push('started'), rested: () => told.push('rested') },
      controller.signal,
    );
    const scroller = document.createElement('div');
    document.body.append(scroller);
    for (let i = 0; i < 4; i += 1) {
      scroller.dispatchEvent(new Event('scroll')); // does not bubble: heard in the capture phase
      expect(motion.moving).toBe(true);
      await wait(REST_MS / 3);
    }
    expect(told).toEqual(['started']);
    await wait(REST_MS + 50);
    expect(told).toEqual(['started', 'rested']);
    expect(motion.moving).toBe(false);
    window.dispatchEvent(new Event('resize'));
    expect(told).toEqual(['started', 'rested', 'started']);
    scroller.remove();
  });

  it('hears one scroll event per check while a grid scrolls several elements at every step', () => {
    vi.useFakeTimers({ toFake: [...FAKED] });
    // Count the calls into Gridside's scroll listener: each is a call from the page's main thread.
    let heard = 0;
    const add = window.addEventListener.bind(window);
    vi.spyOn(window, 'addEventListener').mockImplementation((type, listener, options) => {
      if (type !== 'scroll' || typeof listener !== 'function') return add(type, listener, options);
      return add(
        type,
        (event: Event) => {
          heard += 1;
          listener(event);
        },
        options,
      );
    });
    let restedAt = -1;
    const motion = pageMotion(controller.signal);
    motion.watch({ started() {}, rested: () => (restedAt = performance.now()) }, controller.signal);
    const scrollers = Array.from({ length: 4 }, () =>
      document.body.appendChild(document.createElement('div')),
    );
    // Two seconds of wheel steps, one per 16 ms frame, each scrolling the grid's four scrolling parts.
    for (let t = 0; t < 2000; t += 16) {
      for (const scroller of scrollers) scroller.dispatchEvent(new Event('scroll'));
      vi.advanceTimersByTime(16);
    }
    const lastStep = performance.now() - 16;
    expect(motion.moving).toBe(true);
    // 500 events; one heard per check (every REST_MS / 2), and the first.
    expect(heard).toBeLessThanOrEqual(Math.ceil(2000 / (REST_MS / 2)) + 1);
    expect(heard).toBeGreaterThan(2000 / REST_MS);
    vi.advanceTimersByTime(2 * REST_MS);
    expect(motion.moving).toBe(false);
    // Never before REST_MS of quiet; at most a check's interval and a frame later.
    expect(restedAt - lastStep).toBeGreaterThanOrEqual(REST_MS);
    expect(restedAt - lastStep).toBeLessThanOrEqual(REST_MS + REST_MS / 2 + 16);
    // At rest it hears the next scroll at once.
    scrollers[0]?.dispatchEvent(new Event('scroll'));
    expect(motion.moving).toBe(true);
    for (const scroller of scrollers) scroller.remove();
  });

  it('never rests sooner than REST_MS after a scroll it did not hear', () => {
    vi.useFakeTimers({ toFake: [...FAKED] });
    const told: string[] = [];
    const motion = pageMotion(controller.signal);
    motion.watch(
      { started: () => told.push('started'), rested: () => told.push('rested') },
      controller.signal,
    );
    window.dispatchEvent(new Event('scroll')); // heard: the page starts moving
    vi.advanceTimersByTime(REST_MS / 2 - 5);
    window.dispatchEvent(new Event('scroll')); // before the first check: not heard, yet the page moved
    vi.advanceTimersByTime(REST_MS - 1);
    expect(told).toEqual(['started']);
    vi.advanceTimersByTime(REST_MS);
    expect(told).toEqual(['started', 'rested']);
  });

  it('a step that arrives in the frame confirming a rest keeps the page moving until REST_MS after it', () => {
    vi.useFakeTimers({ toFake: [...FAKED] });
    const told: string[] = [];
    const motion = pageMotion(controller.signal);
    motion.watch(
      { started: () => told.push('started'), rested: () => told.push('rested') },
      controller.signal,
    );
    window.dispatchEvent(new Event('scroll'));
    vi.advanceTimersByTime(REST_MS); // the check runs and asks for a frame
    window.dispatchEvent(new Event('scroll')); // a slow frame held this step back: it lands before that frame
    vi.advanceTimersByTime(16);
    expect(told).toEqual(['started']);
    expect(motion.moving).toBe(true);
    vi.advanceTimersByTime(REST_MS - 16 - 1);
    expect(motion.moving).toBe(true); // not yet REST_MS since that step
    vi.advanceTimersByTime(REST_MS);
    expect(told).toEqual(['started', 'rested']);
  });

  it('leaves nothing listening or ticking once the content script is torn down', () => {
    vi.useFakeTimers({ toFake: [...FAKED] });
    const torn = new AbortController();
    const motion = pageMotion(torn.signal);
    window.dispatchEvent(new Event('scroll'));
    vi.advanceTimersByTime(REST_MS / 2); // a check: listening again for the next scroll
    torn.abort();
    expect(vi.getTimerCount()).toBe(0);
    window.dispatchEvent(new Event('scroll'));
    window.dispatchEvent(new Event('resize'));
    expect(vi.getTimerCount()).toBe(0);
    expect(motion.moving).toBe(true); // as it was at the abort: nothing follows the page any more
  });

  it('stops telling a feature once its signal aborts', () => {
    const told: string[] = [];
    const feature = new AbortController();
    pageMotion(controller.signal).watch(
      { started: () => told.push('started'), rested: () => told.push('rested') },
      feature.signal,
    );
    feature.abort();
    window.dispatchEvent(new Event('scroll'));
    expect(told).toEqual([]);
  });
});
