import { type ChildProcess, type SpawnOptions, spawn } from 'node:child_process';
import { EventEmitter } from 'node:events';

/**
 * Plugins are started by a small helper process, not by the orchestrator itself. On Linux a spawn forks
 * the process that makes it: the kernel copies the page tables of all its anonymous memory, and the
 * calling thread waits until the child has exec'd. That is about 0.07 ms per MB (`npm run bench:spawn`):
 * 5 ms per run for an orchestrator holding 70 MB, 14 ms at 200 MB under load, all of it on the thread that
 * answers every request. The helper holds about 10 MB, so its fork costs about 1 ms, off that thread.
 *
 * The helper only spawns and relays: it gets a run's command, argv, cwd, environment and user over its
 * IPC channel, starts the process exactly as the orchestrator would (no shell, its own process group,
 * stdin closed), and sends back the pid, the output (up to the cap, plus one byte to tell the cap was
 * passed) and the exit. Everything else stays in runner.ts: the output caps, the timeouts, and the
 * process-group kills, which act on the pid. If the helper cannot be started or dies, runs are spawned
 * directly again.
 */

export interface SpawnRequest {
  command: string;
  args: string[];
  cwd: string;
  env: Record<string, string>;
  uid?: number;
  gid?: number;
  /** Bytes of each stream worth relaying: the rest is read and dropped in the helper. */
  relayBytes: number;
}

/**
 * How every plugin process is spawned, by the helper or (elsewhere than Linux) by the orchestrator: no
 * shell, its own process group, stdin closed, the scrubbed environment, the runAs user.
 */
export function pluginSpawnOptions(
  request: Omit<SpawnRequest, 'command' | 'args' | 'relayBytes'>,
): SpawnOptions {
  return {
    shell: false,
    cwd: request.cwd,
    env: request.env,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
    windowsHide: true,
    ...(request.uid !== undefined ? { uid: request.uid, gid: request.gid } : {}),
  };
}

/** What runner.ts uses of a child process, from the helper or from `spawn` itself. */
export interface SpawnedChild {
  /** The pid once the process exists; undefined when it could not be started. */
  readonly started: Promise<number | undefined>;
  readonly stdout: EventEmitter;
  readonly stderr: EventEmitter;
  on(event: 'error', listener: (error: Error) => void): this;
  on(event: 'exit' | 'close', listener: (code: number | null, signal: NodeJS.Signals | null) => void): this;
}

/** A spawn as the helper receives it: the options built here by `pluginSpawnOptions`. */
interface HelperRequest {
  id: number;
  command: string;
  args: string[];
  options: SpawnOptions;
  relayBytes: number;
}

type FromHelper =
  | { id: number; ev: 'spawned'; pid: number | undefined }
  | { id: number; ev: 'error'; message: string; code?: string }
  | { id: number; ev: 'out'; stream: 'stdout' | 'stderr'; chunk: Uint8Array }
  | { id: number; ev: 'exit' | 'close'; code: number | null; signal: NodeJS.Signals | null };

/**
 * The helper's whole program, run with `node -e`: it may use nothing from outside its own body (it is
 * handed over as source text), so it takes its one module from `process.getBuiltinModule`.
 */
function helperProgram(): void {
  const { spawn: start } = process.getBuiltinModule('node:child_process');
  const send = (message: unknown) => process.send?.(message);
  process.on('disconnect', () => process.exit(0));
  process.on('message', (message: HelperRequest) => {
    const { id } = message;
    let child: ReturnType<typeof start>;
    try {
      child = start(message.command, message.args, message.options);
    } catch (error) {
      send({ id, ev: 'spawned', pid: undefined });
      send({ id, ev: 'error', message: (error as Error).message, code: (error as { code?: string }).code });
      send({ id, ev: 'close', code: null, signal: null });
      return;
    }
    send({ id, ev: 'spawned', pid: child.pid });
    for (const stream of ['stdout', 'stderr'] as const) {
      let room = message.relayBytes + 1;
      child[stream]?.on('data', (chunk: Buffer) => {
        if (room <= 0) return;
        const part = chunk.length > room ? chunk.subarray(0, room) : chunk;
        room -= part.length;
        send({ id, ev: 'out', stream, chunk: part });
      });
    }
    child.on('error', (error) =>
      send({ id, ev: 'error', message: error.message, code: (error as { code?: string }).code }),
    );
    child.on('exit', (code, signal) => send({ id, ev: 'exit', code, signal }));
    child.on('close', (code, signal) => send({ id, ev: 'close', code, signal }));
  });
}

/** The error of a process whose helper died: it may have been running, its end is unknown. */
export class LostProcessError extends Error {}

class HelperChild extends EventEmitter implements SpawnedChild {
  readonly stdout = new EventEmitter();
  readonly stderr = new EventEmitter();
  readonly started: Promise<number | undefined>;
  private resolveStarted!: (pid: number | undefined) => void;
  closed = false;

  constructor() {
    super();
    this.started = new Promise((resolve) => {
      this.resolveStarted = resolve;
    });
  }

  receive(message: FromHelper): void {
    if (message.ev === 'spawned') this.resolveStarted(message.pid);
    else if (message.ev === 'out') {
      const chunk = Buffer.from(message.chunk.buffer, message.chunk.byteOffset, message.chunk.byteLength);
      this[message.stream].emit('data', chunk);
    } else if (message.ev === 'error')
      this.emit('error', Object.assign(new Error(message.message), { code: message.code }));
    else {
      if (message.ev === 'close') this.closed = true;
      this.emit(message.ev, message.code, message.signal);
    }
  }

  /** The helper died with this process in flight: its end will never be reported. */
  lost(): void {
    this.resolveStarted(undefined);
    if (this.closed) return;
    this.closed = true;
    this.emit('error', new LostProcessError('the process that starts plugins stopped'));
    this.emit('close', null, null);
  }
}

export interface Spawner {
  spawn(request: SpawnRequest): SpawnedChild;
  /** The helper's pid while it runs (tests). */
  readonly pid: number | undefined;
  stop(): void;
}

export function createSpawner(): Spawner {
  let helper: ChildProcess | undefined;
  let nextId = 1;
  const inFlight = new Map<number, HelperChild>();

  const lose = () => {
    for (const child of inFlight.values()) child.lost();
    inFlight.clear();
    helper = undefined;
  };
  const start = (): ChildProcess => {
    // Built with names kept, the function's text can call esbuild's `__name`: defined here as a no-op.
    const program = `var __name = (target) => target; (${helperProgram.toString()})();`;
    const started = spawn(process.execPath, ['-e', program], {
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
      serialization: 'advanced',
      env: {},
    });
    started.on('message', (message: FromHelper) => {
      const child = inFlight.get(message.id);
      if (!child) return;
      child.receive(message);
      if (message.ev === 'close') inFlight.delete(message.id);
      if (inFlight.size === 0) idle(started);
    });
    started.on('error', () => {
      if (helper === started) lose();
    });
    started.on('exit', () => {
      if (helper === started) lose();
    });
    idle(started);
    return started;
  };
  /** With nothing in flight the helper does not keep the orchestrator's event loop alive. */
  const idle = (process: ChildProcess) => {
    process.unref();
    (process.channel as { unref?: () => void } | null | undefined)?.unref?.();
  };
  const busy = (process: ChildProcess) => {
    process.ref();
    (process.channel as { ref?: () => void } | null | undefined)?.ref?.();
  };

  return {
    spawn(request) {
      helper ??= start();
      const id = nextId++;
      const child = new HelperChild();
      inFlight.set(id, child);
      busy(helper);
      const message: HelperRequest = {
        id,
        command: request.command,
        args: request.args,
        options: pluginSpawnOptions(request),
        relayBytes: request.relayBytes,
      };
      helper.send(message);
      return child;
    },
    get pid() {
      return helper?.pid;
    },
    stop() {
      const stopping = helper;
      helper = undefined;
      stopping?.disconnect();
    },
  };
}
