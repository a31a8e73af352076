import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import * as cleanup from '../../../src/orchestrator/run-cleanup.ts';
import * as runner from '../../../src/orchestrator/runner.ts';
import type { RunService } from '../../../src/orchestrator/runs.ts';
import type { RunStore } from '../../../src/orchestrator/store.ts';
import { rowContext } from '../../orchestrator/setup.ts';
import { ALICE, type InProcessRuns, inProcessRuns } from './in-process-runs.ts';

/**
 * Moving a plugin into its run's cgroup sleeps in the kernel (an RCU grace period, 5–30 ms): it must not
 * hold the orchestrator's thread, and the run's end must still find the cgroup in place to kill and
 * remove it.
 */

vi.mock('../../../src/orchestrator/run-cleanup.ts', async (importOriginal) => {
  const actual = await importOriginal<typeof import('../../../src/orchestrator/run-cleanup.ts')>();
  return {
    ...actual,
    enterRunCgroup: vi.fn(actual.enterRunCgroup),
    killRunLeftovers: vi.fn(actual.killRunLeftovers),
  };
});
vi.mock('../../../src/orchestrator/runner.ts', async (importOriginal) => {
  const actual = await importOriginal<typeof import('../../../src/orchestrator/runner.ts')>();
  return { ...actual, startProcess: vi.fn(actual.startProcess) };
});

const actualCleanup = await vi.importActual<typeof import('../../../src/orchestrator/run-cleanup.ts')>(
  '../../../src/orchestrator/run-cleanup.ts',
);

const actualRunner = await vi.importActual<typeof import('../../../src/orchestrator/runner.ts')>(
  '../../../src/orchestrator/runner.ts',
);

describe.skipIf(!actualCleanup.runCgroupsAvailable())('entering a run cgroup (root, cgroup v2)', () => {
  it("lets the orchestrator's thread go on while the kernel moves the process", async () => {
    const sleeper = spawn('sleep', ['30'], { stdio: 'ignore' });
    const runId = `cgroup-test-${process.pid}`;
    try {
      const turns: string[] = [];
      setImmediate(() => turns.push('the event loop turned'));
      const entering = actualCleanup.enterRunCgroup(runId, sleeper.pid);
      turns.push('enterRunCgroup returned');
      expect(await entering).toBe(true);
      expect(turns).toEqual(['enterRunCgroup returned', 'the event loop turned']);
      expect(readFileSync(`/proc/${sleeper.pid}/cgroup`, 'utf8')).toContain(`gridside-run-${runId}`);
    } finally {
      expect(await actualCleanup.killRunCgroup(runId)).toBe(true);
      sleeper.kill('SIGKILL');
    }
  });

  it('removes the cgroup of a plugin that ended without holding the thread', async () => {
    const plugin = spawn('sleep', ['30'], { stdio: 'ignore' });
    const runId = `cgroup-ended-${process.pid}`;
    expect(await actualCleanup.enterRunCgroup(runId, plugin.pid)).toBe(true);
    expect(readFileSync(`/proc/${plugin.pid}/cgroup`, 'utf8')).toContain(`gridside-run-${runId}`);
    // The plugin ends, leaving nothing behind in its cgroup.
    plugin.kill('SIGKILL');
    await new Promise((resolve) => plugin.once('exit', resolve));
    const turns: string[] = [];
    setImmediate(() => turns.push('the event loop turned'));
    const removing = actualCleanup.killRunCgroup(runId);
    turns.push('killRunCgroup returned');
    expect(await removing).toBe(true);
    expect(turns).toEqual(['killRunCgroup returned', 'the event loop turned']);
    // Removed: asked again, there is no cgroup left to kill.
    expect(await actualCleanup.killRunCgroup(runId)).toBe(false);
  });
});

describe("a run's end while its plugin is still being moved into its cgroup", () => {
  let service: InProcessRuns;
  let store: RunStore;
  let runs: RunService;

  beforeEach(async () => {
    service = await inProcessRuns('gridside-run-cgroup-');
    ({ store, runs } = service);
  });

  afterEach(() => service.close());

  it('waits for the move before it kills and removes what the run left', async () => {
    let moved!: (placed: boolean) => void;
    vi.mocked(cleanup.enterRunCgroup).mockImplementationOnce(
      () => new Promise<boolean>((resolve) => (moved = resolve)),
    );
    vi.mocked(cleanup.killRunLeftovers).mockClear();
    let pluginEnded: Promise<unknown> | undefined;
    vi.mocked(runner.startProcess).mockImplementationOnce((options) => {
      const started = actualRunner.startProcess(options);
      pluginEnded = started.result;
      return started;
    });

    const run = await runs.request(ALICE, {
      actionId: 'test-echo/echo-row',
      params: {},
      context: rowContext({ SIP: '192.0.2.10' }),
    });
    await vi.waitFor(() => expect(pluginEnded).toBeDefined());
    await pluginEnded;
    await vi.waitFor(() => expect(cleanup.enterRunCgroup).toHaveBeenCalledWith(run.id, expect.any(Number)));
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(cleanup.killRunLeftovers).not.toHaveBeenCalled();
    expect(store.get(run.id)?.status).toBe('running');

    moved(true);
    await vi.waitFor(() => expect(store.get(run.id)?.status).toBe('succeeded'));
    expect(cleanup.killRunLeftovers).toHaveBeenCalledTimes(1);
    expect(store.output(run.id)?.stdout).toContain('192.0.2.10');
  });
});
