import { describe, expect, it } from 'vitest';
import { RunListSchema, RunSchema, StartRunsAnswerSchema } from '../../src/core/api.ts';
import { client, orchestratorForFile, rowContext, sleeperPids, TOKENS } from './setup.ts';
import { auditTrail } from './trigger-setup.ts';

/**
 * Starts with an idempotency key, against a real orchestrator process: a start sent again (its answer lost
 * on the way, or resent by the browser by itself) is answered with the run it started, never a second one.
 */

const orch = orchestratorForFile();

const disable = (login: string, idempotencyKey: string) => ({
  actionId: 'test-echo/disable-account',
  params: {},
  context: rowContext({ Login: login, AlarmId: `disable-${login}` }),
  idempotencyKey,
});

const echo = (ip: string, idempotencyKey: string) => ({
  actionId: 'test-echo/echo-row',
  params: {},
  context: rowContext({ SIP: ip, AlarmId: ip }),
  idempotencyKey,
});

/** The runs the orchestrator holds for an alarm's row. */
async function runsOfRow(rowKey: string) {
  const answer = await client(orch(), TOKENS.dave).get(`/api/v1/runs?rowKey=${encodeURIComponent(rowKey)}`);
  return RunListSchema.parse(answer.body).runs;
}

describe('a start sent again with its idempotency key', () => {
  it('is answered with the run the first one started, never a second run waiting for approval', async () => {
    const api = client(orch(), TOKENS.alice);
    const first = await api.post('/api/v1/runs', disable('jdoe', 'job-1a2b3c'));
    const again = await api.post('/api/v1/runs', disable('jdoe', 'job-1a2b3c'));
    expect(first.status).toBe(201);
    expect(again.status).toBe(201);
    const run = RunSchema.parse(first.body);
    expect(run.status).toBe('pending_approval');
    expect(run.idempotencyKey).toBe('job-1a2b3c');
    expect(RunSchema.parse(again.body)).toEqual(run);
    expect((await runsOfRow('alarm-disable-jdoe')).map((r) => r.id)).toEqual([run.id]);
    const requested = auditTrail(orch()).filter(
      (row) => row.event === 'run.requested' && row.run_id === run.id,
    );
    expect(requested).toHaveLength(1);
  });

  it('is answered once with the run when both arrive at the same moment', async () => {
    const api = client(orch(), TOKENS.alice);
    const answers = await Promise.all(
      Array.from({ length: 4 }, () => api.post('/api/v1/runs', disable('twice', 'job-at-once'))),
    );
    expect(answers.map((answer) => answer.status)).toEqual([201, 201, 201, 201]);
    const ids = new Set(answers.map((answer) => RunSchema.parse(answer.body).id));
    expect(ids.size).toBe(1);
    expect(await runsOfRow('alarm-disable-twice')).toHaveLength(1);
  });

  it('holds its answer until the run ends when it asks to wait, as a new start does', async () => {
    const api = client(orch(), TOKENS.alice);
    const start = {
      actionId: 'test-sleeper/sleep-with-helper',
      params: { seconds: '1' },
      context: rowContext({ AlarmId: 'sleep-again' }),
      idempotencyKey: 'job-sleeps',
    };
    const first = RunSchema.parse((await api.post('/api/v1/runs', start)).body);
    expect(first.status).toBe('running');
    const again = await api.post('/api/v1/runs', { ...start, wait: 5 });
    expect(again.status).toBe(201);
    const ended = RunSchema.parse(again.body);
    expect(ended.id).toBe(first.id);
    expect(ended.status).toBe('succeeded');
    expect(ended.output?.stdout).toContain('slept');
    await sleeperPids(first.id);
    // Once ended, a repeat is answered at once with the run as it ended.
    const late = RunSchema.parse((await api.post('/api/v1/runs', { ...start, wait: 5 })).body);
    expect(late).toEqual(ended);
  });

  it('is answered with the runs already started in a many-runs start, a new key starting its own', async () => {
    const api = client(orch(), TOKENS.alice);
    const first = StartRunsAnswerSchema.parse(
      (
        await api.post('/api/v1/runs/many', {
          runs: [echo('10.8.0.1', 'batch-row-1'), echo('10.8.0.2', 'batch-row-2')],
        })
      ).body,
    );
    const again = await api.post('/api/v1/runs/many', {
      runs: [
        echo('10.8.0.1', 'batch-row-1'),
        echo('10.8.0.2', 'batch-row-2'),
        echo('10.8.0.3', 'batch-row-3'),
      ],
    });
    expect(again.status).toBe(200);
    const ids = (answer: typeof first) =>
      answer.results.map((result) => ('run' in result ? result.run.id : null));
    const [one, two, three] = ids(StartRunsAnswerSchema.parse(again.body));
    expect([one, two]).toEqual(ids(first));
    expect(three).toEqual(expect.any(String));
    expect(three).not.toBe(one);
    expect(await runsOfRow('alarm-10.8.0.1')).toHaveLength(1);
    expect(await runsOfRow('alarm-10.8.0.2')).toHaveLength(1);
    // A key is one start whichever route carries it.
    const alone = await api.post('/api/v1/runs', echo('10.8.0.1', 'batch-row-1'));
    expect(RunSchema.parse(alone.body).id).toBe(one);
  });
});

describe('a key used for another start', () => {
  it('is refused with other values, another action or another row, and starts nothing', async () => {
    const api = client(orch(), TOKENS.alice);
    const run = RunSchema.parse((await api.post('/api/v1/runs', disable('kim', 'job-kim'))).body);
    const otherValues = await api.post('/api/v1/runs', {
      ...disable('kim', 'job-kim'),
      params: { account: 'someone-else' },
    });
    expect(otherValues.status).toBe(409);
    expect(otherValues.body.error).toMatchObject({ code: 'conflict', field: 'idempotencyKey' });
    expect(otherValues.body.error.message).toContain(run.id);
    const otherAction = await api.post('/api/v1/runs', {
      ...disable('kim', 'job-kim'),
      actionId: 'test-echo/echo-row',
    });
    expect(otherAction.status).toBe(409);
    const otherRow = await api.post('/api/v1/runs', disable('lee', 'job-kim'));
    expect(otherRow.status).toBe(409);
    const many = StartRunsAnswerSchema.parse(
      (await api.post('/api/v1/runs/many', { runs: [{ ...echo('10.8.1.1', 'job-kim') }] })).body,
    );
    expect(many.results).toEqual([
      { status: 409, error: expect.objectContaining({ field: 'idempotencyKey' }) },
    ]);
    expect((await runsOfRow('alarm-disable-kim')).map((r) => r.id)).toEqual([run.id]);
    expect(await runsOfRow('alarm-disable-lee')).toEqual([]);
    expect(await runsOfRow('alarm-10.8.1.1')).toEqual([]);
  });

  it("is another key for another caller: each token's keys are its own", async () => {
    const alice = RunSchema.parse(
      (await client(orch(), TOKENS.alice).post('/api/v1/runs', disable('pat', 'job-shared'))).body,
    );
    const dave = RunSchema.parse(
      (await client(orch(), TOKENS.dave).post('/api/v1/runs', disable('pat', 'job-shared'))).body,
    );
    expect(dave.id).not.toBe(alice.id);
    expect([alice.requestedBy, dave.requestedBy]).toEqual(['alice', 'dave']);
    // And the other caller's run under that key is not handed to someone using the key with other values.
    const other = await client(orch(), TOKENS.dave).post('/api/v1/runs', disable('ray', 'job-shared'));
    expect(other.status).toBe(409);
    expect(other.text).not.toContain(alice.id);
  });

  it('is refused when malformed: too long, or with characters a key may not have', async () => {
    const api = client(orch(), TOKENS.alice);
    for (const key of ['', 'x'.repeat(201), 'job 1', 'job/1', 'jöb']) {
      const answer = await api.post('/api/v1/runs', disable('bad-key', key));
      expect(answer.status, key).toBe(400);
      expect(answer.body.error.field).toBe('idempotencyKey');
    }
    const many = await api.post('/api/v1/runs/many', { runs: [echo('10.8.2.1', 'job?1')] });
    expect(many.status).toBe(400);
    expect(many.body.error.field).toBe('runs.0.idempotencyKey');
    expect(await runsOfRow('alarm-disable-bad-key')).toEqual([]);
  });

  it('leaves a start without a key as it was: each one a run of its own', async () => {
    const api = client(orch(), TOKENS.alice);
    const { idempotencyKey: _none, ...start } = echo('10.8.3.1', 'unused');
    const first = RunSchema.parse((await api.post('/api/v1/runs', start)).body);
    const second = RunSchema.parse((await api.post('/api/v1/runs', start)).body);
    expect(second.id).not.toBe(first.id);
    expect(first.idempotencyKey).toBeUndefined();
  });
});
