/**
 * Prints how long the generator takes (median of 5 runs after a warm-up):
 *   npx tsx demo/generator/bench.ts [count]
 */
import { generateAlarms, generateLogs } from './index.ts';

const count = Number(process.argv[2] ?? 50_000);
const time = (label: string, run: () => unknown): void => {
  run();
  const runs: number[] = [];
  for (let i = 0; i < 5; i++) {
    const start = performance.now();
    run();
    runs.push(performance.now() - start);
  }
  runs.sort((a, b) => a - b);
  console.log(`${label}: median ${runs[2]?.toFixed(1)} ms, min ${runs[0]?.toFixed(1)} ms`);
};
time(`generateLogs ${count}`, () => generateLogs({ seed: 1, count }));
time(`generateAlarms ${Math.round(count / 10)}`, () =>
  generateAlarms({ seed: 1, count: Math.round(count / 10) }),
);
