import type { ContentSession, PanelSource } from '../../../src/content/content-session.ts';
import type { GridHit } from '../../../src/content/grid/grids.ts';
import { adaptersFor } from '../../../src/content/grid/grids.ts';
import { createOverlayHost } from '../../../src/content/overlay-host.ts';
import { pageMotion } from '../../../src/content/page-motion.ts';

export interface FakeSession extends ContentSession {
  opened: Array<{ hit: GridHit | null; source: PanelSource }>;
  /** How many times teach mode was asked for. */
  teachOpened: number;
}

/** A content session over the jsdom document; `trustAll` stands in for real user input (jsdom events are untrusted). */
export function fakeSession(trustAll = true): FakeSession {
  const opened: FakeSession['opened'] = [];
  const session: FakeSession = {
    origin: 'https://siem.example',
    adapters: adaptersFor(),
    fieldOverrides: {},
    overlay: createOverlayHost(),
    lastContextRow: null,
    hoveredRow: null,
    isUserInput: (event) => trustAll || event.isTrusted,
    openPanel: (hit, source) => {
      opened.push({ hit, source });
    },
    openTeach: () => {
      session.teachOpened += 1;
    },
    opened,
    teachOpened: 0,
  };
  return session;
}

export const nextFrame = () => new Promise<void>((resolve) => requestAnimationFrame(() => resolve()));

/**
 * Resolves once the page rests after a scroll, as the content script's features see it (page-motion.ts),
 * plus a frame for what they do at rest: a condition, not a guess at how long a busy machine takes.
 */
export async function pageRested(signal: AbortSignal): Promise<void> {
  const motion = pageMotion(signal);
  if (motion.moving) {
    await new Promise<void>((resolve) => {
      const done = new AbortController();
      const stop = () => done.abort();
      signal.addEventListener('abort', stop, { once: true });
      motion.watch(
        {
          started() {},
          rested() {
            done.abort();
            resolve();
          },
        },
        done.signal,
      );
    });
  }
  await nextFrame();
  await nextFrame();
}
