import type { Page } from 'playwright-core';
import { timedClickAt } from './analyst-steps.ts';
import { pageNow } from './paint-probe.ts';

/**
 * The page's own floor: what any web page pays on this machine for a click that asks a server and paints
 * the answer, with no extension on the way. The bench adds a small button to the console page's light DOM;
 * its click handler sends one GET to the orchestrator's health endpoint (no token, no database) and writes
 * a counter into the button once the response comes. Stamped as the verdict is: the trusted click's
 * `timeStamp`, the mutation, and the next animation frame. What Gridside's part has beyond this floor is
 * what its design adds: the worker's hop and records, the orchestrator's checks, queue and records, the
 * spawn's relay, and the cores all of these take from the plugin. What the floor holds (the input's way to
 * a handler, a request on loopback, a render and the wait for a frame) no design in a browser avoids.
 */

export const FLOOR_BUTTON = '#gridside-bench-floor';

interface FloorRecord {
  t: number;
  painted: number | null;
}
interface Floor {
  clicks: number[];
  shown: FloorRecord[];
  waiters: (() => boolean)[];
}

export interface FloorTiming {
  /** Click → the answer written into the page. */
  toShown: number;
  /** Written → the frame that paints it. */
  toFrame: number;
  /** Click → painted. */
  total: number;
}

/** Adds the floor's button to the page (once): fixed at the bottom left, over the console's status bar. */
export async function installFloor(page: Page, healthUrl: string): Promise<void> {
  await page.evaluate((url) => {
    const w = window as unknown as { __pageFloor?: Floor };
    if (w.__pageFloor) return;
    const floor: Floor = { clicks: [], shown: [], waiters: [] };
    w.__pageFloor = floor;
    const button = document.createElement('button');
    button.type = 'button';
    button.id = 'gridside-bench-floor';
    button.textContent = 'floor ';
    button.style.cssText = 'position:fixed;left:4px;bottom:4px;z-index:2147483646;font:12px sans-serif';
    const answer = document.createElement('output');
    button.append(answer);
    button.addEventListener('click', (event) => {
      if (!event.isTrusted) return;
      floor.clicks.push(event.timeStamp);
      void fetch(url, { mode: 'no-cors', cache: 'no-store' }).then(
        () => {
          answer.textContent = String(floor.clicks.length);
        },
        () => {
          answer.textContent = 'failed';
        },
      );
    });
    new MutationObserver(() => {
      const record: FloorRecord = { t: performance.now(), painted: null };
      floor.shown.push(record);
      requestAnimationFrame(() => {
        record.painted = performance.now();
        floor.waiters = floor.waiters.filter((satisfied) => !satisfied());
      });
    }).observe(answer, { childList: true, characterData: true, subtree: true });
    document.body.append(button);
  }, healthUrl);
}

/**
 * One timed click on the floor's button, held as the bench holds every timed click. `beforeClick` runs just
 * before the press, as for a run.
 */
export async function floorTimed(
  page: Page,
  beforeClick: () => void = () => undefined,
  timeoutMs = 10_000,
): Promise<FloorTiming> {
  const box = await page.locator(FLOOR_BUTTON).boundingBox();
  if (!box) throw new Error('the floor button is not on the page');
  const since = await pageNow(page);
  await timedClickAt(page, { x: box.x + box.width / 2, y: box.y + box.height / 2 }, beforeClick);
  const { clickAt, shownAt, paintedAt, failed } = await page.evaluate(
    ([since, timeoutMs]) =>
      new Promise<{ clickAt: number; shownAt: number; paintedAt: number; failed: boolean }>(
        (resolve, reject) => {
          const floor = (window as unknown as { __pageFloor: Floor }).__pageFloor;
          // Functions as properties, not named constants: the bench's TypeScript runner would wrap a named
          // one in a helper the page does not have.
          const wait: { timer?: ReturnType<typeof setTimeout>; answer?: () => boolean } = {};
          wait.answer = () => {
            const clickAt = floor.clicks.find((t) => t > since);
            if (clickAt === undefined) return false;
            const shown = floor.shown.find((r) => r.t >= clickAt);
            if (!shown || shown.painted === null) return false;
            clearTimeout(wait.timer);
            const failed = document.querySelector('#gridside-bench-floor output')?.textContent === 'failed';
            resolve({ clickAt, shownAt: shown.t, paintedAt: shown.painted, failed });
            return true;
          };
          const answer = wait.answer;
          wait.timer = setTimeout(() => {
            floor.waiters = floor.waiters.filter((w) => w !== answer);
            reject(new Error(`the floor's answer was not painted within ${timeoutMs} ms of its click`));
          }, timeoutMs);
          if (!answer()) floor.waiters.push(answer);
        },
      ),
    [since, timeoutMs] as const,
  );
  if (failed) throw new Error("the floor's request to the orchestrator failed");
  return { toShown: shownAt - clickAt, toFrame: paintedAt - shownAt, total: paintedAt - clickAt };
}
