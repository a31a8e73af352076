import { execFileSync, spawnSync } from 'node:child_process';
import { availableParallelism } from 'node:os';

/**
 * In a SOC the orchestrator runs on a server and the analyst's browser on a workstation: a plugin never
 * competes with the browser for a core. A benchmark that runs both on one small machine would charge the
 * browser's work to the orchestrator's leg. Asked to (`bench:verdict --split-cores`) and with `taskset`
 * and two or more cores, the benchmark splits the machine: the browser side (the bench process and
 * everything it starts, Chromium included) keeps the first half of the cores, the orchestrator and its
 * plugins (and the plugin-alone baseline) the other half. Chromium needs more than one core to itself for
 * that to be fair: on a 2-core machine the split slows the browser more than sharing does.
 */
export interface HostSplit {
  /** `taskset -c` lists, e.g. `0` and `1` on two cores. */
  browser: string;
  orchestrator: string;
}

const range = (from: number, to: number): string => (from === to ? `${from}` : `${from}-${to}`);

/** The split for this machine, or null with one core or without `taskset` (util-linux). */
export function hostSplit(): HostSplit | null {
  const cores = availableParallelism();
  if (cores < 2 || process.platform !== 'linux') return null;
  if (spawnSync('taskset', ['--version'], { stdio: 'ignore' }).status !== 0) return null;
  const half = Math.floor(cores / 2);
  return { browser: range(0, half - 1), orchestrator: range(half, cores - 1) };
}

/** Pins this process (every thread) to `cpus`; what it spawns from now on inherits the pinning. */
export function pinThisProcess(cpus: string): void {
  execFileSync('taskset', ['-a', '-p', '-c', cpus, String(process.pid)], { stdio: 'ignore' });
}

/** A start wrapper for a program that must run on `cpus` (taskset execs it: the pid stays the program's). */
export const onCores =
  (cpus: string) =>
  (command: string, args: string[]): { command: string; args: string[] } => ({
    command: 'taskset',
    args: ['-c', cpus, command, ...args],
  });
