import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiErrorSchema, type Run, RunListSchema, RunSchema, runSignature } from '../../src/core/api.ts';
import { PROGRESS_GATHER_MS } from '../../src/orchestrator/runs-wait.ts';
import { type OrchestratorHandle, startOrchestrator } from '../support/orchestrator-process.ts';
import { baseConfig, client, PLUGINS, rowContext, TOKENS } from './setup.ts';

/**
 * `POST /api/v1/runs/wait`: one long poll for many runs. Runs waiting for approval stay put until an
 * approver decides, so each change here happens exactly when the test makes it.
 */

let orch: OrchestratorHandle;
beforeAll(async () => {
  orch = await startOrchestrator({ plugins: PLUGINS, config: baseConfig() });
});
afterAll(async () => {
  expect(await orch.stop()).toBe(0);
  orch.cleanup();
});

const alice = () => client(orch, TOKENS.alice);

async function pendingRun(login: string, actionId = 'test-echo/disable-account') {
  const answer = await alice().post('/api/v1/runs', {
    actionId,
    params: {},
    context: rowContext({ Login: login }),
  });
  expect(answer.status).toBe(201);
  const run = RunSchema.parse(answer.body);
  expect(run.status).toBe('pending_approval');
  return run;
}

const named = (run: Run) => ({ id: run.id, seen: runSignature(run) });

async function waitOn(body: unknown, token: string = TOKENS.alice) {
  const started = Date.now();
  const answer = await client(orch, token).post('/api/v1/runs/wait', body);
  return { answer, ms: Date.now() - started };
}

describe('waiting on many runs at once', () => {
  it('answers on the first change among them, with only the run that changed', async () => {
    const [first, second, third] = await Promise.all([
      pendingRun('wait-a'),
      pendingRun('wait-b'),
      pendingRun('wait-c'),
    ]);
    const waiting = waitOn({ wait: 30, runs: [first!, second!, third!].map(named) });
    const denied = await client(orch, TOKENS.bob).post(`/api/v1/runs/${second!.id}/approvals`, {
      decision: 'deny',
      comment: 'not today',
    });
    expect(denied.status).toBe(200);
    const { answer, ms } = await waiting;
    expect(answer.status).toBe(200);
    const { runs } = RunListSchema.parse(answer.body);
    // Only the denied run: an answer given before the decision could not hold it as denied.
    expect(runs.map((run) => [run.id, run.status])).toEqual([[second!.id, 'denied']]);
    expect(ms).toBeLessThan(25_000);
    // Same shape as the single-run route.
    expect(runs[0]).toEqual(RunSchema.parse((await alice().get(`/api/v1/runs/${second!.id}`)).body));
  });

  it('answers progress alone a moment later, and with the ends that come meanwhile', async () => {
    // Two approval levels: the first approval is progress, the run still waits for the second.
    const twoLevels = await pendingRun('wait-progress', 'test-echo/quarantine-host');
    const waiting = waitOn({ wait: 30, runs: [named(twoLevels)] });
    const approve = (run: Run) =>
      client(orch, TOKENS.bob).post(`/api/v1/runs/${run.id}/approvals`, { decision: 'approve' });
    expect((await approve(twoLevels)).status).toBe(200);
    const decidedAt = Date.now();
    const { answer } = await waiting;
    const [progressed] = RunListSchema.parse(answer.body).runs;
    expect(progressed?.status).toBe('pending_approval');
    expect(progressed?.approvals.map((a) => a.status)).toContain('approved');
    // Held a moment for an end that did not come (well under the 30 s asked for).
    expect(Date.now() - decidedAt).toBeGreaterThanOrEqual(PROGRESS_GATHER_MS / 2);

    // Progress on one run, then another run's end within that moment: one answer tells both.
    const [slow, quick] = await Promise.all([
      pendingRun('wait-progress-2', 'test-echo/quarantine-host'),
      pendingRun('wait-progress-end'),
    ]);
    const both = waitOn({ wait: 30, runs: [named(slow!), named(quick!)] });
    expect((await approve(slow!)).status).toBe(200);
    const denied = await client(orch, TOKENS.bob).post(`/api/v1/runs/${quick!.id}/approvals`, {
      decision: 'deny',
    });
    expect(denied.status).toBe(200);
    const told = RunListSchema.parse((await both).answer.body).runs;
    expect(told.map((run) => [run.id, run.status]).sort()).toEqual(
      [
        [slow!.id, 'pending_approval'],
        [quick!.id, 'denied'],
      ].sort(),
    );

    // Progress, then an end, then another end within a moment of the first: the first end is held for
    // the second as any end is, not answered alone with the progress.
    const [third, first, second] = await Promise.all([
      pendingRun('wait-progress-3', 'test-echo/quarantine-host'),
      pendingRun('wait-progress-end-a'),
      pendingRun('wait-progress-end-b'),
    ]);
    const all = waitOn({ wait: 30, runs: [named(third!), named(first!), named(second!)] });
    expect((await approve(third!)).status).toBe(200);
    const deny = (run: Run) =>
      client(orch, TOKENS.bob).post(`/api/v1/runs/${run.id}/approvals`, { decision: 'deny' });
    expect((await deny(first!)).status).toBe(200);
    expect((await deny(second!)).status).toBe(200);
    const gathered = RunListSchema.parse((await all).answer.body).runs;
    expect(gathered.map((run) => [run.id, run.status]).sort()).toEqual(
      [
        [third!.id, 'pending_approval'],
        [first!.id, 'denied'],
        [second!.id, 'denied'],
      ].sort(),
    );
  });

  it("answers an end with every end that follows within a moment, and the last run's end alone", async () => {
    const [first, second, third, fourth] = await Promise.all([
      pendingRun('wait-end-a'),
      pendingRun('wait-end-b'),
      pendingRun('wait-end-c'),
      pendingRun('wait-end-d'),
    ]);
    const deny = (run: Run) =>
      client(orch, TOKENS.bob).post(`/api/v1/runs/${run.id}/approvals`, { decision: 'deny' });
    const waiting = waitOn({ wait: 30, runs: [first!, second!, third!, fourth!].map(named) });
    // Each end is asked for only once the one before is recorded: answered at the first or the second
    // end, the poll would already have gone out without the third.
    for (const run of [first!, second!, third!]) expect((await deny(run)).status).toBe(200);
    const { answer } = await waiting;
    const told = RunListSchema.parse(answer.body).runs;
    expect(told.map((run) => [run.id, run.status]).sort()).toEqual(
      [
        [first!.id, 'denied'],
        [second!.id, 'denied'],
        [third!.id, 'denied'],
      ].sort(),
    );

    // The fourth run is the last one going: its end has nothing to wait for, and comes alone.
    const ended = told.map((run) => named(run));
    const last = waitOn({ wait: 30, runs: [...ended, named(fourth!)] });
    expect((await deny(fourth!)).status).toBe(200);
    const lastAnswer = await last;
    expect(RunListSchema.parse(lastAnswer.answer.body).runs.map((run) => run.id)).toEqual([fourth!.id]);
  });

  it('holds for the wait and answers with no runs when nothing changed', async () => {
    const run = await pendingRun('wait-still');
    const { answer, ms } = await waitOn({ wait: 1, runs: [named(run)] });
    expect(answer.status).toBe(200);
    expect(RunListSchema.parse(answer.body).runs).toEqual([]);
    expect(ms).toBeGreaterThanOrEqual(900);
  });

  it('measures change against what the caller has seen', async () => {
    const pending = await pendingRun('wait-seen');
    // Seen as something else: it differs already, so the answer is at once.
    const stale = await waitOn({ wait: 30, runs: [{ id: pending.id, seen: 'queued|' }] });
    expect(RunListSchema.parse(stale.answer.body).runs.map((r) => r.id)).toEqual([pending.id]);
    expect(stale.ms).toBeLessThan(15_000);
    // Without `seen`, only its end counts: still pending, nothing to say.
    const unseen = await waitOn({ wait: 1, runs: [{ id: pending.id }] });
    expect(RunListSchema.parse(unseen.answer.body).runs).toEqual([]);

    const ended = RunSchema.parse(
      (
        await client(orch, TOKENS.bob).post(`/api/v1/runs/${pending.id}/approvals`, {
          decision: 'deny',
        })
      ).body,
    );
    expect(ended.status).toBe('denied');
    // Ended and not yet seen so: at once.
    const news = await waitOn({ wait: 30, runs: [{ id: pending.id }] });
    expect(RunListSchema.parse(news.answer.body).runs.map((r) => r.status)).toEqual(['denied']);
    // Already seen ended: it can change no more and is not waited on; the other run is.
    const other = await pendingRun('wait-other');
    const seenEnded = await waitOn({ wait: 1, runs: [named(ended), named(other)] });
    expect(RunListSchema.parse(seenEnded.answer.body).runs).toEqual([]);
    expect(seenEnded.ms).toBeGreaterThanOrEqual(900);
  });

  it('refuses unknown runs and callers the way the single-run route does', async () => {
    const run = await pendingRun('wait-refusals');
    const unknown = 'no-such-run';
    const single = await alice().get(`/api/v1/runs/${unknown}`);
    const many = await alice().post('/api/v1/runs/wait', {
      wait: 5,
      runs: [named(run), { id: unknown }],
    });
    expect(many.status).toBe(single.status);
    expect(many.status).toBe(404);
    const error = ApiErrorSchema.parse(many.body).error;
    expect(error.code).toBe(ApiErrorSchema.parse(single.body).error.code);
    expect(error.field).toBe('runs.1.id');

    // No token, or a wrong one: 401 on both.
    for (const token of [undefined, 'not-a-token-0123456789abcdef']) {
      const one = await client(orch, token).get(`/api/v1/runs/${run.id}`);
      const both = await client(orch, token).post('/api/v1/runs/wait', { runs: [named(run)] });
      expect(one.status).toBe(401);
      expect(both.status).toBe(401);
    }
    // Another user's run: readable on the single route, so waitable here too.
    const bobSingle = await client(orch, TOKENS.bob).get(`/api/v1/runs/${run.id}`);
    const bobMany = await waitOn({ wait: 0, runs: [{ id: run.id, seen: 'queued|' }] }, TOKENS.bob);
    expect(bobSingle.status).toBe(200);
    expect(bobMany.answer.status).toBe(200);
  });

  it('bounds how many runs one wait names, and how long it waits', async () => {
    const run = await pendingRun('wait-bounds');
    const bad = [
      { body: { wait: 1, runs: [] }, field: 'runs' },
      { body: { wait: 1, runs: Array.from({ length: 201 }, () => named(run)) }, field: 'runs' },
      { body: { wait: 61, runs: [named(run)] }, field: 'wait' },
      { body: { wait: 1, runs: [{ id: 'x'.repeat(201) }] }, field: 'runs.0.id' },
      { body: { wait: 1 }, field: 'runs' },
    ];
    for (const { body, field } of bad) {
      const answer = await alice().post('/api/v1/runs/wait', body);
      expect(answer.status).toBe(400);
      expect(ApiErrorSchema.parse(answer.body).error.field).toBe(field);
    }
    // 200 is allowed (a batch's most rows).
    const most = await waitOn({ wait: 0, runs: Array.from({ length: 200 }, () => named(run)) });
    expect(most.answer.status).toBe(200);
  });
});
