import { type ChildProcess, spawn } from 'node:child_process';
import { chmodSync, chownSync, cpSync, existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { lookupWithId } from '../../src/orchestrator/run-as.ts';

/**
 * Starts the REAL orchestrator (`node --import tsx src/orchestrator/main.ts`) as a child process on a free port with
 * a temporary database, data folder and copy of the plugins, and waits for its "listening on" line.
 * Shared by the orchestrator integration tests and the end-to-end tests.
 *
 *   const orch = await startOrchestrator({ plugins: 'test/fixtures/orchestrator-plugins', config });
 *   await fetch(`${orch.url}/api/v1/actions`, { headers: { authorization: `Bearer ${orch.tokens.alice}` } });
 *   await orch.stop();
 */

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

export interface StartOrchestratorOptions {
  /** Folder of plugin folders and `.lpi` files. Copied to a temp folder unless `copyPlugins` is false. */
  plugins: string;
  /** The config object (written to a temp file) — see docs/orchestrator.md. */
  config: Record<string, unknown>;
  copyPlugins?: boolean;
  /** Reuse a database / data folder (restart tests); default: fresh ones in the temp folder. */
  db?: string;
  dataDir?: string;
  /** Extra environment variables (secrets the config names with `env`). */
  env?: Record<string, string>;
  extraArgs?: string[];
  /** How long to wait for the listening line (tsx start-up is slow on a busy machine). */
  startTimeoutMs?: number;
  /**
   * Use the config exactly as given. By default a test run as root whose config says neither `runAs` nor
   * `allowRootPlugins` gets `runAs: { user: 'nobody' }` (the orchestrator refuses root plugins otherwise),
   * so every test also proves the plugins work unprivileged.
   */
  asConfigured?: boolean;
  /**
   * Start the built JavaScript (`bin/gridside-orchestrator.js serve`, after `npm run build:orchestrator`)
   * with Node alone instead of the TypeScript sources through tsx.
   */
  built?: boolean;
  /** Listen here instead of 127.0.0.1. */
  host?: string;
  /**
   * Starts the orchestrator through another program, e.g. in a mount namespace of its own with its data on
   * a small file system (test/faults/disk-full.fault.ts): given Node and its arguments, answers the command
   * to spawn instead. That program must exec Node in the end, so the child's pid is the orchestrator's.
   */
  wrap?: (node: string, args: string[]) => { command: string; args: string[] };
}

export interface OrchestratorHandle {
  url: string;
  /** Token name → bearer token, for every config token given as plain `token`. */
  tokens: Record<string, string>;
  process: ChildProcess;
  /** Temp folder holding db, data dir, config and plugin copy (removed by `cleanup`). */
  workDir: string;
  db: string;
  dataDir: string;
  pluginsDir: string;
  configFile: string;
  /** Everything the process printed so far. */
  output(): { stdout: string; stderr: string };
  /** SIGTERM and wait for exit; resolves with the exit code. */
  stop(): Promise<number | null>;
  /** SIGKILL (a crash) and wait for exit. */
  kill(): Promise<void>;
  /** Removes the temp folder (after stop/kill). */
  cleanup(): void;
}

/** A run as `GET /api/v1/runs` lists it: the fields tests read. */
export interface ListedRun {
  id: string;
  actionId: string;
  status: string;
  params: Record<string, string>;
  timing: { createdAt: string; startedAt: string | null; finishedAt: string | null };
}

/** The last 500 runs the orchestrator lists, newest first, as the holder of `token` (default: its first) sees them. */
export async function listedRuns(
  orchestrator: Pick<OrchestratorHandle, 'url' | 'tokens'>,
  token = Object.values(orchestrator.tokens)[0],
): Promise<ListedRun[]> {
  const response = await fetch(new URL('/api/v1/runs?limit=500', orchestrator.url), {
    headers: { authorization: `Bearer ${token}` },
  });
  if (!response.ok) throw new Error(`the orchestrator listed no runs: HTTP ${response.status}`);
  return ((await response.json()) as { runs: ListedRun[] }).runs;
}

export async function startOrchestrator(options: StartOrchestratorOptions): Promise<OrchestratorHandle> {
  const workDir = mkdtempSync(path.join(tmpdir(), 'gridside-orch-'));
  const pluginsDir =
    options.copyPlugins === false ? path.resolve(options.plugins) : path.join(workDir, 'plugins');
  if (options.copyPlugins !== false)
    cpSync(path.resolve(REPO_ROOT, options.plugins), pluginsDir, { recursive: true });
  const config = options.asConfigured ? options.config : withPluginUser(options.config, options.extraArgs);
  const configFile = path.join(workDir, 'orchestrator.config.json');
  // Private to the orchestrator, as a real config holding tokens must be (the plugin user may not read it).
  writeFileSync(configFile, JSON.stringify(config, null, 2), { mode: 0o600 });
  const db = options.db ?? path.join(workDir, 'orchestrator.db');
  const dataDir = options.dataDir ?? path.join(workDir, 'data');
  shareWithPluginUser(config, workDir, options.env);
  return launch({ options, workDir, pluginsDir, configFile, db, dataDir });
}

const isRoot = (): boolean => process.getuid?.() === 0;

function withPluginUser(config: Record<string, unknown>, extraArgs: string[] = []): Record<string, unknown> {
  if (!isRoot() || 'runAs' in config || 'allowRootPlugins' in config) return config;
  if (extraArgs.includes('--allow-root-plugins')) return config;
  return { ...config, runAs: { user: 'nobody' } };
}

/**
 * When plugins run as another user, that user must reach the plugin copy (mkdtemp makes the folder 0700)
 * and write where the tests point plugins through the environment (the demo's state file). The database in
 * the same folder stays private: the orchestrator makes it 0600 itself.
 */
function shareWithPluginUser(
  config: Record<string, unknown>,
  workDir: string,
  env: Record<string, string> = {},
): void {
  const runAs = config.runAs as { user: string; uid?: number; gid?: number } | undefined;
  if (!isRoot() || !runAs) return;
  chmodSync(workDir, 0o755);
  const uid = runAs.uid ?? lookupWithId(runAs.user, 'uid');
  const gid = runAs.gid ?? lookupWithId(runAs.user, 'gid');
  if (uid === undefined || gid === undefined) return; // the orchestrator itself names the problem
  for (const value of Object.values(env)) {
    if (!path.isAbsolute(value)) continue;
    const dir = path.dirname(value);
    if (dir.startsWith(tmpdir() + path.sep) && existsSync(dir)) {
      chmodSync(dir, 0o755);
      chownSync(dir, uid, gid);
    }
  }
}

/** Starts another orchestrator process on the same files (a restart). */
export function restartOrchestrator(previous: OrchestratorHandle, options: StartOrchestratorOptions) {
  return launch({
    options,
    workDir: previous.workDir,
    pluginsDir: previous.pluginsDir,
    configFile: previous.configFile,
    db: previous.db,
    dataDir: previous.dataDir,
  });
}

async function launch(p: {
  options: StartOrchestratorOptions;
  workDir: string;
  pluginsDir: string;
  configFile: string;
  db: string;
  dataDir: string;
}): Promise<OrchestratorHandle> {
  // `node --import tsx`, not the tsx CLI: the CLI runs the program in a second process, so a SIGKILL
  // (the crash the restart tests simulate) would hit the wrapper and leave the orchestrator running.
  const entry = p.options.built
    ? ['bin/gridside-orchestrator.js', 'serve']
    : ['--import', 'tsx', 'src/orchestrator/main.ts'];
  const args = [
    ...entry,
    ...(p.options.host ? ['--host', p.options.host] : []),
    '--plugins',
    p.pluginsDir,
    '--config',
    p.configFile,
    '--port',
    '0',
    '--db',
    p.db,
    '--data-dir',
    p.dataDir,
    ...(p.options.extraArgs ?? []),
  ];
  const spawned = p.options.wrap
    ? p.options.wrap(process.execPath, args)
    : { command: process.execPath, args };
  const child = spawn(spawned.command, spawned.args, {
    cwd: REPO_ROOT,
    env: { ...process.env, ...p.options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    stdout += chunk;
  });
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
    stderr += chunk;
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));

  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`orchestrator did not start in time.\nstdout: ${stdout}\nstderr: ${stderr}`));
    }, p.options.startTimeoutMs ?? 25_000);
    const onData = (): void => {
      const match = /gridside-orchestrator listening on (https?:\/\/\S+)/.exec(stdout);
      if (match) {
        clearTimeout(timer);
        child.stdout.off('data', onData);
        resolve(match[1]!);
      }
    };
    child.stdout.on('data', onData);
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`orchestrator exited with ${code} before listening.\nstderr: ${stderr}`));
    });
  });

  const tokens: Record<string, string> = {};
  for (const token of (p.options.config.tokens ?? []) as { name: string; token?: string }[]) {
    if (token.token) tokens[token.name] = token.token;
  }
  return {
    url,
    tokens,
    process: child,
    workDir: p.workDir,
    db: p.db,
    dataDir: p.dataDir,
    pluginsDir: p.pluginsDir,
    configFile: p.configFile,
    output: () => ({ stdout, stderr }),
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      return exited;
    },
    kill: async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      await exited;
    },
    cleanup: () => rmSync(p.workDir, { recursive: true, force: true }),
  };
}
