import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { type CDPSession, chromium, type Page } from 'playwright-core';
import { startDemoConsole } from '../demo/server.ts';
import { exitWithUsageOnHelp } from '../src/orchestrator/cli-usage.ts';
import { closePanel, ECHO_ROW, openPanelFromRow, runAction } from '../test/e2e/analyst.ts';
import { startStack } from '../test/support/e2e-stack.ts';
import { forgetShadowNodes } from '../test/support/shadow-dom.ts';
import { wheelOverGrid } from './bench-grid/console-page.ts';
import { codeByScript, sizesByConstructor, writeHeapSnapshot } from './bench-memory/heap-snapshot.ts';
import { orchestratorMemory } from './bench-memory/orchestrator-rss.ts';
import {
  loadAverage,
  ORCHESTRATOR_HEADING,
  orchestratorSection,
} from './bench-memory/orchestrator-section.ts';
import { QUIET_CHROMIUM_ARGS } from './ensure-chromium.ts';
import { writeBenchmarkSection } from './support/benchmarks-doc.ts';

exitWithUsageOnHelp(`usage: npm run bench:memory [-- --part all|browser|orchestrator --minutes 10 --runs 200
       --samples 5 --sizes 0,25000,50000,75000,100000 --real 2000 --snapshots DIR --no-write]

Browser: the demo console's 50,000-row Logs tab scrolled for --minutes with --runs runs of Echo Row
Fields spread over it, in Chromium with the demo build and an orchestrator, beside the same scrolling
without the extension (one browser at a time): the page's JS heap after a forced garbage collection,
--samples times; the service worker's heap idle before and after the runs. Needs
\`npx vite build --mode demo\` first. --snapshots DIR writes heap snapshots and prints what grew.
Orchestrator: one process whose history grows through --sizes (seeded straight into its database),
executing --real runs of a real plugin at each size: its RSS and database bytes per run.
Writes docs/benchmarks.md "## Memory" and "## Memory: the orchestrator as its history grows"
unless --no-write.`);

/**
 * `npm run bench:memory`: the content script's heap is the page's heap with Gridside minus the same page's
 * heap without it, after the same scrolling (the DevTools protocol's `Runtime.getHeapUsage` reports the
 * renderer's whole isolate, every world of the page included). Growth is read along the samples: a
 * content script that keeps something per scroll step or per run would grow with time.
 */

const { values } = parseArgs({
  options: {
    minutes: { type: 'string', default: '10' },
    runs: { type: 'string', default: '200' },
    samples: { type: 'string', default: '5' },
    snapshots: { type: 'string' },
    part: { type: 'string', default: 'all' },
    sizes: { type: 'string', default: '0,25000,50000,75000,100000' },
    real: { type: 'string', default: '2000' },
    'no-write': { type: 'boolean', default: false },
  },
});
const MINUTES = Math.max(0.1, Number(values.minutes));
const RUNS = Math.max(0, Math.floor(Number(values.runs)));
const SAMPLES = Math.max(2, Math.min(30, Math.floor(Number(values.samples))));
const SNAPSHOTS = values.snapshots ? path.resolve(values.snapshots) : null;
const PART = values.part === 'browser' || values.part === 'orchestrator' ? values.part : 'all';
const SIZES = (values.sizes ?? '')
  .split(',')
  .map(Number)
  .filter((n) => Number.isFinite(n) && n >= 0);
const REAL = Math.max(1, Math.floor(Number(values.real)));
const CHROMIUM = process.env.GRIDSIDE_CHROMIUM ?? '/usr/bin/chromium';
const LOGS_TAB = '/analyzer.html#logs';
const READY = '#logs-grid .ag-row[row-index]';

const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(2)} MB`;

/** The renderer's JS heap after a full garbage collection (twice: weak references cleared by the first). */
async function heapAfterGc(cdp: CDPSession): Promise<number> {
  await cdp.send('HeapProfiler.collectGarbage');
  await cdp.send('HeapProfiler.collectGarbage');
  const { usedSize } = (await cdp.send('Runtime.getHeapUsage')) as { usedSize: number };
  return usedSize;
}

/**
 * Scrolls the grid for at least `ms`: 60 wheel steps down and 60 back up, again and again, and always ends
 * back where it began. ag-Grid keeps fewer rows drawn at the top of the grid than further down (39 against
 * 49 on the demo console), each with its cells' closures and elements: a sample taken at the top in one
 * browser and further down in the other counted those ten rows as Gridside's.
 */
async function scrollFor(page: Page, ms: number): Promise<void> {
  const until = Date.now() + ms;
  do {
    await wheelOverGrid(page, 60, 250);
    await wheelOverGrid(page, 60, -250);
  } while (Date.now() < until);
}

/** One run of Echo Row Fields on a row on screen, as the analyst makes it. */
async function runOnce(page: Page, n: number): Promise<void> {
  const cell = page.locator('#logs-grid .ag-row[row-index] [col-id="SIP"]').nth(2 + (n % 8));
  await openPanelFromRow(page, cell);
  const done = await runAction(page, ECHO_ROW);
  if (done.status !== 'succeeded') throw new Error(`run ${n} ended ${done.status}`);
  await closePanel(page);
}

/**
 * What the analyst's pointer does for a run, without Gridside: the same row brought into view and hovered,
 * then the pointer at the row's right end, where the row button would be. The page runs its own hover code
 * for it either way, and that code's compiled form belongs to the page, not to Gridside.
 */
async function pointAtRow(page: Page, n: number): Promise<void> {
  const cell = page.locator('#logs-grid .ag-row[row-index] [col-id="SIP"]').nth(2 + (n % 8));
  await cell.scrollIntoViewIfNeeded();
  await page.mouse.move(1, 1);
  await cell.hover();
  const row = await cell.evaluate((el) => {
    const box = (el.closest('.ag-row') ?? el).getBoundingClientRect();
    return { right: Math.min(box.right, window.innerWidth), middle: (box.top + box.bottom) / 2 };
  });
  await page.mouse.move(row.right - 40, row.middle, { steps: 5 });
  await page.waitForTimeout(300);
}

interface Series {
  heap: number[];
  runsDone: number[];
  /** The extension's service worker's used JS heap after a garbage collection, idle after the runs. */
  workerHeap?: number | null;
  /** The same, idle once the console page is loaded, before any run: the baseline for the figure above. */
  workerHeapLoaded?: number | null;
}

/**
 * The service worker's heap, through the browser's DevTools session: attached to the worker's target and
 * spoken to with `Target.sendMessageToTarget` (Playwright hands out page sessions only). Null when the
 * browser does not allow it.
 */
async function workerHeapAfterGc(page: Page): Promise<number | null> {
  const browser = page.context().browser();
  if (!browser) return null;
  const cdp = await browser.newBrowserCDPSession();
  try {
    const { targetInfos } = (await cdp.send('Target.getTargets')) as {
      targetInfos: { targetId: string; type: string; url: string }[];
    };
    const worker = targetInfos.find(
      (t) => t.type === 'service_worker' && t.url.startsWith('chrome-extension://'),
    );
    if (!worker) return null;
    const { sessionId } = (await cdp.send('Target.attachToTarget', {
      targetId: worker.targetId,
      flatten: false,
    })) as {
      sessionId: string;
    };
    let id = 0;
    const call = (method: string) =>
      new Promise<Record<string, unknown>>((resolve, reject) => {
        const callId = ++id;
        const timer = setTimeout(() => reject(new Error(`${method}: no answer`)), 10_000);
        const onMessage = (event: { sessionId: string; message: string }) => {
          const reply = JSON.parse(event.message) as { id?: number; result?: Record<string, unknown> };
          if (event.sessionId !== sessionId || reply.id !== callId) return;
          clearTimeout(timer);
          cdp.off('Target.receivedMessageFromTarget', onMessage);
          resolve(reply.result ?? {});
        };
        cdp.on('Target.receivedMessageFromTarget', onMessage);
        void cdp.send('Target.sendMessageToTarget', {
          sessionId,
          message: JSON.stringify({ id: callId, method }),
        });
      });
    await call('HeapProfiler.enable');
    await call('HeapProfiler.collectGarbage');
    const usage = await call('Runtime.getHeapUsage');
    return typeof usage.usedSize === 'number' ? usage.usedSize : null;
  } catch (error) {
    console.error('bench:memory: the service worker could not be measured:', error);
    return null;
  } finally {
    await cdp.detach().catch(() => undefined);
  }
}

async function measure(page: Page, cdp: CDPSession, withRuns: boolean): Promise<Series> {
  await cdp.send('HeapProfiler.enable');
  const heap: number[] = [await heapAfterGc(cdp)];
  const runsDone = [0];
  let runs = 0;
  const slice = (MINUTES * 60_000) / SAMPLES;
  for (let i = 0; i < SAMPLES; i += 1) {
    const started = Date.now();
    const due = Math.round((RUNS * (i + 1)) / SAMPLES);
    while (runs < due) await (withRuns ? runOnce(page, runs++) : pointAtRow(page, runs++));
    await scrollFor(page, Math.max(1_000, slice - (Date.now() - started)));
    await page.mouse.move(1, 1);
    // The panel was driven through the DevTools protocol, which holds on to the elements it reported.
    await forgetShadowNodes(page);
    heap.push(await heapAfterGc(cdp));
    runsDone.push(runs);
    if (SNAPSHOTS && (i === 0 || i === SAMPLES - 1)) {
      const file = path.join(
        SNAPSHOTS,
        `${withRuns ? 'gridside' : 'alone'}-${i === 0 ? 'first' : 'last'}.heapsnapshot`,
      );
      await writeHeapSnapshot(cdp, file);
    }
    console.error(
      `bench:memory: ${withRuns ? 'Gridside' : 'page alone'} ${i + 1}/${SAMPLES}: ${mb(heap.at(-1)!)}, ${runs} runs`,
    );
  }
  return { heap, runsDone };
}

async function pageAlone(): Promise<Series> {
  const demo = await startDemoConsole({ port: 0, host: '127.0.0.1' });
  const profile = mkdtempSync(path.join(tmpdir(), 'gridside-bench-memory-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    viewport: { width: 1400, height: 900 },
    args: [...QUIET_CHROMIUM_ARGS],
  });
  try {
    const page = context.pages()[0] ?? (await context.newPage());
    await page.goto(`${demo.url}${LOGS_TAB}`, { timeout: 120_000 });
    await page.waitForSelector(READY, { timeout: 120_000 });
    return await measure(page, await context.newCDPSession(page), false);
  } finally {
    await context.close();
    await demo.close();
    rmSync(profile, { recursive: true, force: true });
  }
}

async function withGridside(): Promise<Series> {
  const stack = await startStack({});
  try {
    const page = await stack.openConsole(LOGS_TAB, READY);
    await page.waitForTimeout(5_000); // idle: the page's first questions to the worker answered
    const workerHeapLoaded = await workerHeapAfterGc(page);
    const series = await measure(page, await page.context().newCDPSession(page), true);
    await page.waitForTimeout(5_000); // idle: no request in flight
    return { ...series, workerHeapLoaded, workerHeap: await workerHeapAfterGc(page) };
  } finally {
    await stack.stop();
  }
}

function section(alone: Series, gridside: Series, startedAt: string, load: string): string {
  const extra = gridside.heap.map((h, i) => h - (alone.heap[i] ?? Number.NaN));
  const afterFirst = extra.slice(1);
  const growth = (afterFirst.at(-1) ?? 0) - (afterFirst[0] ?? 0);
  const final = extra.at(-1) ?? Number.NaN;
  const yes = (ok: boolean) => (ok ? 'met' : '**not met**');
  const rows = gridside.heap.map(
    (h, i) =>
      `| ${i === 0 ? 'loaded' : `after ${((MINUTES * i) / SAMPLES).toFixed(1)} min`} | ${gridside.runsDone[i]} | ${mb(alone.heap[i] ?? Number.NaN)} | ${mb(h)} | ${mb(extra[i] ?? Number.NaN)} |`,
  );
  return [
    '## Memory',
    '',
    `Command: \`npm run bench:memory -- --minutes ${MINUTES} --runs ${RUNS} --samples ${SAMPLES}\`. Measured ${startedAt} on`,
    `${availableParallelism()} cores shared with other work (load average ${load}). Page: the demo console Logs tab, 50,000 rows, ag-Grid 36.`,
    '',
    '| figure | value | target | |',
    '|---|---|---|---|',
    `| content script's heap above the page alone, at the end | ${mb(final)} | ≤ 3 MB | ${yes(final <= 3 * 1024 * 1024)} |`,
    `| its growth from the first sample to the last | ${mb(growth)} | not growing | ${yes(growth <= 0.5 * 1024 * 1024)} (≤ 0.5 MB counts as flat: heap figures move by that much between samples of the page alone) |`,
    `| service worker's JS heap, idle once the page loaded | ${gridside.workerHeapLoaded == null ? 'not measured' : mb(gridside.workerHeapLoaded)} | — | after a garbage collection |`,
    `| service worker's JS heap, idle after the runs | ${gridside.workerHeap == null ? 'not measured' : mb(gridside.workerHeap)} | — | ${gridside.workerHeap == null || gridside.workerHeapLoaded == null ? '' : `${(gridside.workerHeap / gridside.workerHeapLoaded).toFixed(2)}× the loaded figure`} |`,
    '',
    '| when | runs made | page alone | with Gridside | difference |',
    '|---|---|---|---|---|',
    ...rows,
    '',
    'How it is measured: one browser at a time, each in a fresh profile: first Chromium without the',
    'extension, then with the demo build and a real orchestrator. Both scroll the grid the same way (wheel',
    'steps of 250 px over it, one per animation frame, 60 down and 60 back up, repeated) for the same time,',
    'and each sample is taken with the grid back where it began (ag-Grid draws fewer rows at the top);',
    'the runs (Echo Row Fields through the row button and the panel, closed after each) are spread over it.',
    "Without the extension the same rows are hovered at the same moments, the pointer moved to the row's",
    'right end where the row button would be: hovering its rows makes ag-Grid compile code of its own, and',
    "that code is the page's with or without Gridside (`--snapshots` prints compiled code by owner).",
    'At each sample the page is garbage-collected twice (`HeapProfiler.collectGarbage`) and',
    "`Runtime.getHeapUsage` gives the renderer's used JS heap, which holds the page's world and the content",
    "script's isolated world together: the difference is what Gridside adds (its panel chunk included once",
    'opened).',
    '',
  ].join('\n');
}

/** What grew between two snapshots, by constructor: where to look when the content script's heap grows. */
function printGrowth(title: string, from: string, to: string): void {
  const a = sizesByConstructor(path.join(SNAPSHOTS!, `${from}.heapsnapshot`));
  const b = sizesByConstructor(path.join(SNAPSHOTS!, `${to}.heapsnapshot`));
  const keys = new Set([...a.keys(), ...b.keys()]);
  const diffs = [...keys].map((key) => ({
    key,
    bytes: (b.get(key)?.bytes ?? 0) - (a.get(key)?.bytes ?? 0),
    count: (b.get(key)?.count ?? 0) - (a.get(key)?.count ?? 0),
  }));
  diffs.sort((x, y) => y.bytes - x.bytes);
  console.error(`bench:memory: ${title}, the 40 kinds that grew most (bytes, objects):`);
  for (const d of diffs.slice(0, 40))
    console.error(`  ${String(d.bytes).padStart(10)} ${String(d.count).padStart(7)}  ${d.key}`);
}

/** Whose code a script is: Gridside's (its content script and chunks), the page's, or the bench's. */
function codeOwner(script: string): string {
  if (/^(chrome|moz)-extension:/.test(script)) return 'Gridside (content script and its chunks)';
  if (script === '') return 'DevTools protocol evaluations (the bench driving the page)';
  if (script === '?') return 'no function found holding it';
  if (script.includes('ag-grid')) return 'the page: ag-Grid';
  return 'the page: the rest of its scripts';
}

/** Compiled code by whose it is, in the two last snapshots: how much of the heap difference is Gridside's. */
function printCodeOwners(from: string, to: string): void {
  const sum = (file: string) => {
    const owners = new Map<string, number>();
    for (const [script, bytes] of codeByScript(path.join(SNAPSHOTS!, `${file}.heapsnapshot`)))
      owners.set(codeOwner(script), (owners.get(codeOwner(script)) ?? 0) + bytes);
    return owners;
  };
  const a = sum(from);
  const b = sum(to);
  console.error(`bench:memory: compiled code (machine code, bytecode, feedback) by owner, ${from} → ${to}:`);
  for (const owner of new Set([...a.keys(), ...b.keys()])) {
    const before = a.get(owner) ?? 0;
    const after = b.get(owner) ?? 0;
    console.error(
      `  ${mb(before).padStart(9)} → ${mb(after).padStart(9)}  (${mb(after - before)})  ${owner}`,
    );
  }
}

async function main(): Promise<void> {
  if (SNAPSHOTS) mkdirSync(SNAPSHOTS, { recursive: true });
  const write = !values['no-write'];
  if (PART !== 'orchestrator') {
    const startedAt = new Date().toISOString().replace(/\.\d+Z$/, 'Z');
    const loadBefore = loadAverage();
    const alone = await pageAlone();
    const gridside = await withGridside();
    if (SNAPSHOTS) {
      printGrowth('Gridside, first sample → last', 'gridside-first', 'gridside-last');
      printGrowth('page alone → Gridside, last samples', 'alone-last', 'gridside-last');
      printCodeOwners('alone-last', 'gridside-last');
    }
    const text = section(
      alone,
      gridside,
      startedAt,
      `${loadBefore} at the start, ${loadAverage()} at the end`,
    );
    process.stdout.write(`${text}\n`);
    if (write) writeBenchmarkSection('## Memory', text);
  }
  if (PART !== 'browser') {
    const startedAt = new Date().toISOString().replace(/\.\d+Z$/, 'Z');
    const loadBefore = loadAverage();
    const figures = await orchestratorMemory(SIZES, REAL, (line) => console.error(`bench:memory: ${line}`));
    const text = orchestratorSection(figures, {
      command: `npm run bench:memory -- --part orchestrator --sizes ${SIZES.join(',')} --real ${REAL}`,
      startedAt,
      load: `${loadBefore} at the start, ${loadAverage()} at the end`,
    });
    process.stdout.write(`${text}\n`);
    if (write) writeBenchmarkSection(ORCHESTRATOR_HEADING, text);
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
