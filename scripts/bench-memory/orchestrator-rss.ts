import { mkdirSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';
import { RunSchema } from '../../src/core/api.ts';
import { openDb } from '../../src/orchestrator/store.ts';
import { startOrchestrator } from '../../test/support/orchestrator-process.ts';
import { seedRuns } from '../bench-orchestrator-scale/seed-runs.ts';
import { BENCH_TOKENS, type BenchPlugin, benchPluginFolder } from '../support/bench-plugin.ts';

/**
 * The orchestrator's memory as its history grows: ONE orchestrator process, started on an empty database,
 * warmed up by one block of runs, then brought to each history size in turn (0, 25,000, 50,000, 100,000 runs…). At each size it executes `real`
 * runs of a real plugin through its HTTP API (a child process each) and answers history, approvals and
 * metrics requests, then rests a moment before its resident memory is read from /proc. Between sizes the
 * rest of the history, if `real` runs did not reach it, is written straight into its SQLite database (the
 * orchestrator idle meanwhile): stored runs are what the orchestrator must not hold in memory. With
 * `real` equal to the step between sizes nothing is seeded and every stored run was executed (110,000
 * took 23 minutes on two cores). RSS growing with the size would mean it keeps something per stored
 * run; RSS growing by the same step after each block of real runs would mean it keeps something per
 * run made.
 */

const { analyst: ANALYST, admin: ADMIN } = BENCH_TOKENS;
// A real plugin whose process costs next to nothing, so the figures are the orchestrator's own: /bin/echo
// prints its arguments, about as much output as a small lookup's verdict.
const ECHO_HOST: BenchPlugin = {
  name: 'Memory',
  action: 'Echo Host',
  command: 'echo',
  constant: {
    name: 'Verdict',
    value:
      'host looked up: nothing known about it, no alarms, no sightings in the last 30 days; verdict safe',
  },
};

export interface HistoryStep {
  /** The block before the first size: the process's first runs, where V8 and SQLite settle. */
  warmUp: boolean;
  /** Runs stored when the sample was read. */
  stored: number;
  /** Runs this process executed so far. */
  executed: number;
  rssMb: number;
  /** Anonymous resident memory (heaps, not mapped files), which is where a leak would show. */
  anonMb: number;
  /** V8's heap in use after a full garbage collection (read after the figures above). */
  jsHeapMb: number;
  /** Peak resident memory so far. */
  peakMb: number;
  /** Database and write-ahead log on disk. */
  diskBytes: number;
  runsPerSecond: number;
}

export interface OrchestratorMemory {
  steps: HistoryStep[];
  /** Logical database bytes (pages in use) per stored run, at the end. */
  bytesPerRun: number;
  /** What the executed runs alone added, per run (measured on the first step, before any seeding). */
  bytesPerRealRun: number;
  /** Runs written straight into the database between sizes; 0 when every stored run was executed. */
  seeded: number;
}

const procMb = (pid: number, field: string): number => {
  const match = readFileSync(`/proc/${pid}/status`, 'utf8').match(new RegExp(`${field}:\\s+(\\d+)`));
  return Number(match?.[1] ?? Number.NaN) / 1024;
};
const fileBytes = (file: string): number => {
  try {
    return statSync(file).size;
  } catch {
    return 0;
  }
};
/** Waits for a file in `dir` not in `before` whose name ends with `suffix` and whose size stopped changing. */
async function newFile(dir: string, before: Set<string>, suffix: string): Promise<string | null> {
  const deadline = Date.now() + 60_000;
  let last = -1;
  while (Date.now() < deadline) {
    const name = readdirSync(dir).find((n) => !before.has(n) && n.endsWith(suffix));
    const size = name ? statSync(path.join(dir, name)).size : -1;
    if (name && size > 0 && size === last) return path.join(dir, name);
    last = size;
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  return null;
}

/**
 * The process's JS heap in use after a full garbage collection, through Node's own diagnostics (given in
 * NODE_OPTIONS): a heap snapshot on SIGURG collects garbage first (the snapshot is then thrown away),
 * and the diagnostic report on SIGUSR2 says how much of V8's heap is in use. What of the process's memory
 * is not V8's is mostly SQLite's page cache (up to 16 MB with better-sqlite3's build), Node and the code.
 */
async function jsHeapAfterGcMb(pid: number, dir: string): Promise<number> {
  const beforeSnapshot = new Set(readdirSync(dir));
  process.kill(pid, 'SIGURG');
  const snapshot = await newFile(dir, beforeSnapshot, '.heapsnapshot');
  if (snapshot) rmSync(snapshot);
  const beforeReport = new Set(readdirSync(dir));
  process.kill(pid, 'SIGUSR2');
  const report = await newFile(dir, beforeReport, '.json');
  if (!report) return Number.NaN;
  const { javascriptHeap } = JSON.parse(readFileSync(report, 'utf8')) as {
    javascriptHeap: { usedMemory: number };
  };
  return javascriptHeap.usedMemory / 1024 / 1024;
}

function logicalBytes(file: string): number {
  const db = openDb(file);
  try {
    return (
      (db.pragma('page_count', { simple: true }) as number) *
      (db.pragma('page_size', { simple: true }) as number)
    );
  } finally {
    db.close();
  }
}

export async function orchestratorMemory(
  sizes: number[],
  real: number,
  log: (line: string) => void,
): Promise<OrchestratorMemory> {
  const { work, plugins } = benchPluginFolder('gridside-memory-', 'memory', ECHO_HOST);
  const dbFile = path.join(work, 'history.db');
  const reports = path.join(work, 'reports');
  mkdirSync(reports);
  const orch = await startOrchestrator({
    plugins,
    copyPlugins: false,
    db: dbFile,
    config: {
      tokens: [
        { name: 'bench', roles: ['analyst'], token: ANALYST, rateLimitPerMinute: 1_000_000 },
        { name: 'admin', roles: ['admin'], token: ADMIN, rateLimitPerMinute: 1_000_000 },
      ],
      concurrency: 16,
      interpreters: { echo: '/bin/echo' },
      actions: { 'memory/echo-host': { sideEffects: false } },
    },
    startTimeoutMs: 300_000,
    env: {
      NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ''} --report-on-signal --report-compact --report-directory=${reports} --heapsnapshot-signal=SIGURG --diagnostic-dir=${reports}`,
    },
  });
  const pid = orch.process.pid!;
  const headers = { authorization: `Bearer ${ANALYST}`, 'content-type': 'application/json' };
  const get = async (url: string, token = ANALYST) => {
    const response = await fetch(`${orch.url}${url}`, { headers: { authorization: `Bearer ${token}` } });
    if (!response.ok) throw new Error(`${url}: ${response.status} ${await response.text()}`);
    return response.text();
  };
  let executed = 0;
  const runOnce = async () => {
    executed += 1;
    const n = executed;
    const body = JSON.stringify({
      actionId: 'memory/echo-host',
      params: {},
      context: {
        console: 'https://siem.example.com',
        kind: 'log',
        key: { value: `real-${n}`, source: 'column', confidence: 'high' },
        fields: { SHostName: `ws-${n}` },
        labels: {},
      },
    });
    const created = await fetch(`${orch.url}/api/v1/runs`, { method: 'POST', headers, body });
    if (!created.ok) throw new Error(`POST /api/v1/runs: ${created.status} ${await created.text()}`);
    const { id } = (await created.json()) as { id: string };
    const run = RunSchema.parse(JSON.parse(await get(`/api/v1/runs/${id}?wait=30`)));
    if (run.status !== 'succeeded') throw new Error(`run ${id} ended ${run.status}: ${run.reason}`);
  };
  /** `count` calls of `once`, 16 at a time (the orchestrator's concurrency). */
  const inParallel = async (count: number, once: (i: number) => Promise<void>) => {
    let next = 0;
    await Promise.all(
      Array.from({ length: 16 }, async () => {
        while (next < count) await once(next++);
      }),
    );
  };
  const serveQueries = (count: number) =>
    inParallel(count, async (i) => {
      const queries = [
        '/api/v1/runs?limit=50',
        `/api/v1/runs?rowKey=log-${(i * 7919) % 1000}&limit=50`,
        `/api/v1/runs?alarmId=alarm-${((i * 7919) % 1000) * 5}&limit=50`,
        '/api/v1/runs?status=failed&limit=50',
        '/api/v1/runs?status=pending_approval&limit=100',
      ];
      if (i % 25 === 0) await get('/metrics', ADMIN);
      else await get(queries[i % queries.length]!);
    });

  const steps: HistoryStep[] = [];
  let stored = 0;
  let seeded = 0;
  let bytesPerRealRun = Number.NaN;
  try {
    for (const [index, size] of [-1, ...sizes].entries()) {
      const toSeed = Math.max(0, size - stored - real);
      if (toSeed > 0) {
        // The orchestrator is idle: no run of its own writes meanwhile, so the audit chain stays one chain.
        const db = openDb(dbFile);
        seedRuns(db, toSeed, Date.now(), seeded);
        db.pragma('wal_checkpoint(TRUNCATE)');
        db.close();
        seeded += toSeed;
        stored += toSeed;
      }
      const before = steps.length === 0 ? logicalBytes(dbFile) : 0;
      const t = performance.now();
      await inParallel(real, runOnce);
      const runsPerSecond = real / ((performance.now() - t) / 1000);
      stored += real;
      if (steps.length === 0) bytesPerRealRun = (logicalBytes(dbFile) - before) / Math.max(1, real);
      await serveQueries(500);
      await new Promise((resolve) => setTimeout(resolve, 3_000)); // rest: timers and sockets settle
      steps.push({
        warmUp: index === 0,
        stored,
        executed,
        rssMb: procMb(pid, 'VmRSS'),
        anonMb: procMb(pid, 'RssAnon'),
        peakMb: procMb(pid, 'VmHWM'),
        jsHeapMb: await jsHeapAfterGcMb(pid, reports),
        diskBytes: fileBytes(dbFile) + fileBytes(`${dbFile}-wal`),
        runsPerSecond,
      });
      const s = steps.at(-1)!;
      log(
        `orchestrator: ${s.warmUp ? 'warm-up, ' : ''}${s.stored} stored, ${s.executed} executed: RSS ${s.rssMb.toFixed(1)} MB (anonymous ${s.anonMb.toFixed(1)}, JS heap ${s.jsHeapMb.toFixed(1)}, peak ${s.peakMb.toFixed(1)}), ${runsPerSecond.toFixed(0)} runs/s`,
      );
    }
  } finally {
    await orch.stop();
  }
  const bytesPerRun = logicalBytes(dbFile) / Math.max(1, stored);
  rmSync(work, { recursive: true, force: true });
  rmSync(orch.workDir, { recursive: true, force: true });
  return { steps, bytesPerRun, bytesPerRealRun, seeded };
}
