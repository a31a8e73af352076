import { describe, expect, it } from 'vitest';
import type { HistoryStep, OrchestratorMemory } from '../../../scripts/bench-memory/orchestrator-rss.ts';
import { orchestratorSection } from '../../../scripts/bench-memory/orchestrator-section.ts';

const step = (stored: number, rssMb: number, warmUp = false): HistoryStep => ({
  warmUp,
  stored,
  executed: stored,
  rssMb,
  anonMb: rssMb - 50,
  jsHeapMb: 20,
  peakMb: rssMb,
  diskBytes: stored * 1500,
  runsPerSecond: 90,
});

const run = {
  command: 'npm run bench:memory -- --part orchestrator',
  startedAt: '2026-12-06T11:43:53Z',
  load: '1 1 1',
};

const figures = (rss: number[], seeded: number): OrchestratorMemory => ({
  steps: [step(10_000, 160, true), ...rss.map((mb, i) => step(20_000 + i * 10_000, mb))],
  bytesPerRun: 1514,
  bytesPerRealRun: 1509,
  seeded,
});

describe('the orchestrator memory section', () => {
  it('says every stored run was executed when nothing was seeded', () => {
    const text = orchestratorSection(figures([240, 250, 252], 0), run);
    expect(text).toContain('Nothing was seeded');
    expect(text).not.toContain('written straight');
  });

  it('says how many runs were seeded between sizes', () => {
    const text = orchestratorSection(figures([240, 250, 252], 88_000), run);
    expect(text).toContain('the rest of the history (88,000 runs) is written straight');
    expect(text).not.toContain('Nothing was seeded');
  });

  it('calls RSS flat within 1.1× of the first size after the warm-up, and growth not met', () => {
    expect(orchestratorSection(figures([240, 250, 252], 0), run)).toMatch(
      /RSS with 40,000 runs stored ÷ with 20,000 \| 1\.05× \| flat \| met/,
    );
    expect(orchestratorSection(figures([240, 270, 300], 0), run)).toMatch(
      /RSS with 40,000 runs stored ÷ with 20,000 \| 1\.25× \| flat \| \*\*not met\*\*/,
    );
  });
});
