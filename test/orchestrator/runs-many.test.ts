import { describe, expect, it } from 'vitest';
import { RunSchema, StartRunsAnswerSchema } from '../../src/core/api.ts';
import { client, orchestratorForFile, rowContext, TOKENS } from './setup.ts';
import { auditTrail } from './trigger-setup.ts';

/**
 * `POST /api/v1/runs/many`: several starts in one request, each answered as `POST /runs` would answer it
 * on its own, against a real orchestrator process.
 */

const orch = orchestratorForFile();

const echo = (ip: string) => ({
  actionId: 'test-echo/echo-row',
  params: {},
  context: rowContext({ SIP: ip, AlarmId: ip }),
});

describe('starting several runs in one request', () => {
  it('answers each start in order as a start of its own, a refused one beside the runs that started', async () => {
    const answer = await client(orch(), TOKENS.alice).post('/api/v1/runs/many', {
      runs: [
        echo('10.9.0.1'),
        { ...echo('10.9.0.2'), actionId: 'test-echo/admin-only' },
        { ...echo('10.9.0.3'), actionId: 'no-such/action' },
        echo('10.9.0.4'),
      ],
    });
    expect(answer.status).toBe(200);
    const { results } = StartRunsAnswerSchema.parse(answer.body);
    expect(results).toHaveLength(4);
    const [first, forbidden, unknown, last] = results;
    // What POST /runs answers for each alone.
    const alone = await client(orch(), TOKENS.alice).post('/api/v1/runs', {
      ...echo('10.9.0.2'),
      actionId: 'test-echo/admin-only',
    });
    expect(forbidden).toEqual({ status: alone.status, error: alone.body.error });
    expect(forbidden).toMatchObject({ status: 403, error: { code: 'forbidden' } });
    expect(unknown).toMatchObject({ status: 404, error: { code: 'not_found', field: 'actionId' } });
    for (const [result, ip] of [
      [first, '10.9.0.1'],
      [last, '10.9.0.4'],
    ] as const) {
      const run = result && 'run' in result ? result.run : undefined;
      expect(run?.params).toMatchObject({ 'source-ip': ip });
      const stored = RunSchema.parse(
        (await client(orch(), TOKENS.alice).get(`/api/v1/runs/${run?.id}`)).body,
      );
      expect(stored.requestedBy).toBe('alice');
    }
    // The refusal is audited as the same refusal on POST /runs is.
    const refused = auditTrail(orch()).filter(
      (row) => row.event === 'request.refused' && row.outcome?.includes('/runs/many'),
    );
    expect(refused.map((row) => row.outcome)).toEqual([expect.stringMatching(/^403 POST .*Admin Only/)]);
  });

  it("counts every start against the token's rate limit", async () => {
    // ralph may make 3 requests a minute: one request with four starts spends them and is refused the fourth.
    const answer = await client(orch(), TOKENS.ralph).post('/api/v1/runs/many', {
      runs: ['10.9.1.1', '10.9.1.2', '10.9.1.3', '10.9.1.4'].map(echo),
    });
    expect(answer.status).toBe(200);
    const { results } = StartRunsAnswerSchema.parse(answer.body);
    expect(results.map((r) => ('run' in r ? 'run' : r.status))).toEqual(['run', 'run', 'run', 429]);
    const next = await client(orch(), TOKENS.ralph).post('/api/v1/runs', echo('10.9.1.5'));
    expect(next.status).toBe(429);
  });

  it('refuses a malformed start as a whole, naming it, and more than 50 starts', async () => {
    const bad = await client(orch(), TOKENS.alice).post('/api/v1/runs/many', {
      runs: [echo('10.9.2.1'), { ...echo('10.9.2.2'), context: { console: 'x' } }],
    });
    expect(bad.status).toBe(400);
    expect(bad.body.error.field).toMatch(/^runs\.1\.context/);
    const many = await client(orch(), TOKENS.alice).post('/api/v1/runs/many', {
      runs: Array.from({ length: 51 }, (_, i) => echo(`10.9.3.${i}`)),
    });
    expect(many.status).toBe(400);
    expect(many.body.error.field).toBe('runs');
  });
});
