import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import type { Frame, Page } from 'playwright-core';
import { exitWithUsageOnHelp } from '../src/orchestrator/cli-usage.ts';
import {
  closePanel,
  ECHO_ROW,
  openPanelFromRow,
  type PanelSummary,
  shadowClick,
  waitForPanelState,
} from '../test/e2e/analyst.ts';
import { startStack } from '../test/support/e2e-stack.ts';

exitWithUsageOnHelp(`usage: npm run bench:output-frame [-- --reps 10]

What the output frame adds, in real Chromium with the demo build (run \`npx vite build --mode demo\`
first), the demo console and a real orchestrator: for echo-row runs on fresh rows, the time from the
panel showing the run ended (status and verdicts painted) to the output painted in the output frame
(mounted once the run ended).
Prints a Markdown table; writes nothing.`);

/**
 * `npm run bench:output-frame [-- --reps 10]`. The panel draws the status and verdict chips itself as the
 * run's last update arrives; the output frame, mounted as the run started, gets the output from the
 * worker as the run ends and paints it. Both ends are stamped in the browser on the same wall clock
 * (`performance.timeOrigin + performance.now()`): a MutationObserver in the console page on the demo
 * build's panel summary, then the next animation frame; inside the frame, the first animation frame in
 * which the output is in its document.
 */

const { values } = parseArgs({ options: { reps: { type: 'string', default: '10' } } });
const REPS = Math.max(1, Math.min(50, Number(values.reps)));
const LOG_ROWS = '#logs-grid .ag-row[row-index]';
const FRAME_PATH = '/src/pages/output-frame/index.html';

const pct = (xs: number[], p: number): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))] ?? Number.NaN;
};
const ms = (x: number) => `${x.toFixed(1)} ms`;

/** Stamps, in the console page, the animation frame after the panel's summary first says "succeeded". */
function stampRunEnded(page: Page): Promise<void> {
  return page.evaluate(() => {
    const host = document.querySelector('[data-gridside]')!;
    const w = window as { benchRunEnded?: Promise<number> };
    w.benchRunEnded = new Promise<number>((resolve) => {
      const observer = new MutationObserver(() => {
        const state = JSON.parse(host.getAttribute('data-gridside-state') ?? '{}') as { status?: string };
        if (state.status !== 'succeeded') return;
        observer.disconnect();
        requestAnimationFrame(() => resolve(performance.timeOrigin + performance.now()));
      });
      observer.observe(host, { attributes: true, attributeFilter: ['data-gridside-state'] });
    });
  });
}

/** The output frame the panel mounted for this run (one not seen before). */
async function newOutputFrame(page: Page, seen: Set<Frame>): Promise<Frame> {
  const deadline = Date.now() + 20_000;
  for (;;) {
    const frame = page.frames().find((f) => f.url().includes(FRAME_PATH) && !seen.has(f));
    if (frame) return frame;
    if (Date.now() > deadline) throw new Error('the panel mounted no output frame');
    await page.waitForTimeout(5);
  }
}

/**
 * Inside the frame: the first animation frame in which the output is in the document. Passed as text:
 * tsx names inner functions with a helper the browser does not have.
 */
function outputPaintedAt(frame: Frame): Promise<number> {
  return frame.evaluate(`new Promise((resolve) => {
    const check = () =>
      document.querySelector('.output')
        ? resolve(performance.timeOrigin + performance.now())
        : requestAnimationFrame(check);
    check();
  })`) as Promise<number>;
}

async function main(): Promise<void> {
  const load = readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');
  const stack = await startStack({ logs: 500, alarms: 10 });
  const deltas: number[] = [];
  const seen = new Set<Frame>();
  try {
    const page = await stack.openConsole('/analyzer.html#logs', LOG_ROWS);
    for (let rep = 0; rep < REPS; rep += 1) {
      await openPanelFromRow(page, page.locator(`${LOG_ROWS}[row-index="${rep}"] [col-id="LogId"]`).first());
      await waitForPanelState<PanelSummary>(page, (s) => s.open && s.catalog === 'ready');
      await shadowClick(page, 'input[type="search"]');
      await page.keyboard.type(ECHO_ROW);
      await shadowClick(page, 'button.action', { text: ECHO_ROW });
      await waitForPanelState<PanelSummary>(page, (s) => s.step === 'form');
      await shadowClick(page, 'form input[type="text"]');
      await stampRunEnded(page);
      await page.keyboard.press('Enter');
      const frame = await newOutputFrame(page, seen);
      seen.add(frame);
      const painted = await outputPaintedAt(frame);
      const ended = await page.evaluate(() => (window as { benchRunEnded?: Promise<number> }).benchRunEnded!);
      deltas.push(painted - ended);
      console.error(
        `bench:output-frame: ${rep + 1}/${REPS}: run ended → output painted ${ms(painted - ended)}`,
      );
      await closePanel(page);
    }
  } finally {
    await stack.stop();
  }
  console.log(
    [
      `Command: \`npm run bench:output-frame -- --reps ${REPS}\` · ${new Date().toISOString()} · load ${load}`,
      '',
      '| figure | p50 / p95 |',
      '|---|---|',
      `| panel shows the run ended → output painted in the output frame (${deltas.length}) | ${ms(pct(deltas, 50))} / ${ms(pct(deltas, 95))} |`,
    ].join('\n'),
  );
}

await main();
