import { spawn } from 'node:child_process';
import { scrubbedEnv } from '../../src/orchestrator/runner.ts';

/**
 * Runs a Node plugin script the way the orchestrator does (scrubbed environment — in particular no
 * NODE_OPTIONS inherited from tsx —, its own process group, no shell), for benchmarks that compare a run
 * through Gridside with the plugin alone. Resolves with the exit code and what it printed.
 */
export function spawnLikeOrchestrator(
  script: string,
  args: readonly string[],
  cwd: string,
): Promise<{ code: number | null; stdout: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [script, ...args], {
      cwd,
      env: scrubbedEnv([]),
      detached: true,
      shell: false,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    child.stdout.on('data', (chunk) => {
      stdout += chunk;
    });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout }));
  });
}
