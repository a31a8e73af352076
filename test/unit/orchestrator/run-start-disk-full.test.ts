import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { AuditLog } from '../../../src/orchestrator/audit.ts';
import { parseConfig } from '../../../src/orchestrator/config.ts';
import { PluginRegistry } from '../../../src/orchestrator/plugins.ts';
import * as runner from '../../../src/orchestrator/runner.ts';
import { RunService } from '../../../src/orchestrator/runs.ts';
import type { Db } from '../../../src/orchestrator/sqlite.ts';
import { openDb, RunStore } from '../../../src/orchestrator/store.ts';
import { baseConfig, PLUGINS, rowContext } from '../../orchestrator/setup.ts';

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

let dir: string;
let db: Db;
let store: RunStore;
let runs: RunService;
const alice = { name: 'alice', roles: ['analyst' as const], key: 'alice', rateLimitPerMinute: 0 };

beforeEach(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'gridside-run-start-'));
  db = openDb(path.join(dir, 'orchestrator.db'));
  const audit = new AuditLog(db);
  const registry = new PluginRegistry(db, audit, path.join(dir, 'data'));
  await registry.loadDirectory(path.resolve(PLUGINS));
  store = new RunStore(db);
  runs = new RunService({ store, audit, registry, config: parseConfig(baseConfig()), env: process.env });
  vi.mocked(runner.startProcess).mockClear();
});

afterEach(async () => {
  await runs.stop();
  db.close();
  rmSync(dir, { recursive: true, force: true });
});

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
    const run = await runs.request(alice, {
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
