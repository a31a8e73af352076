import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import * as runner from '../../../src/orchestrator/runner.ts';
import type { RunService } from '../../../src/orchestrator/runs.ts';
import type { RunStore } from '../../../src/orchestrator/store.ts';
import { rowContext } from '../../orchestrator/setup.ts';
import { ALICE, type InProcessRuns, inProcessRuns } from './in-process-runs.ts';

/**
 * A run whose start cannot be recorded (the orchestrator's disk is full) must not start its plugin: a
 * plugin running with its run still on record as queued would run unseen, and a restart, which queues
 * such runs again, would run it a second time. The service runs in this process over a real database and
 * the test plugins; the full disk is SQLite's own error, raised by the one write that records the start.
 */

vi.mock('../../../src/orchestrator/runner.ts', async (importOriginal) => {
  const actual = await importOriginal<typeof import('../../../src/orchestrator/runner.ts')>();
  return { ...actual, startProcess: vi.fn(actual.startProcess) };
});

let service: InProcessRuns;
let store: RunStore;
let runs: RunService;

beforeEach(async () => {
  service = await inProcessRuns('gridside-run-start-');
  ({ store, runs } = service);
  vi.mocked(runner.startProcess).mockClear();
});

afterEach(() => service.close());

function diskFullOnce(): void {
  const update = store.update.bind(store);
  let failed = false;
  vi.spyOn(store, 'update').mockImplementation((runId, patch) => {
    if (!failed && patch.status === 'running') {
      failed = true;
      throw Object.assign(new Error('database or disk is full'), { code: 'SQLITE_FULL' });
    }
    return update(runId, patch);
  });
}

describe('a run whose start cannot be recorded', () => {
  it('does not start its plugin, and starts it once when the start can be recorded', async () => {
    diskFullOnce();
    const run = await runs.request(ALICE, {
      actionId: 'test-echo/echo-row',
      params: {},
      context: rowContext({ SIP: '192.0.2.9' }),
    });
    expect(run.status).toBe('queued');
    expect(runner.startProcess).not.toHaveBeenCalled();

    await vi.waitFor(() => expect(store.get(run.id)?.status).toBe('succeeded'), { timeout: 10_000 });
    expect(runner.startProcess).toHaveBeenCalledTimes(1);
    expect(store.output(run.id)?.stdout).toContain('192.0.2.9');
  });
});
