import path from 'node:path';
import { REPO_ROOT } from '../../test/support/orchestrator-process.ts';
import { spawnLikeOrchestrator } from '../support/spawn-like-orchestrator.ts';

/**
 * A plugin the bench times spawned directly, as the orchestrator spawns it (same command and argv,
 * scrubbed environment, own process group, no shell): the plugin's own share of a run, measured in the
 * same bench run as the clicks it is compared with.
 */

/** The demo orchestrator config fills this encrypted parameter for the IP Reputation plugin. */
const DEMO_FEED_KEY = 'demo-feed-key-4f9a2c71e0';

const DIRECT = {
  /** The demo's IP Reputation: a lookup in a list beside it, so its run is Node's start-up and a parse. */
  'ip-reputation': {
    dir: path.join(REPO_ROOT, 'demo', 'plugins', 'ip-reputation'),
    script: 'ip-reputation.mjs',
    args: (ip: string) => ['-ip', ip, '-apikey', DEMO_FEED_KEY],
  },
  /** The bench's lookup that waits as a remote feed would (waiting-lookup/). */
  'waiting-lookup': {
    dir: path.join(REPO_ROOT, 'scripts', 'bench-verdict', 'waiting-lookup'),
    script: 'waiting-lookup.mjs',
    args: (ip: string) => ['-ip', ip],
  },
};

export type DirectPlugin = keyof typeof DIRECT;
export const WAITING_LOOKUP_DIR = DIRECT['waiting-lookup'].dir;

/** Resolves with the wall time; a failed plugin rejects unless `failureIsAnOutcome` (a batch row may fail). */
export async function runPluginDirectly(
  ip: string,
  failureIsAnOutcome = false,
  plugin: DirectPlugin = 'ip-reputation',
): Promise<number> {
  const { dir, script, args } = DIRECT[plugin];
  const started = performance.now();
  const { code, stdout } = await spawnLikeOrchestrator(script, args(ip), dir);
  if (code !== 0 && !failureIsAnOutcome) throw new Error(`plugin exited ${code}: ${stdout}`);
  return performance.now() - started;
}

/** A batch run directly: its wall time, and each run's. */
export interface DirectBatch {
  ms: number;
  runs: number[];
}

/** Running the plugin once per IP, `concurrency` at a time (the orchestrator's limit). */
export async function runPluginBatchDirectly(
  ips: string[],
  concurrency: number,
  plugin: DirectPlugin = 'ip-reputation',
): Promise<DirectBatch> {
  const started = performance.now();
  const runs: number[] = [];
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < ips.length) {
        const ip = ips[next++]!;
        // Rows without a valid IP fail in the plugin, as they do through the orchestrator.
        runs.push(await runPluginDirectly(ip, true, plugin));
      }
    }),
  );
  return { ms: performance.now() - started, runs };
}
