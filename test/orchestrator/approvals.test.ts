import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiErrorSchema, RunSchema, runSignature } from '../../src/core/api.ts';
import { type OrchestratorHandle, startOrchestrator } from '../support/orchestrator-process.ts';
import { baseConfig, client, PLUGINS, rowContext, sleeperPids, TOKENS } from './setup.ts';

/** Approval policies: who may decide, in what order, and what a decision does to the run. */

let orch: OrchestratorHandle;
beforeAll(async () => {
  // One plugin process at a time, so the queue test below can watch a run wait for the slot.
  orch = await startOrchestrator({ plugins: PLUGINS, config: baseConfig({ concurrency: 1 }) });
});
afterAll(async () => {
  expect(await orch.stop()).toBe(0);
  orch.cleanup();
});

const request = async (actionId: string, fields: Record<string, string>) => {
  const answer = await client(orch, TOKENS.alice).post('/api/v1/runs', {
    actionId,
    params: {},
    context: rowContext(fields),
  });
  expect(answer.status).toBe(201);
  return RunSchema.parse(answer.body);
};

describe('approvals', () => {
  it('holds a side-effect run until an approver approves, then runs it', async () => {
    const run = await request('test-echo/disable-account', { Login: 'jdoe' });
    expect(run.status).toBe('pending_approval');
    expect(run.approvals).toEqual([{ level: 1, status: 'pending', by: null, at: null, comment: null }]);
    expect(run.output).toBeNull();

    const approved = await client(orch, TOKENS.bob).post(`/api/v1/runs/${run.id}/approvals`, {
      decision: 'approve',
      comment: 'confirmed with HR',
    });
    expect(approved.status).toBe(200);
    const done = RunSchema.parse(
      (await client(orch, TOKENS.alice).get(`/api/v1/runs/${run.id}?wait=20`)).body,
    );
    expect(done.status).toBe('succeeded');
    expect(done.approvals).toMatchObject([
      { level: 1, status: 'approved', by: 'bob', comment: 'confirmed with HR' },
    ]);
    expect((done.output!.data as { argv: string[] }).argv).toEqual(['--disable', 'jdoe']);
  });

  it('ends the run as denied, with the comment, when an approver denies it', async () => {
    const run = await request('test-echo/disable-account', { Login: 'ceo' });
    const denied = await client(orch, TOKENS.bob).post(`/api/v1/runs/${run.id}/approvals`, {
      decision: 'deny',
      comment: 'not without a ticket',
    });
    const body = RunSchema.parse(denied.body);
    expect(body.status).toBe('denied');
    expect(body.reason).toContain('not without a ticket');
    expect(body.approvals).toMatchObject([{ status: 'denied', by: 'bob', comment: 'not without a ticket' }]);
    expect(body.output).toBeNull();
    // A decided run takes no more decisions.
    const late = await client(orch, TOKENS.carol).post(`/api/v1/runs/${run.id}/approvals`, {
      decision: 'approve',
    });
    expect(late.status).toBe(409);
  });

  it('refuses self-approval and approvers without an approver role', async () => {
    // Dave (admin) requests: admins may approve, but not their own run.
    const answer = await client(orch, TOKENS.dave).post('/api/v1/runs', {
      actionId: 'test-echo/disable-account',
      params: {},
      context: rowContext({ Login: 'mallory' }),
    });
    const run = RunSchema.parse(answer.body);
    const self = await client(orch, TOKENS.dave).post(`/api/v1/runs/${run.id}/approvals`, {
      decision: 'approve',
    });
    expect(self.status).toBe(403);
    expect(ApiErrorSchema.parse(self.body).error.message).toContain('own run');
    const analyst = await client(orch, TOKENS.alice).post(`/api/v1/runs/${run.id}/approvals`, {
      decision: 'approve',
    });
    expect(analyst.status).toBe(403);
    expect(
      RunSchema.parse((await client(orch, TOKENS.alice).get(`/api/v1/runs/${run.id}`)).body).status,
    ).toBe('pending_approval');
  });

  it('needs two different approvers for a two-level policy, level by level', async () => {
    const run = await request('test-echo/quarantine-host', { DHostName: 'ws-13' });
    expect(run.approvals.map((a) => [a.level, a.status])).toEqual([
      [1, 'pending'],
      [2, 'pending'],
    ]);
    const first = RunSchema.parse(
      (await client(orch, TOKENS.bob).post(`/api/v1/runs/${run.id}/approvals`, { decision: 'approve' })).body,
    );
    expect(first.status).toBe('pending_approval');
    expect(first.approvals.map((a) => [a.level, a.status, a.by])).toEqual([
      [1, 'approved', 'bob'],
      [2, 'pending', null],
    ]);
    const again = await client(orch, TOKENS.bob).post(`/api/v1/runs/${run.id}/approvals`, {
      decision: 'approve',
    });
    expect(again.status).toBe(403);
    await client(orch, TOKENS.carol).post(`/api/v1/runs/${run.id}/approvals`, { decision: 'approve' });
    const done = RunSchema.parse(
      (await client(orch, TOKENS.alice).get(`/api/v1/runs/${run.id}?wait=20`)).body,
    );
    expect(done.status).toBe('succeeded');
    expect(done.approvals.map((a) => [a.level, a.by])).toEqual([
      [1, 'bob'],
      [2, 'carol'],
    ]);
  });

  it('answers a watcher as soon as one approval level changes, not only when the run ends', async () => {
    const run = await request('test-echo/quarantine-host', { DHostName: 'ws-14' });
    // Held for up to 60 s unless the run changes; the test's own timeout (20 s) fails it if nothing wakes it.
    const watching = client(orch, TOKENS.alice).get(
      `/api/v1/runs/${run.id}?wait=60&seen=${encodeURIComponent(runSignature(run))}`,
    );
    await client(orch, TOKENS.bob).post(`/api/v1/runs/${run.id}/approvals`, { decision: 'approve' });
    const seen = RunSchema.parse((await watching).body);
    expect(seen.status).toBe('pending_approval');
    expect(seen.approvals.map((a) => [a.level, a.status])).toEqual([
      [1, 'approved'],
      [2, 'pending'],
    ]);
    // A watcher that saw an older state is answered at once.
    const stale = await client(orch, TOKENS.alice).get(
      `/api/v1/runs/${run.id}?wait=60&seen=${encodeURIComponent(runSignature(run))}`,
    );
    expect(RunSchema.parse(stale.body).approvals[0]!.status).toBe('approved');
    await client(orch, TOKENS.alice).post(`/api/v1/runs/${run.id}/cancel`, {});
  });

  it('lets the requester cancel a run still waiting for approval', async () => {
    const run = await request('test-echo/disable-account', { Login: 'temp' });
    const canceled = RunSchema.parse(
      (await client(orch, TOKENS.alice).post(`/api/v1/runs/${run.id}/cancel`)).body,
    );
    expect(canceled.status).toBe('canceled');
    const approve = await client(orch, TOKENS.bob).post(`/api/v1/runs/${run.id}/approvals`, {
      decision: 'approve',
    });
    expect(approve.status).toBe(409);
  });

  it('refuses a run of an action the caller’s roles may not run', async () => {
    const answer = await client(orch, TOKENS.bob).post('/api/v1/runs', {
      actionId: 'test-echo/disable-account',
      params: {},
      context: rowContext({ Login: 'x' }),
    });
    expect(answer.status).toBe(403);
    expect(ApiErrorSchema.parse(answer.body).error.code).toBe('forbidden');
  });

  it('queues runs beyond the concurrency limit and starts them when a slot frees', async () => {
    const api = client(orch, TOKENS.alice);
    const slow = await api.post('/api/v1/runs', {
      actionId: 'test-sleeper/sleep-with-helper',
      params: {},
      context: rowContext({}),
    });
    const quick = await api.post('/api/v1/runs', {
      actionId: 'test-echo/echo-row',
      params: {},
      context: rowContext({}),
    });
    expect(RunSchema.parse(quick.body).status).toBe('queued');
    const quickDone = RunSchema.parse((await api.get(`/api/v1/runs/${quick.body.id}?wait=30`)).body);
    const slowDone = RunSchema.parse((await api.get(`/api/v1/runs/${slow.body.id}?wait=30`)).body);
    expect(slowDone.status).toBe('timed_out');
    await sleeperPids(slowDone.id); // tidy the pid file the sleeper leaves in the temp folder
    expect(quickDone.status).toBe('succeeded');
    // The quick run only started once the slow one had ended.
    expect(Date.parse(quickDone.timing.startedAt!)).toBeGreaterThanOrEqual(
      Date.parse(slowDone.timing.finishedAt!),
    );
  });
});
