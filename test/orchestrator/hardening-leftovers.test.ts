import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { RunSchema } from '../../src/core/api.ts';
import { type OrchestratorHandle, startOrchestrator } from '../support/orchestrator-process.ts';
import { client, rowContext, TOKENS, waitUntil } from './setup.ts';

/** A plugin that detaches a child (new session, outside its process group) leaves nothing behind. */

let orch: OrchestratorHandle;
const strays: number[] = [];
beforeAll(async () => {
  orch = await startOrchestrator({
    plugins: 'test/fixtures/hardening-plugins',
    config: { tokens: [{ name: 'alice', roles: ['analyst'], token: TOKENS.alice }], killGraceMs: 500 },
  });
});
afterAll(async () => {
  for (const pid of strays) {
    try {
      process.kill(pid, 'SIGKILL'); // only if the test failed: do not leave it to the machine
    } catch {}
  }
  await orch.stop();
  orch.cleanup();
});

/** Running, not merely a zombie waiting for its parent to reap it. */
const running = (pid: number): boolean => {
  try {
    return !/^\d+ \(.*\) [ZX]/s.test(readFileSync(`/proc/${pid}/stat`, 'latin1'));
  } catch {
    return false;
  }
};

const detach = async (mode: string): Promise<number> => {
  const run = RunSchema.parse(
    (await client(orch, TOKENS.alice).run('test-detacher/detach-sleeper', { mode }, rowContext({}))).body,
  );
  expect(run.status).toBe('succeeded');
  const pid = JSON.parse(run.output!.stdout).sleeper as number;
  strays.push(pid);
  return pid;
};

it('kills a detached child carrying the run marker when the run ends', async () => {
  const pid = await detach('marked');
  // Killed before the run was reported finished; the wait is only for the kernel to reap it.
  expect(await waitUntil(() => !running(pid), 3000)).toBe(true);
});

const cgroups = () => /each run gets a cgroup of its own/.test(orch.output().stderr);

it.skipIf(process.platform !== 'linux')(
  'kills a detached child that dropped its environment too, where runs get cgroups (root, cgroup v2)',
  async (context) => {
    if (!cgroups()) context.skip();
    const pid = await detach('unmarked');
    expect(await waitUntil(() => !running(pid), 3000)).toBe(true);
  },
);
