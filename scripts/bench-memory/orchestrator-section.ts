import { readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import type { OrchestratorMemory } from './orchestrator-rss.ts';

export const ORCHESTRATOR_HEADING = '## Memory: the orchestrator as its history grows';

export const loadAverage = (): string =>
  readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');

/** Within this much of the first size's figure counts as flat: V8 sizes its heap in steps of a few MB. */
const FLAT = 1.1;

/** The docs/benchmarks.md section for `orchestratorMemory`'s figures. */
export function orchestratorSection(
  figures: OrchestratorMemory,
  run: { command: string; startedAt: string; load: string },
): string {
  const first = figures.steps.find((s) => !s.warmUp);
  const last = figures.steps.at(-1);
  const ratio = (a: number, b: number | undefined) => (b ? `${(a / b).toFixed(2)}×` : '—');
  const rows = figures.steps.map(
    (s) =>
      `| ${s.warmUp ? 'warm-up: ' : ''}${s.stored.toLocaleString('en-US')} | ${s.executed.toLocaleString('en-US')} | ${s.rssMb.toFixed(1)} MB (${ratio(s.rssMb, first?.rssMb)}) | ${s.anonMb.toFixed(1)} MB (${ratio(s.anonMb, first?.anonMb)}) | ${s.jsHeapMb.toFixed(1)} MB | ${s.peakMb.toFixed(1)} MB | ${(s.diskBytes / 1024 / 1024).toFixed(1)} MB | ${s.runsPerSecond.toFixed(0)} |`,
  );
  const flat = first && last ? last.rssMb / first.rssMb <= FLAT : false;
  // The size nearest half the last: from there the history doubles with SQLite's page cache already full.
  const half = figures.steps
    .filter((s) => !s.warmUp && s !== last)
    .sort(
      (a, b) => Math.abs(a.stored - (last?.stored ?? 0) / 2) - Math.abs(b.stored - (last?.stored ?? 0) / 2),
    )[0];
  const count = (s: { stored: number } | undefined) => s?.stored.toLocaleString('en-US') ?? '—';
  return [
    ORCHESTRATOR_HEADING,
    '',
    `Command: \`${run.command}\`. Measured ${run.startedAt} on ${availableParallelism()} cores shared with other`,
    `work (load average ${run.load}).`,
    '',
    '| figure | value | target | |',
    '|---|---|---|---|',
    `| RSS with ${count(last)} runs stored ÷ with ${count(first)} | ${ratio(last?.rssMb ?? Number.NaN, first?.rssMb)} | flat | ${flat ? 'met' : '**not met**'} (within ${FLAT}× counts as flat) |`,
    `| RSS with ${count(last)} runs stored ÷ with ${count(half)} (the history doubled) | ${ratio(last?.rssMb ?? Number.NaN, half?.rssMb)} | flat | ${last && half && last.rssMb / half.rssMb <= FLAT ? 'met' : '**not met**'} |`,
    `| JS heap after GC with ${count(last)} runs stored ÷ with ${count(first)} | ${ratio(last?.jsHeapMb ?? Number.NaN, first?.jsHeapMb)} | flat | ${last && first && last.jsHeapMb / first.jsHeapMb <= FLAT ? 'met' : '**not met**'} |`,
    `| database per stored run | ${figures.bytesPerRun.toFixed(0)} bytes | — | pages in use ÷ runs, at the end |`,
    `| database per run the orchestrator executed | ${figures.bytesPerRealRun.toFixed(0)} bytes | — | what the first block of runs added |`,
    '',
    '| runs stored | runs executed by this process | RSS (÷ first) | anonymous RSS (÷ first) | JS heap after GC | peak RSS | database and log on disk | runs per second |',
    '|---|---|---|---|---|---|---|---|',
    ...rows,
    '',
    'How it is measured: one orchestrator process (the TypeScript sources through tsx, concurrency 16),',
    'started on an empty database and kept running throughout. After a first block of runs (the warm-up:',
    'the first runs compile code and fill caches, so the ratios are to the first size after it), at each',
    'history size it executes a block of real runs through its HTTP API (`POST /api/v1/runs`, then the long',
    "poll to the run's end, 16 at a time), each a child process of a plugin whose command is `/bin/echo`",
    "(its output is about 120 bytes), then answers 500 requests (history pages: newest, a row's, an",
    "alarm's, failures; the approvals list; `/metrics`) and rests 3 s. Its memory is then read from",
    '`/proc/<pid>/status` (`VmRSS`; `RssAnon`, the heaps without mapped files, where anything kept per run',
    "would show; `VmHWM`, the peak), and after that V8's heap in use after a full garbage collection,",
    "through Node's own diagnostics (a heap snapshot on a signal collects garbage first, then the",
    'diagnostic report says what is in use). RSS is read without forcing a collection, so it moves by',
    "tens of MB with V8's garbage; anything kept per stored run would stay in the JS heap. The rest of",
    "the anonymous memory is mostly SQLite's page cache, which better-sqlite3 builds to hold up to 16 MB",
    'per connection, filled as the database grows past that.',
    ...historySource(figures),
    '',
  ].join('\n');
}

/** Where the history came from: executed by this process alone, or partly seeded between sizes. */
function historySource(figures: OrchestratorMemory): string[] {
  if (figures.seeded === 0) {
    return [
      'Nothing was seeded: every stored run was executed by this process, so each row is as much',
      'history as runs made. Memory kept per run, or per stored run, would grow by about the same step',
      'after each block.',
    ];
  }
  return [
    `Between sizes the rest of the history (${figures.seeded.toLocaleString('en-US')} runs) is written straight`,
    'into its database while it is idle (runs with their output and three chained audit records each, as',
    '`bench:orchestrator-scale` seeds them): what must not grow with the history is what the orchestrator',
    'holds for runs it has stored. Memory that grew with the history would show along the rows; memory',
    'kept per executed run would grow by about the same step after each block.',
  ];
}
