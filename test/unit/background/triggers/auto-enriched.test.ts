import { describe, expect, it } from 'vitest';
import type { Connector } from '../../../../src/background/connectors/connector.ts';
import { createAutoEnrichedMarks, MARKS_TTL_MS } from '../../../../src/background/triggers/auto-enriched.ts';
import type { Run } from '../../../../src/core/api.ts';
import type { Settings } from '../../../../src/core/settings.ts';
import type { TriggeredRun } from '../../../../src/core/triggers-api.ts';

/** The background's "auto-enriched" marks: one question per screen, kept briefly, never an error on scroll. */

const settings = (ids: string[]) =>
  (async () => ({
    orchestrators: ids.map((id) => ({
      id,
      kind: 'gridside',
      name: id,
      url: `https://${id}.example`,
      enabled: true,
    })),
  })) as unknown as () => Promise<Settings>;

const triggered = (over: Partial<TriggeredRun> = {}): TriggeredRun => ({
  runId: 'run-1',
  rule: 'Public IP reputation',
  actionName: 'IP Reputation',
  status: 'succeeded',
  verdict: 'malicious',
  summary: 'IPRep:score=92',
  createdAt: '2026-12-04T10:00:00.000Z',
  ...over,
});

function fakeConnector(answer: () => Record<string, TriggeredRun>, asked: string[][]): Connector {
  return {
    triggeredRuns: async (rows: { kind: string; key: string }[]) => {
      asked.push(rows.map((row) => `${row.kind}:${row.key}`));
      return { rows: answer() };
    },
    getRun: async (runId: string) => ({ id: runId }) as Run,
  } as unknown as Connector;
}

describe('auto-enriched marks', () => {
  it('asks once per screen, keeps finished answers and empty rows for a while, asks again after', async () => {
    let now = 1000;
    const asked: string[][] = [];
    const service = createAutoEnrichedMarks({
      settings: settings(['orch']),
      connector: async () => fakeConnector(() => ({ 'alarm:7': triggered() }), asked),
      now: () => now,
    });
    const rows = [
      { kind: 'alarm' as const, key: '7' },
      { kind: 'alarm' as const, key: '8' },
      { kind: 'alarm' as const, key: '7' },
    ];
    const first = await service.marks(rows);
    expect(first).toEqual({ 'alarm:7': { orchestratorId: 'orch', ...omitCreated(triggered()) } });
    expect(asked).toEqual([['alarm:7', 'alarm:8']]);
    expect(await service.marks(rows)).toEqual(first);
    expect(asked).toHaveLength(1);
    now += MARKS_TTL_MS;
    await service.marks(rows);
    expect(asked).toHaveLength(2);
  });

  it('asks again at once about a run still going', async () => {
    const asked: string[][] = [];
    let status: TriggeredRun['status'] = 'running';
    const service = createAutoEnrichedMarks({
      settings: settings(['orch']),
      connector: async () =>
        fakeConnector(() => ({ 'alarm:7': triggered({ status, verdict: null }) }), asked),
    });
    const row = [{ kind: 'alarm' as const, key: '7' }];
    expect((await service.marks(row))['alarm:7']?.status).toBe('running');
    status = 'succeeded';
    expect((await service.marks(row))['alarm:7']?.status).toBe('succeeded');
    expect(asked).toHaveLength(2);
  });

  it('draws what the orchestrators that answer know, quietly without the others, the newer run winning', async () => {
    const service = createAutoEnrichedMarks({
      settings: settings(['down', 'old', 'new']),
      connector: async (id) => {
        if (id === 'down') throw new Error('unreachable');
        const when = id === 'new' ? '2026-12-04T11:00:00.000Z' : '2026-12-04T09:00:00.000Z';
        return fakeConnector(() => ({ 'alarm:7': triggered({ runId: `run-${id}`, createdAt: when }) }), []);
      },
    });
    const marks = await service.marks([{ kind: 'alarm', key: '7' }]);
    expect(marks['alarm:7']).toMatchObject({ orchestratorId: 'new', runId: 'run-new' });
  });

  it("opens a row's triggered run by the row, and refuses a row no trigger enriched", async () => {
    const service = createAutoEnrichedMarks({
      settings: settings(['orch']),
      connector: async () => fakeConnector(() => ({ 'alarm:7': triggered({ runId: 'run-77' }) }), []),
    });
    expect((await service.run({ kind: 'alarm', key: '7' })).id).toBe('run-77');
    await expect(service.run({ kind: 'log', key: '7' })).rejects.toThrow('No trigger has enriched this row');
  });
});

function omitCreated({ createdAt: _createdAt, ...rest }: TriggeredRun) {
  return rest;
}
