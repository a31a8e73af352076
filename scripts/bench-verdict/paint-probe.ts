import type { Page } from 'playwright-core';

/**
 * Watches, from the console page's own main world, what the analyst does and sees: the trusted presses and
 * clicks, and every change of the panel summary the demo build publishes on Gridside's host element
 * (`data-gridside-state`).
 * Each change is stamped twice: when the attribute changed, and in the next animation frame (the frame
 * that paints it; the callback runs just before that frame's style, layout and paint). Nothing is added to
 * the extension: the summary exists in demo builds only, and the bench reads it from outside.
 */

export interface PanelSummary {
  open: boolean;
  step: string;
  catalog: string;
  status: string | null;
  error: string | null;
  verdicts: string[];
  batch: { done: number; failed: number; notRun: number; total: number } | null;
}

/** What the analyst waits for. */
export type Awaited = 'verdict' | 'actions' | 'batch';

interface ProbeRecord {
  t: number;
  painted: number | null;
  state: PanelSummary;
}
interface Probe {
  presses: number[];
  clicks: number[];
  states: ProbeRecord[];
  /** Called after each recorded state's frame has run; a waiter that is satisfied answers true and leaves. */
  waiters: (() => boolean)[];
}

export async function installProbe(page: Page): Promise<void> {
  await page.evaluate(() => {
    const w = window as unknown as { __verdictProbe?: Probe };
    if (w.__verdictProbe) return;
    const probe: Probe = { presses: [], clicks: [], states: [], waiters: [] };
    w.__verdictProbe = probe;
    // The panel sits in a closed shadow root; its presses and clicks reach the window retargeted to the host.
    addEventListener('pointerdown', (e) => e.isTrusted && probe.presses.push(e.timeStamp), true);
    addEventListener('click', (e) => e.isTrusted && probe.clicks.push(e.timeStamp), true);
    const host = document.querySelector('[data-gridside]');
    if (!host) throw new Error('Gridside host element not on the page');
    new MutationObserver(() => {
      const raw = host.getAttribute('data-gridside-state');
      if (!raw) return;
      const record: ProbeRecord = { t: performance.now(), painted: null, state: JSON.parse(raw) };
      probe.states.push(record);
      requestAnimationFrame(() => {
        record.painted = performance.now();
        probe.waiters = probe.waiters.filter((satisfied) => !satisfied());
      });
    }).observe(host, { attributes: true, attributeFilter: ['data-gridside-state'] });
  });
}

/** The page's clock now, to tell which click and which paint belong to the next step. */
export function pageNow(page: Page): Promise<number> {
  return page.evaluate(() => performance.now());
}

/** The page's clock origin (epoch ms), to place the orchestrator's timestamps on the same axis. */
export function pageTimeOrigin(page: Page): Promise<number> {
  return page.evaluate(() => performance.timeOrigin);
}

export interface ClickToPaint {
  /** The trusted press that the click ended, page clock (ms). A read-only lookup starts there. */
  pressAt: number;
  /** Trusted click (the release), page clock. */
  clickAt: number;
  /** State published, page clock. */
  shownAt: number;
  /** The frame that paints it, page clock. */
  paintedAt: number;
  state: PanelSummary;
}

/**
 * Waits until, after `since`, a trusted click happened and then the panel published `what` and its frame
 * ran: a verdict = a succeeded run with at least one verdict chip; actions = the panel open with its
 * catalog ready; batch = every row of the panel's batch finished.
 *
 * One call into the page, answered by the probe from the frame that painted it: nothing polls the page
 * through the DevTools protocol meanwhile, so the bench takes no CPU from the browser, the orchestrator
 * or the plugin while the analyst's wait is being measured.
 */
export async function waitClickToPaint(
  page: Page,
  since: number,
  what: Awaited,
  timeoutMs = 60_000,
): Promise<ClickToPaint> {
  return page.evaluate(
    ([since, what, timeoutMs]) =>
      new Promise<ClickToPaint>((resolve, reject) => {
        const probe = (window as unknown as { __verdictProbe: Probe }).__verdictProbe;
        // Functions as properties, not named constants: the bench's TypeScript runner would wrap a named one
        // in a helper the page does not have.
        const wait: { timer?: ReturnType<typeof setTimeout>; answer?: () => boolean } = {};
        wait.answer = () => {
          const clickAt = probe.clicks.find((t) => t > since);
          if (clickAt === undefined) return false;
          const done = probe.states.find((r) => {
            if (r.t < clickAt) return false;
            const s = r.state;
            if (what === 'batch')
              return (
                s.batch !== null &&
                s.batch.total > 0 &&
                s.batch.done + s.batch.failed + s.batch.notRun === s.batch.total
              );
            return what === 'verdict'
              ? s.step === 'run' && s.status === 'succeeded' && s.verdicts.length > 0
              : s.open && s.catalog === 'ready';
          });
          if (!done || done.painted === null) return false;
          clearTimeout(wait.timer);
          const pressAt = probe.presses.filter((t) => t > since && t <= clickAt).at(-1) ?? clickAt;
          resolve({ pressAt, clickAt, shownAt: done.t, paintedAt: done.painted, state: done.state });
          return true;
        };
        wait.timer = setTimeout(() => {
          probe.waiters = probe.waiters.filter((w) => w !== answer);
          reject(new Error(`no ${what} painted within ${timeoutMs} ms of the click`));
        }, timeoutMs);
        const answer = wait.answer;
        if (!answer()) probe.waiters.push(answer);
      }),
    [since, what, timeoutMs] as const,
  );
}
