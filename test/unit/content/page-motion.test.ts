// @vitest-environment jsdom
import { afterEach, describe, expect, it, vi } from 'vitest';
import { pageMotion, REST_MS } from '../../../src/content/page-motion.ts';

let controller = new AbortController();
afterEach(() => {
  vi.useRealTimers();
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

/** The page's motion under fake timers and frames (16 ms apart), with what it told a feature. */
function watchedWithFakeTimers() {
  vi.useFakeTimers({ toFake: [...FAKED] });
  const told: string[] = [];
  const motion = pageMotion(controller.signal);
  motion.watch({ started: () => told.push('started'), rested: () => told.push('rested') }, controller.signal);
  return { told, motion };
}

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

  it('never rests sooner than REST_MS after the last scroll, whenever it came between two checks', () => {
    const { told } = watchedWithFakeTimers();
    window.dispatchEvent(new Event('scroll')); // the page starts moving
    vi.advanceTimersByTime(REST_MS / 2 - 5);
    window.dispatchEvent(new Event('scroll')); // just before the first check
    vi.advanceTimersByTime(REST_MS - 1);
    expect(told).toEqual(['started']);
    vi.advanceTimersByTime(REST_MS);
    expect(told).toEqual(['started', 'rested']);
  });

  it('a step that arrives in the frame confirming a rest keeps the page moving until REST_MS after it', () => {
    const { told, motion } = watchedWithFakeTimers();
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
    vi.advanceTimersByTime(REST_MS / 2); // a check
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
