import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { AuditLog } from '../../../src/orchestrator/audit.ts';
import { parseConfig } from '../../../src/orchestrator/config.ts';
import { PluginRegistry } from '../../../src/orchestrator/plugins.ts';
import { RunService } from '../../../src/orchestrator/runs.ts';
import { openDb, RunStore } from '../../../src/orchestrator/store.ts';
import { baseConfig, PLUGINS } from '../../orchestrator/setup.ts';

/** An analyst as the run service sees a caller. */
export const ALICE = { name: 'alice', roles: ['analyst' as const], key: 'alice', rateLimitPerMinute: 0 };

export interface InProcessRuns {
  store: RunStore;
  runs: RunService;
  close(): Promise<void>;
}

/**
 * The orchestrator's run service in this process, over a real database in a fresh folder and the test
 * plugins: for tests that replace one module (`vi.mock`) or one store call to make a fault happen.
 */
export async function inProcessRuns(prefix: string): Promise<InProcessRuns> {
  const dir = mkdtempSync(path.join(tmpdir(), prefix));
  const db = openDb(path.join(dir, 'orchestrator.db'));
  const audit = new AuditLog(db);
  const registry = new PluginRegistry(db, audit, path.join(dir, 'data'));
  await registry.loadDirectory(path.resolve(PLUGINS));
  const store = new RunStore(db);
  const runs = new RunService({
    store,
    audit,
    registry,
    config: parseConfig(baseConfig()),
    env: process.env,
  });
  return {
    store,
    runs,
    async close() {
      await runs.stop();
      db.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
