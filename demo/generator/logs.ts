/**
 * `generateLogs`: a seeded stream of Analyzer log rows, newest first. Pure and deterministic: the same
 * seed and count give the same rows on every machine; 50,000 rows take a few tens of milliseconds.
 */
import { HOSTILE_SAMPLES } from './hostile.ts';
import { blankRow, type LogRow } from './log-row.ts';
import { SCENARIOS, type ScenarioName } from './log-scenarios.ts';
import { createRandom, type Random } from './prng.ts';

export interface GenerateOptions {
  seed: number;
  count: number;
  /** Date of the newest row. Fixed by default so rows do not depend on the clock. */
  end?: string | Date;
  /** How far back the oldest row goes. */
  spanHours?: number;
}

/** The demo's "now": datasets' first/last seen dates are relative to it. */
export const DEMO_END = '2026-11-27T12:00:00.000Z';
/** Share of rows drawn as the hostile variant of their scenario (bad IP, malware hash…). */
const BAD_SHARE = 0.12;
/** Share of rows carrying a hostile value (HTML, shell metacharacters, very long text). */
const HOSTILE_SHARE = 0.004;
/** A hostile row near the top, so the demo shows one without scrolling. */
const FIRST_HOSTILE_INDEX = 7;

const scenarioWeights = Object.entries(SCENARIOS).map(
  ([name, s]) => [name as ScenarioName, s.weight] as const,
);

/** Newest-first timestamps spread over `spanHours`, with exponential gaps like real traffic. */
export function* timestamps(
  r: Random,
  count: number,
  end: string | Date,
  spanHours: number,
): Generator<string> {
  const average = (spanHours * 3_600_000) / Math.max(count, 1);
  let t = new Date(end).getTime();
  for (let i = 0; i < count; i++) {
    yield new Date(Math.floor(t)).toISOString();
    t -= -Math.log(1 - r.next()) * average;
  }
}

export function generateLogs(options: GenerateOptions): LogRow[] {
  const { seed, count } = options;
  const r = createRandom(seed);
  const firstId = 10_000_000 + (Math.abs(Math.trunc(seed)) % 900) * 100_000;
  const rows: LogRow[] = new Array(count);
  let i = 0;
  for (const stamp of timestamps(r, count, options.end ?? DEMO_END, options.spanHours ?? 24)) {
    const row = blankRow(String(firstId + count - i), stamp);
    SCENARIOS[r.weighted(scenarioWeights)].fill(r, row, stamp, r.chance(BAD_SHARE));
    // Reading a character makes V8 flatten the message's rope of template pieces in place. Kept as a rope
    // it costs ~40% more memory per row, and garbage collection is most of the time for 50,000 rows.
    row.Message.charCodeAt(0);
    if (r.chance(HOSTILE_SHARE) || i === FIRST_HOSTILE_INDEX) {
      const sample = r.pick(HOSTILE_SAMPLES);
      row[sample.field] = sample.value;
      row.Message = `${row.Message} ${sample.field}=${sample.value}`;
    }
    rows[i++] = row;
  }
  return rows;
}
