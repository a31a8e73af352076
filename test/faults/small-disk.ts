import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

/**
 * A small file system of its own for the orchestrator's database and data folder, so a test can fill it
 * up and empty it again: a tmpfs mounted in a private mount namespace (nothing outside sees it), kept
 * alive by a holder process. The orchestrator is started inside that namespace (`wrap`, for
 * startOrchestrator); the test reaches the same files through the holder's view, `/proc/<pid>/root`.
 * Needs root (or a user namespace) for `unshare -m` and `mount`.
 */
export interface SmallDisk {
  /** Where the file system is mounted, as the orchestrator sees it. */
  mountPoint: string;
  /** A path on the small disk, as this test process reaches it. */
  reach(inside: string): string;
  /** Spawns a command inside the namespace (for startOrchestrator's `wrap`). */
  wrap(command: string, args: string[]): { command: string; args: string[] };
  close(): Promise<void>;
}

export async function mountSmallDisk(sizeBytes: number): Promise<SmallDisk> {
  const mountPoint = mkdtempSync(path.join(tmpdir(), 'gridside-small-disk-'));
  const holder: ChildProcess = spawn(
    'unshare',
    [
      '--mount',
      '--propagation',
      'private',
      'sh',
      '-c',
      `mount -t tmpfs -o size=${sizeBytes},mode=0755 tmpfs "$0" && echo mounted && exec sleep 3600`,
      mountPoint,
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  await new Promise<void>((resolve, reject) => {
    let said = '';
    holder.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
      if (chunk.includes('mounted')) resolve();
    });
    holder.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
      said += chunk;
    });
    holder.once('exit', (code) => reject(new Error(`could not mount a small disk (${code}): ${said}`)));
  });
  const pid = holder.pid!;
  return {
    mountPoint,
    reach: (inside) => path.join(`/proc/${pid}/root`, inside),
    wrap: (command, args) => ({
      command: 'nsenter',
      // Same working folder as asked of spawn: nsenter would otherwise start in /.
      args: [`--mount=/proc/${pid}/ns/mnt`, `--wd=${process.cwd()}`, '--', command, ...args],
    }),
    async close() {
      if (holder.exitCode === null && holder.signalCode === null) {
        const exited = new Promise((resolve) => holder.once('exit', resolve));
        holder.kill('SIGKILL');
        await exited;
      }
      rmSync(mountPoint, { recursive: true, force: true });
    },
  };
}
