/**
 * bench:history — how the run history behaves with 10,000 runs: the first page, a filtered search that
 * has to look at every run, paging to the end, and a JSON/CSV export and re-import.
 *
 *   npx tsx scripts/bench-history.ts [--runs 10000]
 *
 * Runs on fake-indexeddb in Node (the same code the worker runs, not Chrome's IndexedDB, which is faster
 * for cursors): the figures compare operations with each other, they are not Chrome's absolute speed.
 */
import 'fake-indexeddb/auto';
import { openGridsideDb } from '../src/background/db.ts';
import { createExport } from '../src/background/history/export.ts';
import { createHistory } from '../src/background/history/history.ts';
import type { StoredJob } from '../src/background/jobs/job-record.ts';
import { createJobStore } from '../src/background/jobs/job-store.ts';
import { HistoryQuerySchema } from '../src/core/history.ts';
import { exitWithUsageOnHelp } from '../src/orchestrator/cli-usage.ts';

exitWithUsageOnHelp(`usage: npx tsx scripts/bench-history.ts [--runs 10000]

How the run history behaves with many runs (fake-indexeddb in Node): the first page, a filtered search,
paging to the end, and a JSON/CSV export and re-import. Prints the timings.`);

const runs = Number(process.argv[process.argv.indexOf('--runs') + 1]) || 10_000;

function job(i: number): StoredJob {
  const ip = `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`;
  const createdAt = Date.UTC(2026, 0, 1) + i * 60_000;
  return {
    id: `job-${i}`,
    orchestratorId: 'main',
    actionId: i % 3 === 0 ? 'users/lookup' : 'ip-reputation/origin-ip',
    actionName: i % 3 === 0 ? 'User lookup' : 'IP Reputation',
    params: { ip },
    context: {
      console: 'https://siem.example.com',
      kind: 'log',
      key: { value: `log-${i}`, source: 'column', confidence: 'high' },
      fields: { SIP: ip, Login: `user${i % 500}` },
      labels: { 'Origin IP': ip },
      missing: [],
      truncated: [],
    },
    runId: `run-${i}`,
    status: 'succeeded',
    run: null,
    error: null,
    createdAt,
    updatedAt: createdAt + 1500,
    cachedAt: null,
    console: 'https://siem.example.com',
    rowKey: `log-${i}`,
    open: 0,
    tab: null,
  };
}

async function timed<T>(label: string, work: () => Promise<T>): Promise<T> {
  const start = performance.now();
  const result = await work();
  console.log(`${label.padEnd(52)} ${(performance.now() - start).toFixed(1).padStart(9)} ms`);
  return result;
}

const store = createJobStore(openGridsideDb('bench-history'));
const history = createHistory(store);
const transfer = createExport({ store, history });
const q = HistoryQuerySchema.parse;

await timed(`store ${runs} runs`, async () => {
  await store.putAll(Array.from({ length: runs }, (_, i) => job(i)));
});
await timed('first page (50 newest)', () => history.search(q({}), null, 50));
await timed('rare value, one page (looks at up to 5,000 runs)', () =>
  history.search(q({ text: '10.0.0.7' }), null, 50),
);
await timed('by action, first page', () => history.search(q({ action: 'user lookup' }), null, 50));
await timed('one day by date range', () =>
  history.search(q({ from: Date.UTC(2026, 0, 3), to: Date.UTC(2026, 0, 4) }), null, 200),
);
await timed('page to the end, 200 at a time', async () => {
  let after = null;
  let pages = 0;
  do {
    after = (await history.search(q({}), after, 200)).next;
    pages++;
  } while (after);
  return pages;
});
const json = await timed('export JSON', () => transfer.exportFile('json'));
await timed('export CSV', () => transfer.exportFile('csv'));
console.log(`JSON export size: ${(json.text.length / 1024 / 1024).toFixed(1)} MB`);
const fresh = createJobStore(openGridsideDb('bench-history-import'));
const importer = createExport({ store: fresh, history: createHistory(fresh) });
const report = await timed('import into a fresh profile', () => importer.importFile(json.text));
const again = await timed('import the same file again', () => importer.importFile(json.text));
console.log(
  `import: ${report.jobs.added} added; again: ${again.jobs.added} added, ${again.jobs.alreadyPresent} present`,
);
