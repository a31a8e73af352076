import { spawn } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import path from 'node:path';
import { commandBasename } from '../core/srp/argv.ts';
import type { CutStreams } from './redact.ts';
import { LostProcessError, pluginSpawnOptions, type SpawnedChild, type Spawner } from './spawner.ts';

/**
 * Starts one plugin process and watches it. The process never sees a shell: the command line is an argv
 * array (values from log rows are attacker-written, docs/architecture.md §2), it runs in its own process group so a
 * timeout or cancel kills the whole tree (scripts that start helpers included), with a scrubbed
 * environment, and its output is kept up to a cap.
 */

export interface ProcessSpec {
  command: string;
  args: string[];
  cwd: string;
  env: Record<string, string>;
  timeoutMs: number;
  outputCapBytes: number;
  killGraceMs: number;
  /** Run as this OS user (run-as.ts); unset: as the orchestrator itself. */
  user?: { uid: number; gid: number };
  /** Called with each piece of output as it is kept (within the cap), so it can be saved as it arrives. */
  onOutput?: (stream: 'stdout' | 'stderr', kept: Buffer, overflowed: boolean) => void;
  /** Starts the process from this helper (spawner.ts); unset: spawned by this process itself. */
  spawner?: Spawner;
}

export interface ProcessResult {
  exitCode: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  truncated: boolean;
  /** Which streams the cap cut (`truncated`: either). */
  cut: CutStreams;
  timedOut: boolean;
  canceled: boolean;
  /** The process could not be started (missing interpreter, …): the system's words, for the log. */
  spawnError?: string;
  /** Its error code (`ENOENT`, `EACCES`), when the system gave one. */
  spawnErrorCode?: string;
  /** The process was started, then the helper that started it died: how it ended is not known. */
  lost?: string;
}

export interface RunningProcess {
  /** The pid once the process exists (undefined: it could not be started). */
  started: Promise<number | undefined>;
  result: Promise<ProcessResult>;
  /** Kills the process group (SIGTERM, then SIGKILL after the grace period); the result says `canceled`. */
  cancel(): void;
}

/** Environment variables every plugin gets (if set here); everything else must be named in the config. */
const BASE_ENV = ['PATH', 'SystemRoot', 'TEMP', 'TMP', 'TMPDIR', 'LANG'];

export function scrubbedEnv(
  passEnv: readonly string[],
  from: NodeJS.ProcessEnv = process.env,
): Record<string, string> {
  const env: Record<string, string> = {};
  for (const name of [...BASE_ENV, ...passEnv]) {
    const value = from[name];
    if (value !== undefined) env[name] = value;
  }
  return env;
}

/** Default interpreter map; `node` is this very Node binary so plugins run without PATH games. */
const DEFAULT_INTERPRETERS: Record<string, string> = { node: process.execPath, 'node.exe': process.execPath };

export class CommandNotAllowedError extends Error {}

/**
 * Maps an SRP `Command` to an executable on this host: through the interpreter map (by basename,
 * case-insensitive), or to an executable file inside the plugin's own folder. Anything else is refused:
 * an actions.xml must not be able to start arbitrary programs on the orchestrator host.
 */
export function resolveCommand(
  command: string,
  interpreters: Record<string, string>,
  pluginDir: string,
): string {
  const map = new Map<string, string>();
  for (const [name, target] of Object.entries({ ...DEFAULT_INTERPRETERS, ...interpreters })) {
    map.set(commandBasename(name), target);
  }
  const mapped = map.get(commandBasename(command));
  if (mapped !== undefined) return mapped;
  const local = path.resolve(pluginDir, command);
  const inside = local.startsWith(path.resolve(pluginDir) + path.sep);
  if (inside && existsSync(local) && statSync(local).isFile()) return local;
  throw new CommandNotAllowedError(
    `the plugin's command "${command}" is not in the orchestrator's interpreter map and is not a file inside the plugin`,
  );
}

/**
 * Why a resolved command could not be started, in words that show no server path: a file of the plugin is
 * named relative to its folder, an interpreter by its name.
 */
export function startFailure(code: string | undefined, command: string, pluginDir: string): string {
  const relative = path.relative(path.resolve(pluginDir), command);
  const inPlugin = relative !== '' && !relative.startsWith('..') && !path.isAbsolute(relative);
  const name = inPlugin ? relative.split(path.sep).join('/') : path.basename(command);
  if (code === 'EACCES' || code === 'EPERM') {
    return inPlugin ? `the plugin's command ${name} is not executable` : `the command ${name} may not be run`;
  }
  if (code === 'ENOENT') {
    // Checked to exist just before: what is missing is the interpreter its #! line names.
    return inPlugin
      ? `the plugin's command ${name}, or the interpreter its #! line names, was not found`
      : `the command ${name} was not found`;
  }
  return `the command ${name} could not be started${code ? ` (${code})` : ''}`;
}

function killGroup(pid: number | undefined, signal: NodeJS.Signals): void {
  if (pid === undefined) return;
  try {
    process.kill(-pid, signal);
  } catch {
    // The group is already gone.
  }
}

/** Keeps the first `cap` bytes of a stream and remembers whether more came. */
class CappedBuffer {
  private readonly chunks: Buffer[] = [];
  private size = 0;
  overflowed = false;
  constructor(private readonly cap: number) {}
  /** Returns the part of `chunk` that was kept (empty once the cap is reached). */
  push(chunk: Buffer): Buffer {
    const room = this.cap - this.size;
    if (room <= 0) {
      this.overflowed = true;
      return Buffer.alloc(0);
    }
    const kept = chunk.length > room ? chunk.subarray(0, room) : chunk;
    if (kept.length < chunk.length) this.overflowed = true;
    this.chunks.push(kept);
    this.size += kept.length;
    return kept;
  }
  text(): string {
    return Buffer.concat(this.chunks).toString('utf8');
  }
}

/** Spawns the process from this one (no helper, or not Linux). */
function spawnHere(spec: ProcessSpec): SpawnedChild {
  const child = spawn(spec.command, spec.args, pluginSpawnOptions(spawnTarget(spec)));
  return Object.assign(child, { started: Promise.resolve(child.pid) }) as unknown as SpawnedChild;
}

/** Where and as whom the process runs, as spawner.ts takes it. */
function spawnTarget(spec: ProcessSpec) {
  return {
    cwd: spec.cwd,
    env: spec.env,
    ...(spec.user ? { uid: spec.user.uid, gid: spec.user.gid } : {}),
  };
}

export function startProcess(spec: ProcessSpec): RunningProcess {
  const stdout = new CappedBuffer(spec.outputCapBytes);
  const stderr = new CappedBuffer(spec.outputCapBytes);
  let timedOut = false;
  let canceled = false;
  let spawnError: string | undefined;
  let spawnErrorCode: string | undefined;
  let lost: string | undefined;
  let graceTimer: NodeJS.Timeout | undefined;
  let reapTimer: NodeJS.Timeout | undefined;

  const child = spec.spawner
    ? spec.spawner.spawn({
        command: spec.command,
        args: spec.args,
        ...spawnTarget(spec),
        relayBytes: spec.outputCapBytes,
      })
    : spawnHere(spec);
  let pid: number | undefined;
  void child.started.then((started) => {
    pid = started;
    if (pid !== undefined && (timedOut || canceled)) terminate(); // stopped before it existed
  });

  const terminate = (): void => {
    killGroup(pid, 'SIGTERM');
    graceTimer ??= setTimeout(() => killGroup(pid, 'SIGKILL'), spec.killGraceMs);
  };
  const timeout = setTimeout(() => {
    timedOut = true;
    terminate();
  }, spec.timeoutMs);

  const keep = (stream: 'stdout' | 'stderr', buffer: CappedBuffer) => (chunk: Buffer) => {
    const wasOverflowed = buffer.overflowed;
    const kept = buffer.push(chunk);
    if (kept.length > 0 || buffer.overflowed !== wasOverflowed) {
      spec.onOutput?.(stream, kept, buffer.overflowed);
    }
  };
  child.stdout.on('data', keep('stdout', stdout));
  child.stderr.on('data', keep('stderr', stderr));

  const result = new Promise<ProcessResult>((resolve) => {
    let exit: { code: number | null; signal: NodeJS.Signals | null } = { code: null, signal: null };
    let done = false;
    const finish = (): void => {
      if (done) return;
      done = true;
      clearTimeout(timeout);
      clearTimeout(graceTimer);
      clearTimeout(reapTimer);
      // Helpers the script left behind die with it: a plugin run ends when its main process ends.
      killGroup(pid, 'SIGKILL');
      resolve({
        exitCode: exit.code,
        signal: exit.signal,
        stdout: stdout.text(),
        stderr: stderr.text(),
        truncated: stdout.overflowed || stderr.overflowed,
        cut: { stdout: stdout.overflowed, stderr: stderr.overflowed },
        timedOut,
        canceled,
        ...(spawnError !== undefined ? { spawnError } : {}),
        ...(spawnErrorCode !== undefined ? { spawnErrorCode } : {}),
        ...(lost !== undefined ? { lost } : {}),
      });
    };
    child.on('error', (error) => {
      if (error instanceof LostProcessError && pid !== undefined) lost = error.message;
      else {
        spawnError = error.message;
        const code = (error as NodeJS.ErrnoException).code;
        if (typeof code === 'string') spawnErrorCode = code;
      }
      finish();
    });
    child.on('exit', (code, signal) => {
      exit = { code, signal };
      // A grandchild that inherited stdout keeps the pipe open; do not wait for it forever.
      reapTimer = setTimeout(finish, 1000);
    });
    child.on('close', (code, signal) => {
      exit = { code: code ?? exit.code, signal: signal ?? exit.signal };
      finish();
    });
  });

  return {
    started: child.started,
    result,
    cancel: () => {
      canceled = true;
      terminate();
    },
  };
}
