import Database from 'better-sqlite3';
import { afterAll, expect, it } from 'vitest';
import { RunSchema } from '../../src/core/api.ts';
import { verifyAuditChain } from '../../src/orchestrator/audit.ts';
import {
  type OrchestratorHandle,
  restartOrchestrator,
  startOrchestrator,
} from '../support/orchestrator-process.ts';
import { alive, baseConfig, client, PLUGINS, rowContext, sleeperPids, TOKENS, waitUntil } from './setup.ts';

/** A crash (kill -9) mid-run loses nothing: the run is failed with a reason, approvals wait on. */

const handles: OrchestratorHandle[] = [];
afterAll(async () => {
  for (const handle of handles) await handle.kill();
  handles[0]?.cleanup();
});

it('fails the interrupted run with a reason, kills its leftovers, and keeps pending approvals', async () => {
  const config = baseConfig();
  (config.actions as Record<string, unknown>)['test-sleeper/sleep-with-helper'] = { timeoutSeconds: 120 };
  const options = { plugins: PLUGINS, config };
  const first = await startOrchestrator(options);
  handles.push(first);
  const alice = client(first, TOKENS.alice);
  const pending = RunSchema.parse(
    (
      await alice.post('/api/v1/runs', {
        actionId: 'test-echo/disable-account',
        params: {},
        context: rowContext({ Login: 'jdoe' }),
      })
    ).body,
  );
  const slow = await alice.post('/api/v1/runs', {
    actionId: 'test-sleeper/sleep-with-helper',
    params: { seconds: '60' },
    context: rowContext({}),
  });
  const pids = await sleeperPids(slow.body.id);
  expect((await alice.get(`/api/v1/runs/${slow.body.id}`)).body.status).toBe('running');

  await first.kill(); // SIGKILL: no chance to clean up
  expect(alive(pids.pid)).toBe(true); // the plugin's own process group outlived the crash…

  const second = await restartOrchestrator(first, options);
  handles.push(second);
  const after = client(second, TOKENS.alice);
  const interrupted = RunSchema.parse((await after.get(`/api/v1/runs/${slow.body.id}`)).body);
  expect(interrupted.status).toBe('failed');
  expect(interrupted.reason).toBe('orchestrator restarted while the run was in progress');
  // …until the restart recognised it as this run's and killed it.
  expect(await waitUntil(() => !alive(pids.pid) && !alive(pids.helperPid))).toBe(true);

  const stillPending = RunSchema.parse((await after.get(`/api/v1/runs/${pending.id}`)).body);
  expect(stillPending.status).toBe('pending_approval');
  await client(second, TOKENS.bob).post(`/api/v1/runs/${pending.id}/approvals`, { decision: 'approve' });
  const done = RunSchema.parse((await after.get(`/api/v1/runs/${pending.id}?wait=20`)).body);
  expect(done.status).toBe('succeeded');

  expect(await second.stop()).toBe(0);
  const db = new Database(second.db, { readonly: true });
  const chain = verifyAuditChain(db);
  const events = db.prepare('SELECT event FROM audit ORDER BY seq').all() as { event: string }[];
  db.close();
  expect(chain.ok).toBe(true);
  expect(events.map((e) => e.event)).toEqual(
    expect.arrayContaining(['run.requested', 'run.started', 'run.finished', 'approval.approved']),
  );
}, 60_000); // two orchestrator start-ups and three plugin runs: slow on a busy machine, not a speed assertion
