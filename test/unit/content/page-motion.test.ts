// @vitest-environment jsdom
import { afterEach, describe, expect, it } from 'vitest';
import { pageMotion, REST_MS } from '../../../src/content/page-motion.ts';

let controller = new AbortController();
afterEach(() => {
  controller.abort();
  controller = new AbortController();
});

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
