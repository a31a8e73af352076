/**
 * Prints how long the generator takes (median of 5 runs after a warm-up):
 *   npx tsx demo/generator/bench.ts [count]
 */
import { generateAlarms, generateLogs } from './index.ts';

const count = Number(process.argv[2] ?? 50_000);
const time = (label: string, run: () => unknown): void => {
  run();
  const runs: number[] = [];
  const cpu: number[] = [];
  for (let i = 0; i < 5; i++) {
    const start = performance.now();
    const before = process.cpuUsage();
    run();
    const used = process.cpuUsage(before);
    runs.push(performance.now() - start);
    cpu.push((used.user + used.system) / 1000);
  }
  runs.sort((a, b) => a - b);
  cpu.sort((a, b) => a - b);
  // CPU time as well as wall time: on a busy machine wall time mostly measures the neighbours.
  console.log(
    `${label}: wall median ${runs[2]?.toFixed(0)} ms (min ${runs[0]?.toFixed(0)}), cpu median ${cpu[2]?.toFixed(0)} ms`,
  );
};
time(`generateLogs ${count}`, () => generateLogs({ seed: 1, count }));
time(`generateAlarms ${Math.round(count / 10)}`, () =>
  generateAlarms({ seed: 1, count: Math.round(count / 10) }),
);
