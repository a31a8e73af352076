import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { type BrowserContext, chromium } from 'playwright-core';
import { startDemoConsole } from '../demo/server.ts';
import { exitWithUsageOnHelp } from '../src/orchestrator/cli-usage.ts';
import {
  AUTO_RULE,
  type AutoOrchestrator,
  startAutoOrchestrator,
  warmAutoEnrichment,
} from './bench-grid/auto-enrich.ts';
import {
  type HoverFigures,
  measureHover,
  measureScroll,
  openLogs,
  rowButtonRendered,
  type ScrollFigures,
} from './bench-grid/console-page.ts';
import { attributeHoverFrames, type HoverFrame, traceDuring } from './bench-grid/hover-trace.ts';
import { measureInitialScript } from './bench-grid/initial-script.ts';
import {
  LONG_TASK_MS,
  type LongTask,
  madeLong,
  madeLongCpu,
  traceScrollLongTasks,
} from './bench-grid/long-tasks.ts';
import { profileRests, profileScroll, type ScriptProfile } from './bench-grid/script-profile.ts';
import { QUIET_CHROMIUM_ARGS } from './ensure-chromium.ts';
import { writeBenchmarkSection } from './support/benchmarks-doc.ts';

exitWithUsageOnHelp(`usage: npm run bench:grid [-- --reps 5 --hovers 30 --dist DIR --no-write --section-out FILE --auto]

What Gridside costs the console page it runs in: on the demo console's 50,000-row Logs tab, Chromium
without and with the demo build, alternately: script time and long tasks while scrolling, hover-to-button
latency, and the gzip size of the content script. Writes docs/benchmarks.md "## Grid" unless --no-write.
--auto: the same with in-grid auto-enrichment on and the scroll path's rows already enriched (the demo
orchestrator runs IP Reputation); writes "## Grid, with auto-enrichment on" instead.`);

/**
 * `npm run bench:grid [-- --reps 5 --hovers 30 --dist DIR --no-write --section-out FILE]`
 *
 * What Gridside costs the console page it runs in. In one run, on the demo console's 50,000-row Logs tab,
 * Chromium without the extension (baseline) and with the demo build loaded alternate, each repetition in a
 * fresh profile: main-thread script time and long tasks while scrolling, hover-to-button latency, and
 * the gzip size of the content script a page loads before the panel is ever opened. Prints a table and
 * writes docs/benchmarks.md "## Grid" (other sections belong to other benchmarks).
 */

const { values } = parseArgs({
  options: {
    reps: { type: 'string', default: '5' },
    hovers: { type: 'string', default: '30' },
    dist: { type: 'string' },
    'no-write': { type: 'boolean', default: false },
    'section-out': { type: 'string' },
    auto: { type: 'boolean', default: false },
  },
});
/** `--auto`: the orchestrator the rows are enriched by (scripts/bench-grid/auto-enrich.ts). */
let autoOrchestrator: AutoOrchestrator | null = null;
const HEADING = values.auto ? '## Grid, with auto-enrichment on' : '## Grid';
const REPS = Math.max(1, Math.min(20, Number(values.reps)));
const HOVERS = Math.max(1, Math.min(200, Number(values.hovers)));
const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const CHROMIUM = process.env.GRIDSIDE_CHROMIUM ?? '/usr/bin/chromium';
const FRAME_MS = 1000 / 60;
/** Short scrolls in the rests pass (script-profile.ts). */
const RESTS = 20;
/** The whole run must end by itself, even if a browser hangs on a loaded machine. */
const WATCHDOG_MS = 40 * 60_000;

const BROWSER_ARGS = QUIET_CHROMIUM_ARGS;

type Variant = 'baseline' | 'extension';
interface Repetition {
  variant: Variant;
  scroll: ScrollFigures;
  hover: HoverFigures;
  /** The traced hover pass: whose work each hover frame held (hover-trace.ts). */
  frames: HoverFrame[];
  profile: ScriptProfile;
  /** A third scroll pass, traced: every task over 50 ms with Gridside's part of it (long-tasks.ts). */
  longTasks: LongTask[];
  /** The same pass: each frame's thread CPU time. */
  frameCpuMs: number[];
  /** Short scrolls and rests under the CPU profiler (script-profile.ts). */
  rests: ScriptProfile;
}

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
};
const percentile = (xs: number[], p: number): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))]!;
};
const ms = (x: number) => `${x.toFixed(1)} ms`;
/** Which code was measured: the commit, and whether the work tree had changes on top of it. */
const sourceRevision = (): string => {
  const git = (args: string[]) =>
    spawnSync('git', args, { cwd: REPO_ROOT, encoding: 'utf8', timeout: 30_000 }).stdout.trim();
  const head = git(['rev-parse', '--short', 'HEAD']) || 'unknown';
  return git(['status', '--porcelain', '--', 'src']) ? `${head} + uncommitted changes in src/` : head;
};
const loadavg = () => readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');

const temp = mkdtempSync(path.join(tmpdir(), 'gridside-bench-grid-'));
const cleanup = () => rmSync(temp, { recursive: true, force: true });
const watchdog = setTimeout(() => {
  console.error(`bench:grid: still running after ${WATCHDOG_MS / 60_000} min; giving up`);
  cleanup();
  process.exit(2);
}, WATCHDOG_MS);
for (const signal of ['SIGINT', 'SIGTERM'] as const)
  process.once(signal, () => {
    cleanup();
    process.exit(130);
  });

function buildDemoExtension(): string {
  if (values.dist) return path.resolve(values.dist);
  const outDir = path.join(temp, 'built');
  console.error('bench:grid: building the demo extension (vite build --mode demo)…');
  const vite = path.join(REPO_ROOT, 'node_modules', 'vite', 'bin', 'vite.js');
  const result = spawnSync(
    process.execPath,
    [vite, 'build', '--mode', 'demo', '--outDir', outDir, '--emptyOutDir', '--logLevel', 'warn'],
    { cwd: REPO_ROOT, stdio: ['ignore', 'inherit', 'inherit'], timeout: 10 * 60_000 },
  );
  if (result.status !== 0) throw new Error('vite build --mode demo failed');
  return outDir;
}

async function launch(variant: Variant, extensionDir: string): Promise<BrowserContext> {
  const profile = mkdtempSync(path.join(temp, `profile-${variant}-`));
  const extensionArgs =
    variant === 'extension'
      ? [`--disable-extensions-except=${extensionDir}`, `--load-extension=${extensionDir}`]
      : [];
  return chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    viewport: { width: 1400, height: 900 },
    args: [...extensionArgs, ...BROWSER_ARGS],
  });
}

let chromiumVersion = 'unknown';

async function runOnce(variant: Variant, extensionDir: string, consoleUrl: string): Promise<Repetition> {
  const context = await launch(variant, extensionDir);
  try {
    const page = context.pages()[0] ?? (await context.newPage());
    const cdp = await context.newCDPSession(page);
    chromiumVersion = ((await cdp.send('Browser.getVersion')) as { product: string }).product;
    // Thread CPU time, not wall time: on a shared machine the renderer is often descheduled mid-task.
    await cdp.send('Performance.enable', { timeDomain: 'threadTicks' });
    await openLogs(page, consoleUrl, variant === 'extension');
    if (variant === 'extension' && autoOrchestrator) await warmAutoEnrichment(page, autoOrchestrator);
    await page.waitForTimeout(1_000); // let page-load work finish before the measured window
    const scroll = await measureScroll(page, cdp);
    const withExtension = variant === 'extension';
    const hover = await measureHover(page, cdp, HOVERS, withExtension);
    if (withExtension && !(await rowButtonRendered(cdp)))
      throw new Error('the row button is not shown, or has no layout box, after a hover');
    // A second hover pass under a trace (tracing slows the page a little: the untraced pass above gives
    // the latencies, this one whose work filled the frame).
    const trace = await traceDuring(cdp, async () => {
      await measureHover(page, cdp, HOVERS, withExtension, { markHovers: true });
    });
    const frames = attributeHoverFrames(trace, withExtension);
    const profile = await profileScroll(page, cdp);
    const { longTasks, frameCpuMs } = await traceScrollLongTasks(page, cdp);
    const rests = await profileRests(page, cdp, RESTS);
    return { variant, scroll, hover, frames, profile, longTasks, frameCpuMs, rests };
  } finally {
    await context.close();
  }
}

function section(args: {
  reps: Repetition[];
  initial: ReturnType<typeof measureInitialScript>;
  loadBefore: string;
  loadAfter: string;
  revision: string;
}): string {
  const { reps, initial } = args;
  const of = (v: Variant) => reps.filter((r) => r.variant === v);
  const base = of('baseline');
  const ext = of('extension');
  const scriptBase = median(base.map((r) => r.scroll.scriptMs));
  const scriptExt = median(ext.map((r) => r.scroll.scriptMs));
  const taskBase = median(base.map((r) => r.scroll.taskMs));
  const taskExt = median(ext.map((r) => r.scroll.taskMs));
  const pairRatios = base.map((b, i) => (ext[i]?.scroll.scriptMs ?? Number.NaN) / b.scroll.scriptMs);
  const ratio = scriptExt / scriptBase;
  const longBase = base.map((r) => r.scroll.longTasks);
  const longExt = ext.map((r) => r.scroll.longTasks);
  const tracedLong = (rs: Repetition[], cpu = false) =>
    rs.map((r) => r.longTasks.filter((t) => !cpu || t.cpuMs > LONG_TASK_MS).length);
  const extTasks = ext.flatMap((r) => r.longTasks);
  const holding = extTasks.filter((t) => t.gridsideMs > 0);
  const holdingMs = holding.map((t) => t.gridsideMs);
  const tipped = extTasks.filter(madeLong).length;
  const tippedCpu = extTasks.filter(madeLongCpu).length;
  const frameCpu = (rs: Repetition[]) => {
    const all = rs.flatMap((r) => r.frameCpuMs);
    if (all.length === 0) return 'no frame in the trace';
    return `${ms(percentile(all, 50))} / ${ms(percentile(all, 90))} / ${ms(percentile(all, 99))} / ${ms(Math.max(...all))}`;
  };
  const shown = ext.flatMap((r) => r.hover?.shownMs ?? []);
  const floorBase = base.flatMap((r) => r.hover?.frameMs ?? []);
  const floorExt = ext.flatMap((r) => r.hover?.frameMs ?? []);
  const inFrame = ext.flatMap((r) =>
    (r.hover?.shownMs ?? []).map((s, i) => s - (r.hover?.frameMs[i] ?? Number.NaN)),
  );
  const framesOf = (rs: Repetition[], f: (x: HoverFrame) => number | null) =>
    rs.flatMap((r) => r.frames.map(f).filter((x): x is number => x !== null));
  const own = framesOf(ext, (f) => f.gridsideMs);
  const ownCpu = framesOf(ext, (f) => f.gridsideCpuMs);
  const ownLayout = framesOf(ext, (f) => f.gridsideLayoutMs);
  const toButton = framesOf(ext, (f) => f.toButtonMs);
  const toFrameBase = framesOf(base, (f) => f.toFrameMs);
  const overFloor = percentile(toButton, 95) - percentile(toFrameBase, 95);
  const missed = ext.reduce((n, r) => n + (r.hover?.missed ?? 0), 0);
  const profExt = median(ext.map((r) => r.profile.extensionMs));
  const profAllExt = median(ext.map((r) => r.profile.scriptMs));
  const profBase = median(base.map((r) => r.profile.extensionMs));
  const profAllBase = median(base.map((r) => r.profile.scriptMs));
  const longestOwn = Math.max(...ext.map((r) => r.profile.longestExtensionMs));
  /** Gridside's share of the page's JS samples, counted (descheduled time left out), median of runs. */
  const sampleShare = (pick: (r: Repetition) => ScriptProfile) =>
    median(ext.map((r) => (100 * pick(r).extensionSamples) / Math.max(1, pick(r).scriptSamples)));
  const perRest = (rs: Repetition[], f: (p: ScriptProfile) => number) =>
    median(rs.map((r) => f(r.rests) / RESTS));
  const restOwn = perRest(ext, (p) => p.extensionMs);
  const restAll = perRest(ext, (p) => p.scriptMs);
  const restLongest = Math.max(...ext.map((r) => r.rests.longestExtensionMs));
  const p5095 = (xs: number[]) => `${ms(percentile(xs, 50))} / ${ms(percentile(xs, 95))}`;
  const kb = (bytes: number) => `${(bytes / 1024).toFixed(2)} KB`;
  const yes = (ok: boolean) => (ok ? 'met' : '**not met**');
  const date = new Date().toISOString().replace(/\.\d+Z$/, 'Z');
  const list = (xs: number[], f = (x: number) => x.toFixed(0)) => xs.map(f).join(', ');

  return [
    HEADING,
    '',
    ...(values.auto
      ? [
          'Auto-enrichment on ("SIP is a public IP → IP Reputation", docs/auto-enrichment.md), every row of the',
          "scroll path enriched beforehand in the same profile: the answers are in the worker's result cache and",
          'the rows carry their chips while they scroll.',
          '',
        ]
      : []),
    `Command: \`npm run bench:grid${values.auto ? ' -- --auto' : ''}\` (${REPS} repetitions, baseline and extension alternating, each in a fresh`,
    `Chromium profile). Measured ${date} on ${availableParallelism()} cores, ${chromiumVersion} headless,`,
    `load average ${args.loadBefore} at the start and ${args.loadAfter} at the end (a shared, busy machine:`,
    `read the figures as indicative). Extension built from ${args.revision} with \`vite build --mode demo\`.`,
    'Page: the demo console Logs tab, 50,000 rows, ag-Grid 36.',
    '',
    '| figure | baseline | with Gridside | target | |',
    '|---|---|---|---|---|',
    `| script time while scrolling (median) | ${ms(scriptBase)} | ${ms(scriptExt)} | ratio ≤ 1.05 | ratio ${ratio.toFixed(3)}, ${yes(ratio <= 1.05)} |`,
    `| main-thread task time while scrolling (median) | ${ms(taskBase)} | ${ms(taskExt)} | — | ratio ${(taskExt / taskBase).toFixed(3)} |`,
    `| Gridside's own JS while scrolling (CPU profile, separate pass, median) | ${ms(profBase)} of ${ms(profAllBase)} JS | ${ms(profExt)} of ${ms(profAllExt)} JS | — | ${((100 * profExt) / profAllExt).toFixed(2)} % of the page's JS; ${sampleShare((r) => r.profile).toFixed(2)} % of its samples |`,
    `| Gridside's own JS per rest: ${RESTS} short scrolls, each followed by stillness (CPU profile, median) | ${ms(perRest(base, (p) => p.extensionMs))} of ${ms(perRest(base, (p) => p.scriptMs))} JS | ${ms(restOwn)} of ${ms(restAll)} JS | — | ${((100 * restOwn) / restAll).toFixed(1)} % of the page's JS, ${sampleShare((r) => r.rests).toFixed(1)} % of its samples; longest stretch ${ms(restLongest)} |`,
    `| long tasks > 50 ms during the scroll, \`longtask\` observer (per run) | ${list(longBase)} | ${list(longExt)} | — | median ${median(longBase)} vs ${median(longExt)}: counts from separate runs, which the machine's other work moves (see below) |`,
    `| long tasks in a traced scroll, wall clock (per run) | ${list(tracedLong(base))} | ${list(tracedLong(ext))} | — | median ${median(tracedLong(base))} vs ${median(tracedLong(ext))} |`,
    `| … over 50 ms in thread CPU time too (per run) | ${list(tracedLong(base, true))} | ${list(tracedLong(ext, true))} | — | median ${median(tracedLong(base, true))} vs ${median(tracedLong(ext, true))}: the rest were long while the renderer was descheduled |`,
    `| … long tasks holding any of Gridside's work (all runs); its part in them, p50 / largest | — | ${holding.length} of ${extTasks.length}; ${holding.length ? `${ms(percentile(holdingMs, 50))} / ${ms(Math.max(...holdingMs))}` : '—'} | — | |`,
    `| … made long by Gridside: over 50 ms with its part, not without it (all runs), wall clock / thread CPU | — | ${tipped} / ${tippedCpu} | none (no more long tasks than the page alone) | ${yes(tipped === 0)} |`,
    `| the page's frames in the traced scroll, thread CPU p50 / p90 / p99 / largest (all runs) | ${frameCpu(base)} | ${frameCpu(ext)} | — | how close its frames come to 50 ms |`,
    `| longest unbroken stretch of Gridside samples (CPU profile, all runs) | — | ${ms(longestOwn)} | < 50 ms | ${longestOwn < 50 ? 'met: Gridside alone makes no long task' : 'inconclusive: wall-clock samples, an upper bound (see below)'} |`,
    `| hover → button shown, p50 / p95 (${shown.length} hovers) | — | ${p5095(shown)} | ≤ 1 frame (16.7 ms) | p50 ${yes(percentile(shown, 50) <= FRAME_MS)}, p95 ${yes(percentile(shown, 95) <= FRAME_MS)} |`,
    `| hover → start of the next frame, p50 / p95 | ${p5095(floorBase)} | ${p5095(floorExt)} | — | the floor for any per-frame UI on this machine |`,
    `| button work inside that frame, p50 / p95 | — | ${p5095(inFrame)} | — | shown − frame start |`,
    `| Gridside's work in the hover frame (trace, ${own.length} hovers), p50 / p95 | — | ${p5095(own)} | p95 ≤ 2 ms | ${yes(percentile(own, 95) <= 2)} |`,
    `| … the same in thread CPU time (descheduled time left out), p50 / p95 | — | ${p5095(ownCpu)} | — | ${yes(percentile(ownCpu, 95) <= 2)} at p95 |`,
    `| … of which style and layout done for Gridside (forced in its calls, or run again after them), p50 / p95 | — | ${p5095(ownLayout)} | — | |`,
    `| the page's JavaScript in the hover frame (trace), p50 / p95 | ${p5095(framesOf(base, (f) => f.pageMs))} | ${p5095(framesOf(ext, (f) => f.pageMs))} | — | its pointer handlers and frame callbacks |`,
    `| the frame's own style, layout, paint, commit (trace), p50 / p95 | ${p5095(framesOf(base, (f) => f.renderingMs))} | ${p5095(framesOf(ext, (f) => f.renderingMs))} | — | shared: outside any script |`,
    `| pointerover → frame committed (trace), p50 / p95 | ${p5095(toFrameBase)} | ${p5095(toButton)} | ≤ 3 ms over the floor at p95 | with Gridside: the frame showing the button; ${ms(overFloor)} over, ${yes(overFloor <= 3)} |`,
    `| initial content script, gzip -9 | — | ${kb(initial.gzipTotal)} | ≤ 15 KB | ${yes(initial.gzipTotal <= 15 * 1024)} |`,
    '',
    `Script time per run (ms): baseline ${list(base.map((r) => r.scroll.scriptMs))}; with Gridside ${list(ext.map((r) => r.scroll.scriptMs))}; per-pair ratios ${list(pairRatios, (x) => x.toFixed(2))}.${missed ? ` ${missed} hovers showed no button within 5 s and are left out.` : ''}`,
    '',
    'Initial content script (what a console page loads before the panel is opened):',
    '',
    '| file | bytes | gzip -9 |',
    '|---|---|---|',
    ...initial.files.map((f) => `| \`${f.file}\` | ${f.bytes} | ${f.gzipBytes} |`),
    `| **total** | ${initial.files.reduce((n, f) => n + f.bytes, 0)} | **${initial.gzipTotal}** |`,
    '',
    `Injected by the worker on first use only (not counted): ${initial.lazy.map((f) => `\`${f}\``).join(', ') || 'none'}.`,
    '',
    'How each figure is measured:',
    '',
    '- **Script time while scrolling**: the DevTools protocol `Performance.getMetrics` `ScriptDuration` (and',
    '  `TaskDuration`) difference across 120 `mouse.wheel` steps of 250 px over the grid, one step per',
    '  animation frame, plus 300 ms for the last frames to settle; the content script runs on the same main',
    '  thread, so its listeners are included. Measured as thread CPU time (`timeDomain: threadTicks`), so time',
    '  the renderer spends descheduled on a busy machine is not counted. Ratio = median with Gridside / median',
    '  baseline.',
    "- **Gridside's own JS**: a second 120-step scroll pass in the same page, after the hovers, under the V8",
    '  CPU profiler (`Profiler.start`, 250 µs sampling); samples whose stack contains a `chrome-extension://`',
    '  frame (the content script, and the native work such as layout reads it calls) are counted as',
    "  Gridside's; idle, program and GC samples are left out of the JS total. Baseline shows the check: 0.",
    "  A sample's time is the wall-clock gap to the next, so a renderer descheduled by the machine's other",
    '  work charges that gap to whatever code it was in; the share of samples (each one interval of code that',
    '  ran) leaves that out, the way the thread-CPU figures below do.',
    '  The longest run of consecutive Gridside samples bounds the longest single piece of work it did; samples',
    '  are taken on wall-clock time, so on a loaded machine a stretch also counts time the renderer thread',
    '  was descheduled in the middle of Gridside code: above 50 ms it does not prove a long task.',
    `- **Gridside's own JS per rest**: last, ${RESTS} short scrolls of three wheel steps, each followed by 900 ms`,
    '  of stillness, under the same profiler. At each rest the row marks read the rows on screen and ask the',
    '  worker about them, and the row button finds the row under the pointer; the scroll pass above ends',
    '  300 ms after its last step and mostly leaves that work out. Divided by the number of rests.',
    '- **Long tasks**: a `PerformanceObserver` for `longtask` installed in the page before the scroll. On',
    "  this console ag-Grid's own frame while it scrolls takes 40–60 ms on a slow machine, so the count moves",
    "  with the machine's other work on both sides and two counts from separate runs cannot say whether",
    '  Gridside tipped a frame over. A third scroll pass of the same kind runs under a DevTools protocol',
    "  trace (`scripts/bench-grid/long-tasks.ts`): every task of the page's main thread is a `RunTask` event,",
    "  and Gridside's part of a task is found as in the hover frame (below): its calls, with the style and",
    "  layout done for them. A task over 50 ms whose length less Gridside's part is 50 ms or less was made",
    "  long by Gridside; the target is none. The traced pass is the third scroll of the page, when ag-Grid's",
    "  code has warmed up, so its counts are not the observer's: compare baseline and Gridside within a row.",
    "  The same trace gives each frame's thread CPU time (every task that ran the page's animation-frame",
    "  callbacks or painted): the tail of that distribution is how close the page's own frames come to",
    '  50 ms, where a long-task count turns on a millisecond.',
    '- **Hover → button**: the mouse leaves the grid (the button hides), then moves onto one of the visible',
    '  rows (real input through the protocol). Start: the `pointerover` `timeStamp` seen by a capture listener',
    '  the bench adds to `window`. End: the button sits in a closed shadow root and nothing outside it changes',
    '  when it shows, so the bench finds it with `DOM.getDocument({ pierce: true })`, resolves it into the',
    "  page's main world (`DOM.resolveNode`) and attaches a `MutationObserver` to its `data-shown` attribute;",
    "  the callback runs right after the content script's code that sets it (its pointer listener, or a callback",
    "  after the frame's layout), in the frame that paints the button (sub-millisecond resolution; the paint",
    '  itself follows in that frame after style and layout).',
    '  The start of the first animation frame after the `pointerover` (the `requestAnimationFrame` timestamp)',
    '  is measured in both variants: it is the floor for any per-frame UI on this machine, and "button work"',
    "  is the time the content script takes inside that frame (the page's work in it included). After the",
    '  hovers the protocol confirms the button is shown (`data-shown`) and has a layout box',
    '  (`DOM.getBoxModel`). No test-only code in the extension.',
    '- **Whose work the hover frame holds** (`scripts/bench-grid/hover-trace.ts`): a second hover pass of',
    '  the same kind, under a DevTools protocol trace (`devtools.timeline` categories). Every JavaScript call',
    '  the renderer makes is a `FunctionCall` event naming the script it enters: calls into',
    "  `chrome-extension://` are Gridside's (its pointer listeners, observer and frame callbacks), together",
    "  with the style and layout the browser did inside them; calls into the page's scripts are the page's;",
    "  the bench's own probes are neither. Style, layout, paint and commit outside any call are the frame's",
    '  own, shared by both. The span runs from the `pointerover` dispatch to the end of the commit of the',
    "  frame that shows the button (the bench's `performance.mark` when the probe sees `data-shown`), or, in",
    '  the baseline, of the first frame after the `pointerover`: that commit is the frame floor the target',
    "  compares with. A style and layout pass the frame runs again right after Gridside's after-layout",
    "  callback (what it wrote needed layout) counts as Gridside's. Thread CPU time (the events' `tdur`) is",
    '  given beside wall-clock time: on a busy machine a wall-clock outlier is mostly the renderer',
    '  descheduled in the middle of a call.',
    '- **Initial content script**: the one classic script the background registers (`content/gridside.js`,',
    "  named in the service worker's build record): the module shelf and the entry with everything it imports",
    '  statically; `zlib.gzipSync` level 9. The other files beside it, which the worker injects on first use,',
    '  are listed, not counted.',
    '  Size alone, without a browser: `npx tsx scripts/bench-grid/initial-script.ts [DIST]`.',
    '',
  ].join('\n');
}

async function main(): Promise<void> {
  const loadBefore = loadavg();
  const revision = sourceRevision();
  const built = buildDemoExtension();
  const initial = measureInitialScript(built);
  const demo = await startDemoConsole({ port: 0, host: '127.0.0.1' });
  if (values.auto) autoOrchestrator = await startAutoOrchestrator();
  try {
    // A copy, so the demo configuration never lands in a dist/ someone else is using.
    const extensionDir = path.join(temp, 'extension');
    cpSync(built, extensionDir, { recursive: true });
    writeFileSync(
      path.join(extensionDir, 'demo-config.json'),
      JSON.stringify({
        // Nothing is run during this benchmark (unless --auto): the address only has to be well formed.
        orchestrator: autoOrchestrator
          ? { url: autoOrchestrator.url, token: autoOrchestrator.token }
          : { url: 'http://127.0.0.1:9/', token: 'bench-grid-token-0000000000000000' },
        consoles: [demo.url],
        ...(autoOrchestrator ? { autoEnrich: AUTO_RULE } : {}),
      }),
    );
    const reps: Repetition[] = [];
    for (let i = 0; i < REPS; i += 1) {
      const order: Variant[] = i % 2 === 0 ? ['baseline', 'extension'] : ['extension', 'baseline'];
      for (const variant of order) {
        const rep = await runOnce(variant, extensionDir, demo.url);
        reps.push(rep);
        const own = `, Gridside JS ${ms(rep.profile.extensionMs)} of ${ms(rep.profile.scriptMs)} (${rep.profile.extensionSamples} of ${rep.profile.scriptSamples} samples; longest ${ms(rep.profile.longestExtensionMs)})`;
        const hover = rep.hover?.shownMs.length
          ? `, hover→shown p50 ${ms(median(rep.hover.shownMs))}`
          : `, hover→frame p50 ${ms(median(rep.hover?.frameMs ?? [Number.NaN]))}`;
        const traced = `, traced long tasks ${rep.longTasks.length} (${rep.longTasks.filter((t) => t.gridsideMs > 0).length} with Gridside's work, ${rep.longTasks.filter(madeLong).length} made long by it)`;
        console.error(
          `bench:grid: ${i + 1}/${REPS} ${variant}: script ${ms(rep.scroll.scriptMs)}, task ${ms(rep.scroll.taskMs)}, long tasks ${rep.scroll.longTasks}${traced}, scrolled ${rep.scroll.scrolledPx} px${hover}${own}`,
        );
        for (const t of rep.longTasks.filter((lt) => lt.gridsideMs >= 1 || madeLong(lt)))
          console.error(
            `bench:grid:   long task ${ms(t.ms)} (${ms(t.cpuMs)} CPU), Gridside ${ms(t.gridsideMs)}${madeLong(t) ? ', made long by it' : ''}: ${t.gridsideCalls.join('; ') || 'no call of 0.5 ms or more'}`,
          );
        // Where Gridside's scroll-time samples went, to find what to make cheaper.
        for (const f of rep.profile.topFunctions)
          console.error(`bench:grid:   ${ms(f.ms).padStart(9)}  ${f.name}`);
        if (variant === 'extension') {
          console.error(
            `bench:grid:   at rest: Gridside JS ${ms(rep.rests.extensionMs / RESTS)} per rest of ${ms(rep.rests.scriptMs / RESTS)} (longest ${ms(rep.rests.longestExtensionMs)})`,
          );
          for (const f of rep.rests.topFunctions.slice(0, 6))
            console.error(`bench:grid:   ${ms(f.ms).padStart(9)}  ${f.name}`);
        }
      }
    }
    const text = section({ reps, initial, loadBefore, loadAfter: loadavg(), revision });
    process.stdout.write(`${text}\n`);
    if (values['section-out']) writeFileSync(values['section-out'], text);
    if (!values['no-write']) writeBenchmarkSection(HEADING, text);
  } finally {
    await demo.close();
    await autoOrchestrator?.stop();
  }
}

main()
  .catch((error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  })
  .finally(() => {
    clearTimeout(watchdog);
    cleanup();
  });
