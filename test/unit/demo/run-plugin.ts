import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export const PLUGINS_DIR = fileURLToPath(new URL('../../../demo/plugins/', import.meta.url));
export const DATA_DIR = fileURLToPath(new URL('../../../demo/data/', import.meta.url));

export interface PluginRun {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** Runs a demo plugin script the way the orchestrator does: node, argv as given, no shell. */
export function runPlugin(
  plugin: string,
  args: string[],
  options: {
    env?: NodeJS.ProcessEnv;
    onStdout?: (text: string, child: ReturnType<typeof spawn>) => void;
  } = {},
): Promise<PluginRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [`${PLUGINS_DIR}${plugin}/${plugin}.mjs`, ...args], {
      cwd: `${PLUGINS_DIR}${plugin}`,
      env: { PATH: process.env.PATH, ...options.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk;
      options.onStdout?.(stdout, child);
    });
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      stderr += chunk;
    });
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
}

export interface Taxonomy {
  level: string;
  namespace: string;
  predicate: string;
  value: string;
}

/** The last stdout line that parses as a Cortex-style report (what the orchestrator is asked to take). */
export function lastReport(stdout: string): {
  summary: { taxonomies: Taxonomy[] };
  full: Record<string, unknown>;
} {
  const lines = stdout.trim().split('\n').reverse();
  for (const line of lines) {
    try {
      const parsed = JSON.parse(line);
      if (Array.isArray(parsed?.summary?.taxonomies)) return parsed;
    } catch {
      // a progress line
    }
  }
  throw new Error(`no report in stdout: ${stdout.slice(0, 200)}`);
}

export const verdict = (stdout: string, predicate: string): Taxonomy | undefined =>
  lastReport(stdout).summary.taxonomies.find((t) => t.predicate === predicate);
