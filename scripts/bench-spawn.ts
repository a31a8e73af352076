import { execFileSync } from 'node:child_process';
import { cpus, loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import { exitWithUsageOnHelp } from '../src/orchestrator/cli-usage.ts';
import { writeBenchmarkSection } from './support/benchmarks-doc.ts';

exitWithUsageOnHelp(`usage: npm run bench:spawn [-- --sizes 0,30,60,120 --spawns 60 --no-write]

What one child_process.spawn() call costs the process that makes it, against how much anonymous memory
that process holds (the orchestrator spawns every plugin run from its own thread). Prints a table and
writes docs/benchmarks.md "## Spawn cost" unless --no-write.`);

/**
 * `npm run bench:spawn [-- --sizes 0,30,60,120 --spawns 60 --no-write]`
 *
 * On Linux, Node spawns by forking: the kernel copies the page tables of the parent's anonymous memory
 * (file-backed mappings are not copied), and the call returns only once the child has exec'd. For each
 * size a fresh Node process touches that many MB of anonymous memory, then times `--spawns` calls of
 * `spawn('/bin/true')` (the call itself, not the child's run), one at a time. The parent's RssAnon is
 * read from /proc/self/status.
 */

const { values } = parseArgs({
  options: {
    sizes: { type: 'string', default: '0,30,60,120' },
    spawns: { type: 'string', default: '60' },
    'no-write': { type: 'boolean', default: false },
  },
});
const SIZES = values.sizes.split(',').map(Number);
const SPAWNS = Math.max(10, Number(values.spawns));

/** Runs in a fresh Node: holds `mb` MB, times the spawns, prints one JSON line. */
const MEASURE = `
const { spawn } = require('node:child_process');
const { readFileSync } = require('node:fs');
const held = [];
for (let i = 0; i < MB; i++) held.push(Buffer.alloc(1024 * 1024, 1));
(async () => {
  const times = [];
  for (let i = 0; i < SPAWNS + 5; i++) {
    const t = performance.now();
    const child = spawn('/bin/true', [], { stdio: ['ignore', 'pipe', 'pipe'] });
    const took = performance.now() - t;
    if (i >= 5) times.push(took); // the first calls load code
    await new Promise((resolve) => child.on('close', resolve));
  }
  times.sort((a, b) => a - b);
  const anon = Number(/RssAnon:\\s+(\\d+)/.exec(readFileSync('/proc/self/status', 'utf8'))[1]) / 1024;
  process.stdout.write(JSON.stringify({ anon, held: held.length, p50: times[times.length >> 1], p95: times[Math.floor(times.length * 0.95)] }));
})();
`;

interface Figure {
  anon: number;
  p50: number;
  p95: number;
}

function measure(mb: number): Figure {
  const script = MEASURE.replace('MB', String(mb)).replace(/SPAWNS/g, String(SPAWNS));
  return JSON.parse(execFileSync(process.execPath, ['-e', script], { encoding: 'utf8' })) as Figure;
}

function main(): void {
  if (process.platform !== 'linux') throw new Error('bench:spawn measures Linux fork costs');
  const load = loadavg()
    .map((n) => n.toFixed(2))
    .join(' ');
  const figures = SIZES.map((mb) => ({ mb, ...measure(mb) }));
  const first = figures[0]!;
  const section = [
    '## Spawn cost',
    '',
    `Command: \`npm run bench:spawn -- --sizes ${SIZES.join(',')} --spawns ${SPAWNS}\` · ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC · Node ${process.version} ·`,
    `${cpus().length} CPU(s), load average ${load} at the start.`,
    '',
    'One `child_process.spawn()` call, timed in the process that makes it, against the anonymous memory',
    'that process holds (a fresh Node process per row, holding that many MB in buffers). On Linux the call',
    "forks (the kernel copies the page tables of the parent's anonymous memory) and returns once the child",
    'has exec\u2019d; the thread that calls it does nothing else meanwhile.',
    '',
    `| memory held | parent's RssAnon | spawn() p50 | p95 | p50 ÷ first row |`,
    '|---|---|---|---|---|',
    ...figures.map(
      (f) =>
        `| ${f.mb} MB | ${f.anon.toFixed(0)} MB | ${f.p50.toFixed(2)} ms | ${f.p95.toFixed(2)} ms | ${(f.p50 / first.p50).toFixed(2)}× |`,
    ),
    '',
  ].join('\n');
  process.stdout.write(`${section}\n`);
  if (!values['no-write']) writeBenchmarkSection('## Spawn cost', section);
}

main();
