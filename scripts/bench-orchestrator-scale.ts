import { readFileSync, rmSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { RunSchema } from '../src/core/api.ts';
import { AuditLog } from '../src/orchestrator/audit.ts';
import { exitWithUsageOnHelp } from '../src/orchestrator/cli-usage.ts';
import { openDb } from '../src/orchestrator/store.ts';
import { type OrchestratorHandle, startOrchestrator } from '../test/support/orchestrator-process.ts';
import { seedRowKeys, seedRuns } from './bench-orchestrator-scale/seed-runs.ts';
import { BENCH_TOKENS, benchPluginFolder, SAY_HELLO } from './support/bench-plugin.ts';
import { writeBenchmarkSection } from './support/benchmarks-doc.ts';

exitWithUsageOnHelp(`usage: npm run bench:orchestrator-scale [-- --seed 1000000 --base 1000 --requests 120 --no-write]

The orchestrator with a large history beside the same orchestrator with a small one: runs (request and
long poll), history queries, the approvals list and /metrics at concurrency 1, 4 and 16, audit appends,
start-up time, RSS and database size per run, each as a ratio to the small database. Seeds the history
straight into SQLite first. Writes docs/benchmarks.md "## Orchestrator at scale" unless --no-write.`);

const { values } = parseArgs({
  options: {
    seed: { type: 'string', default: '1000000' },
    base: { type: 'string', default: '1000' },
    requests: { type: 'string', default: '120' },
    'no-write': { type: 'boolean', default: false },
  },
});
const SEED = Number(values.seed);
const BASE = Number(values.base);
const REQUESTS = Number(values.requests);
const { analyst: ANALYST, admin: ADMIN } = BENCH_TOKENS;

const pct = (xs: number[], p: number): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))] ?? Number.NaN;
};
const loadavg = () => readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');
const rssMb = (pid: number | undefined): number => {
  const line = readFileSync(`/proc/${pid}/status`, 'utf8').match(/VmRSS:\s+(\d+)/);
  return Number(line?.[1] ?? Number.NaN) / 1024;
};

interface Series {
  latencies: number[];
  wallMs: number;
  count: number;
}
const series = (): Series => ({ latencies: [], wallMs: 0, count: 0 });

/** `count` calls of `once` by `concurrency` callers at a time; adds to `into`. */
async function measure(into: Series, count: number, concurrency: number, once: () => Promise<void>) {
  let next = 0;
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < count) {
        next += 1;
        const t = performance.now();
        await once();
        into.latencies.push(performance.now() - t);
      }
    }),
  );
  into.wallMs += performance.now() - t0;
  into.count += count;
}

/** The same work against both orchestrators, in alternating slices, so both see the same machine load. */
async function alternate(
  count: number,
  concurrency: number,
  onEmpty: () => Promise<void>,
  onFull: () => Promise<void>,
): Promise<[Series, Series]> {
  const a = series();
  const b = series();
  const slice = Math.max(concurrency * 2, 10);
  for (let done = 0; done < count; done += slice) {
    const n = Math.min(slice, count - done);
    await measure(a, n, concurrency, onEmpty);
    await measure(b, n, concurrency, onFull);
  }
  return [a, b];
}

function client(orch: OrchestratorHandle, seeded: number) {
  const keys = seedRowKeys(seeded);
  const headers = { authorization: `Bearer ${ANALYST}`, 'content-type': 'application/json' };
  const get = async (url: string, token = ANALYST) => {
    const response = await fetch(`${orch.url}${url}`, { headers: { authorization: `Bearer ${token}` } });
    if (!response.ok) throw new Error(`${url}: ${response.status} ${await response.text()}`);
    return response.text();
  };
  let n = 0;
  return {
    async run() {
      n += 1;
      const body = JSON.stringify({
        actionId: 'bench/say-hello',
        params: {},
        context: {
          console: 'https://siem.example.com',
          kind: 'log',
          key: { value: `log-${n % keys}`, source: 'column', confidence: 'high' },
          fields: { SHostName: `ws-${n}` },
          labels: {},
        },
      });
      const created = await fetch(`${orch.url}/api/v1/runs`, { method: 'POST', headers, body });
      const { id } = (await created.json()) as { id: string };
      const run = RunSchema.parse(JSON.parse(await get(`/api/v1/runs/${id}?wait=30`)));
      if (run.status !== 'succeeded') throw new Error(`run ${id} ended ${run.status}: ${run.reason}`);
    },
    /** The history an analyst or the panel asks for, in turn: newest runs, a row's, an alarm's, failures. */
    async history() {
      n += 1;
      const queries = [
        '/api/v1/runs?limit=50',
        `/api/v1/runs?rowKey=log-${(n * 7919) % keys}&limit=50`,
        `/api/v1/runs?alarmId=alarm-${((n * 7919) % keys) * 5}&limit=50`,
        '/api/v1/runs?status=failed&limit=50',
      ];
      await get(queries[n % queries.length]!);
    },
    approvals: () => get('/api/v1/runs?status=pending_approval&limit=100').then(() => {}),
    metrics: () => get('/metrics', ADMIN).then(() => {}),
  };
}

/** Logical size of a database (pages in use), after the orchestrator stopped. */
function dbBytes(file: string): number {
  const db = openDb(file);
  const pages = db.pragma('page_count', { simple: true }) as number;
  const size = db.pragma('page_size', { simple: true }) as number;
  db.close();
  return pages * size;
}

/** Audit appends straight into each database, alternating, as the orchestrator appends them. */
function auditAppends(files: [string, string], count: number): [number[], number[]] {
  const logs = files.map((file) => ({ db: openDb(file), times: [] as number[] }));
  for (let done = 0; done < count; done += 100) {
    for (const log of logs) {
      const audit = new AuditLog(log.db);
      for (let i = 0; i < 100; i += 1) {
        const t = performance.now();
        audit.append({ actor: 'bench', event: 'run.requested', runId: `r-${done + i}`, outcome: 'queued' });
        log.times.push(performance.now() - t);
      }
    }
  }
  for (const log of logs) log.db.close();
  return [logs[0]!.times, logs[1]!.times];
}

async function main(): Promise<void> {
  const loadBefore = loadavg();
  const { work, plugins } = benchPluginFolder('gridside-scale-', 'bench', SAY_HELLO);
  const emptyFile = path.join(work, 'empty.db');
  const fullFile = path.join(work, 'full.db');
  const base = openDb(emptyFile);
  seedRuns(base, BASE);
  base.pragma('wal_checkpoint(TRUNCATE)');
  base.close();
  const seeding = openDb(fullFile);
  const seeded = seedRuns(seeding, SEED);
  seeding.pragma('wal_checkpoint(TRUNCATE)');
  seeding.close();
  const baseBytes = dbBytes(emptyFile);
  const seededBytes = dbBytes(fullFile) - baseBytes;
  console.error(
    `scale: seeded ${SEED} runs in ${(seeded.ms / 1000).toFixed(1)} s (${(seededBytes / SEED).toFixed(0)} bytes per run)`,
  );

  const config = {
    tokens: [
      { name: 'bench', roles: ['analyst'], token: ANALYST, rateLimitPerMinute: 1_000_000 },
      { name: 'admin', roles: ['admin'], token: ADMIN, rateLimitPerMinute: 1_000_000 },
    ],
    concurrency: 16,
    actions: { 'bench/say-hello': { sideEffects: false, cacheTtlSeconds: 60 } },
  };
  const start = async (db: string) => {
    const t = performance.now();
    const orch = await startOrchestrator({
      plugins,
      copyPlugins: false,
      db,
      config,
      startTimeoutMs: 600_000,
    });
    return { orch, startMs: performance.now() - t };
  };
  const empty = await start(emptyFile);
  const full = await start(fullFile);
  const rows: string[] = [];
  const ratio = (a: number, b: number) => `${(b / a).toFixed(2)}×`;
  const line = (what: string, c: number, [a, b]: [Series, Series]) => {
    const rate = (s: Series) => (s.count / s.wallMs) * 1000;
    rows.push(
      `| ${what} | ${c} | ${rate(a).toFixed(0)} / ${rate(b).toFixed(0)} (${ratio(rate(a), rate(b))}) | ${pct(a.latencies, 50).toFixed(1)} / ${pct(b.latencies, 50).toFixed(1)} (${ratio(pct(a.latencies, 50), pct(b.latencies, 50))}) | ${pct(a.latencies, 95).toFixed(1)} / ${pct(b.latencies, 95).toFixed(1)} (${ratio(pct(a.latencies, 95), pct(b.latencies, 95))}) |`,
    );
    console.error(`scale: ${rows.at(-1)}`);
  };
  let rss: { before: [number, number]; after: [number, number] };
  let realRuns = 0;
  try {
    const e = client(empty.orch, BASE);
    const f = client(full.orch, SEED);
    await e.run();
    await f.run();
    rss = { before: [rssMb(empty.orch.process.pid), rssMb(full.orch.process.pid)], after: [0, 0] };
    for (const c of [1, 4, 16]) {
      line('run (POST, then long poll to its end)', c, await alternate(REQUESTS, c, e.run, f.run));
      realRuns += REQUESTS;
      line(
        'history query (newest, a row, an alarm, failures)',
        c,
        await alternate(REQUESTS, c, e.history, f.history),
      );
      line('approvals list', c, await alternate(REQUESTS, c, e.approvals, f.approvals));
    }
    line('/metrics', 1, await alternate(20, 1, e.metrics, f.metrics));
    rss.after = [rssMb(empty.orch.process.pid), rssMb(full.orch.process.pid)];
  } finally {
    await empty.orch.stop();
    await full.orch.stop();
  }
  const perRealRun = (dbBytes(emptyFile) - baseBytes) / (realRuns + 2);
  const [auditEmpty, auditFull] = auditAppends([emptyFile, fullFile], 2000);
  const loadAfter = loadavg();
  rmSync(work, { recursive: true, force: true });
  rmSync(empty.orch.workDir, { recursive: true, force: true });
  rmSync(full.orch.workDir, { recursive: true, force: true });

  const date = new Date().toISOString().replace(/\.\d+Z$/, 'Z');
  const text = [
    '## Orchestrator at scale',
    '',
    `Command: \`npm run bench:orchestrator-scale -- --seed ${SEED} --base ${BASE} --requests ${REQUESTS}\`. Measured ${date} on`,
    `${availableParallelism()} cores shared with other work (load average ${loadBefore} at the start, ${loadAfter} at the end).`,
    `Two orchestrators side by side (concurrency 16, the same trivial Node action as "Orchestrator" above): a`,
    `small database of ${BASE.toLocaleString('en-US')} runs and a full one of ${SEED.toLocaleString('en-US')}, seeded straight into SQLite (runs, outputs, three chained`,
    `audit records each; the full one in ${(seeded.ms / 1000).toFixed(0)} s). Both hold the same 100 runs waiting for approval and five runs`,
    'per row key, so every query returns as many rows on either: only the history behind them differs. Every',
    'series runs against both in alternating slices, so both see the same machine load; each cell reads',
    'small / full (full ÷ small).',
    '',
    '| request | callers at once | per second | p50 ms | p95 ms |',
    '|---|---|---|---|---|',
    ...rows,
    `| audit append (in process, ${auditEmpty.length}) | 1 | — | ${pct(auditEmpty, 50).toFixed(3)} / ${pct(auditFull, 50).toFixed(3)} (${ratio(pct(auditEmpty, 50), pct(auditFull, 50))}) | ${pct(auditEmpty, 95).toFixed(3)} / ${pct(auditFull, 95).toFixed(3)} (${ratio(pct(auditEmpty, 95), pct(auditFull, 95))}) |`,
    '',
    `Start-up to listening: ${(empty.startMs / 1000).toFixed(1)} s small, ${(full.startMs / 1000).toFixed(1)} s full. RSS after the first run:`,
    `${rss.before[0].toFixed(0)} MB small, ${rss.before[1].toFixed(0)} MB full; after every series above (${realRuns + 2} runs each):`,
    `${rss.after[0].toFixed(0)} MB small, ${rss.after[1].toFixed(0)} MB full. Database size per run: ${(seededBytes / SEED).toFixed(0)} bytes`,
    `seeded (run, output of about 200 bytes, three audit records, indexes), ${perRealRun.toFixed(0)} bytes per real run of the`,
    'bench action (what the small database grew by, over the runs it made).',
    '',
  ].join('\n');
  process.stdout.write(`${text}\n`);
  if (!values['no-write']) writeBenchmarkSection('## Orchestrator at scale', text);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
