import path from 'node:path';
import { REPO_ROOT } from '../../test/support/orchestrator-process.ts';
import { spawnLikeOrchestrator } from '../support/spawn-like-orchestrator.ts';

/**
 * The demo IP Reputation plugin spawned directly, as the orchestrator spawns it (same command and argv,
 * scrubbed environment, own process group, no shell): the plugin's own share of a run, measured in the
 * same bench run as the clicks it is compared with.
 */

const PLUGIN_DIR = path.join(REPO_ROOT, 'demo', 'plugins', 'ip-reputation');
/** The demo orchestrator config fills this encrypted parameter for the plugin. */
const DEMO_FEED_KEY = 'demo-feed-key-4f9a2c71e0';

/** Resolves with the wall time; a failed plugin rejects unless `failureIsAnOutcome` (a batch row may fail). */
export async function runPluginDirectly(ip: string, failureIsAnOutcome = false): Promise<number> {
  const started = performance.now();
  const { code, stdout } = await spawnLikeOrchestrator(
    'ip-reputation.mjs',
    ['-ip', ip, '-apikey', DEMO_FEED_KEY],
    PLUGIN_DIR,
  );
  if (code !== 0 && !failureIsAnOutcome) throw new Error(`plugin exited ${code}: ${stdout}`);
  return performance.now() - started;
}

/** Wall time of running the plugin once per IP, `concurrency` at a time (the orchestrator's limit). */
export async function runPluginBatchDirectly(ips: string[], concurrency: number): Promise<number> {
  const started = performance.now();
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < ips.length) {
        const ip = ips[next++]!;
        // Rows without a valid IP fail in the plugin, as they do through the orchestrator.
        await runPluginDirectly(ip, true);
      }
    }),
  );
  return performance.now() - started;
}
