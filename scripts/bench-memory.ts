import { mkdtempSync, rmSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { type CDPSession, chromium, type Page } from 'playwright-core';
import { startDemoConsole } from '../demo/server.ts';
import { exitWithUsageOnHelp } from '../src/orchestrator/cli-usage.ts';
import { closePanel, ECHO_ROW, openPanelFromRow, runAction } from '../test/e2e/analyst.ts';
import { startStack } from '../test/support/e2e-stack.ts';
import { wheelOverGrid } from './bench-grid/console-page.ts';
import { QUIET_CHROMIUM_ARGS } from './ensure-chromium.ts';
import { writeBenchmarkSection } from './support/benchmarks-doc.ts';

exitWithUsageOnHelp(`usage: npm run bench:memory [-- --minutes 10 --runs 200 --samples 5 --no-write]

What Gridside keeps in memory on a console page: the demo console's 50,000-row Logs tab scrolled for
--minutes (wheel steps over the grid, down and back up), with --runs runs of Echo Row Fields made
through the row button and the panel spread over that time, in Chromium with the demo build and an
orchestrator; the same scrolling in Chromium without the extension (one browser at a time). The JS heap
of the page's renderer (main world and the content script's world share it) after a forced garbage
collection, --samples times along the way. Needs \`npx vite build --mode demo\` first (loads ./dist).
Writes docs/benchmarks.md "## Memory" unless --no-write.`);

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
    'no-write': { type: 'boolean', default: false },
  },
});
const MINUTES = Math.max(0.1, Number(values.minutes));
const RUNS = Math.max(0, Math.floor(Number(values.runs)));
const SAMPLES = Math.max(2, Math.min(30, Math.floor(Number(values.samples))));
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

/** Scrolls the grid for `ms`: 60 wheel steps down, 60 back up, and again. */
async function scrollFor(page: Page, ms: number): Promise<void> {
  const until = Date.now() + ms;
  let down = true;
  while (Date.now() < until) {
    await wheelOverGrid(page, 60, down ? 250 : -250);
    down = !down;
  }
}

/** One run of Echo Row Fields on a row on screen, as the analyst makes it. */
async function runOnce(page: Page, n: number): Promise<void> {
  const cell = page.locator('#logs-grid .ag-row[row-index] [col-id="SIP"]').nth(2 + (n % 8));
  await openPanelFromRow(page, cell);
  const done = await runAction(page, ECHO_ROW);
  if (done.status !== 'succeeded') throw new Error(`run ${n} ended ${done.status}`);
  await closePanel(page);
}

interface Series {
  heap: number[];
  runsDone: number[];
  /** The extension's service worker's used JS heap after a garbage collection, idle after the runs. */
  workerHeap?: number | null;
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
    const due = withRuns ? Math.round((RUNS * (i + 1)) / SAMPLES) : 0;
    while (runs < due) await runOnce(page, runs++);
    await scrollFor(page, Math.max(1_000, slice - (Date.now() - started)));
    await page.mouse.move(1, 1);
    heap.push(await heapAfterGc(cdp));
    runsDone.push(runs);
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
    const series = await measure(page, await page.context().newCDPSession(page), true);
    await page.waitForTimeout(5_000); // idle: no request in flight
    return { ...series, workerHeap: await workerHeapAfterGc(page) };
  } finally {
    await stack.stop();
  }
}

function section(alone: Series, gridside: Series, startedAt: string): string {
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
    `${availableParallelism()} cores (a shared, busy machine). Page: the demo console Logs tab, 50,000 rows, ag-Grid 36.`,
    '',
    '| figure | value | target | |',
    '|---|---|---|---|',
    `| content script's heap above the page alone, at the end | ${mb(final)} | ≤ 3 MB | ${yes(final <= 3 * 1024 * 1024)} |`,
    `| its growth from the first sample to the last | ${mb(growth)} | not growing | ${yes(growth <= 0.5 * 1024 * 1024)} (≤ 0.5 MB counts as flat: heap figures move by that much between samples of the page alone) |`,
    `| service worker's JS heap, idle after the runs | ${gridside.workerHeap == null ? 'not measured' : mb(gridside.workerHeap)} | — | after a garbage collection |`,
    '',
    '| when | runs made | page alone | with Gridside | difference |',
    '|---|---|---|---|---|',
    ...rows,
    '',
    'How it is measured: one browser at a time, each in a fresh profile: first Chromium without the',
    'extension, then with the demo build and a real orchestrator. Both scroll the grid the same way (wheel',
    'steps of 250 px over it, one per animation frame, 60 down and 60 back up, repeated) for the same time;',
    'the runs (Echo Row Fields through the row button and the panel, closed after each) are spread over it.',
    'At each sample the page is garbage-collected twice (`HeapProfiler.collectGarbage`) and',
    "`Runtime.getHeapUsage` gives the renderer's used JS heap, which holds the page's world and the content",
    "script's isolated world together: the difference is what Gridside adds (its panel chunk included once",
    'opened).',
    '',
  ].join('\n');
}

async function main(): Promise<void> {
  const startedAt = new Date().toISOString().replace(/\.\d+Z$/, 'Z');
  const alone = await pageAlone();
  const gridside = await withGridside();
  const text = section(alone, gridside, startedAt);
  process.stdout.write(`${text}\n`);
  if (!values['no-write']) writeBenchmarkSection('## Memory', text);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
