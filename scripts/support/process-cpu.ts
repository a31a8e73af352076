import { readdirSync, readFileSync } from 'node:fs';

/**
 * Where a benchmark's CPU went, by process: user + system time of every process on the machine, read
 * from `/proc` (Linux; elsewhere nothing is read), each process given the role it plays. On two shared
 * cores a batch of plugins that keep both cores busy lasts about as long as all the CPU spent meanwhile
 * needs: its plugins' and everyone else's. Reading both says how far a batch can come to its plugins'
 * own time before anything is measured with a clock.
 */

export const CPU_ROLES = [
  'plugins',
  'console page',
  'extension',
  'browser',
  'GPU',
  'network',
  'other Chromium',
  'orchestrator',
  'spawning helper',
  'bench',
] as const;
export type CpuRole = (typeof CPU_ROLES)[number];

/** Which processes are whose: the browser by its profile folder, the orchestrator and the bench by pid. */
export interface CpuOwners {
  browserProfile: string;
  orchestratorPid: number;
  benchPid: number;
}

/** One process as `/proc/<pid>/stat` and `/proc/<pid>/cmdline` describe it. */
export interface ProcessStat {
  pid: number;
  ppid: number;
  /** Its own user + system time, ms. */
  cpuMs: number;
  /** User + system time of its children it has waited for, ms. */
  reapedChildrenMs: number;
  /** The command line, arguments joined by spaces. */
  cmdline: string;
}

/** USER_HZ: 100 on every Linux this runs on (`getconf CLK_TCK`). */
const TICK_MS = 10;

/** Parses `/proc/<pid>/stat`; the command name may hold spaces and parentheses, so fields start after the last `)`. */
export function parseStat(pid: number, stat: string, cmdline: string): ProcessStat | undefined {
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const numbers = [1, 11, 12, 13, 14].map((i) => Number(fields[i]));
  if (numbers.some((n) => !Number.isFinite(n))) return undefined;
  const [ppid, utime, stime, cutime, cstime] = numbers as [number, number, number, number, number];
  return {
    pid,
    ppid,
    cpuMs: (utime + stime) * TICK_MS,
    reapedChildrenMs: (cutime + cstime) * TICK_MS,
    cmdline,
  };
}

/** Every process on the machine now; empty where there is no `/proc`. */
export function readProcesses(): ProcessStat[] {
  let names: string[];
  try {
    names = readdirSync('/proc');
  } catch {
    return [];
  }
  const found: ProcessStat[] = [];
  for (const name of names) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'latin1');
      const cmdline = readFileSync(`/proc/${name}/cmdline`, 'latin1').replace(/\0+$/, '').replace(/\0/g, ' ');
      const parsed = parseStat(Number(name), stat, cmdline);
      if (parsed) found.push(parsed);
    } catch {
      // Gone meanwhile.
    }
  }
  return found;
}

/** What a process of Chromium's tree does, from the switches it was started with. */
function chromiumRole(cmdline: string): CpuRole {
  const type = /--type=(\S+)/.exec(cmdline)?.[1];
  if (type === undefined) return 'browser';
  if (type === 'renderer') return /--extension-process\b/.test(cmdline) ? 'extension' : 'console page';
  if (type === 'gpu-process') return 'GPU';
  if (type === 'utility' && /NetworkService/.test(cmdline)) return 'network';
  return 'other Chromium';
}

/**
 * Each process's CPU under its role; the plugins' is what the spawning helper (or the orchestrator, when
 * it spawns them itself) reaped plus what its children still running have used. Processes that are
 * nobody's here (other work on the machine) are left out.
 */
export function cpuByRole(processes: ProcessStat[], owners: CpuOwners): Map<CpuRole, number> {
  const byPid = new Map(processes.map((p) => [p.pid, p]));
  const browser = processes.find(
    (p) => !/--type=/.test(p.cmdline) && p.cmdline.includes(`--user-data-dir=${owners.browserProfile}`),
  );
  // The orchestrator's helper is Node running the program it hands over with `-e` (spawner.ts).
  const helper = processes.find((p) => p.ppid === owners.orchestratorPid && /^\S+ -e /.test(p.cmdline));
  /** The nearest of `pids` among a process and its ancestors. */
  const under = (p: ProcessStat, pids: (number | undefined)[]): number | undefined => {
    for (let at: ProcessStat | undefined = p, hops = 0; at && hops < 64; at = byPid.get(at.ppid), hops++) {
      if (pids.includes(at.pid)) return at.pid;
    }
    return undefined;
  };
  const totals = new Map<CpuRole, number>(CPU_ROLES.map((role) => [role, 0]));
  const add = (role: CpuRole, ms: number) => totals.set(role, (totals.get(role) ?? 0) + ms);
  for (const p of processes) {
    const owner = under(p, [helper?.pid, owners.orchestratorPid, browser?.pid, owners.benchPid]);
    if (owner === undefined) continue;
    if (owner === helper?.pid) {
      if (p === helper) {
        add('spawning helper', p.cpuMs);
        add('plugins', p.reapedChildrenMs);
      } else add('plugins', p.cpuMs);
    } else if (owner === owners.orchestratorPid) {
      // Without its helper the orchestrator spawns plugins itself.
      if (p.pid === owners.orchestratorPid) {
        add('orchestrator', p.cpuMs);
        add('plugins', p.reapedChildrenMs);
      } else add('plugins', p.cpuMs);
    } else if (owner === browser?.pid) add(chromiumRole(p.cmdline), p.cpuMs);
    else add('bench', p.cpuMs);
  }
  return totals;
}

/**
 * The CPU each role used between two readings of every process. Counted per process; a pid the kernel
 * gave to a new process meanwhile counts from zero. A process that ended meanwhile was reaped by its
 * parent, whose children's time then holds all of it: what it had used by the first reading is taken
 * off there, so a plugin running at the first reading is counted once.
 */
export function cpuBetween(
  before: ProcessStat[],
  after: ProcessStat[],
  owners: CpuOwners,
): Map<CpuRole, number> {
  const earlier = new Map(before.map((p) => [p.pid, p]));
  const same = (then: ProcessStat | undefined, now: ProcessStat): then is ProcessStat =>
    then !== undefined && then.cmdline === now.cmdline && then.cpuMs <= now.cpuMs;
  const later = new Map(after.map((p) => [p.pid, p]));
  const endedUnder = new Map<number, number>();
  for (const p of before) {
    const now = later.get(p.pid);
    if (now && same(p, now)) continue;
    endedUnder.set(p.ppid, (endedUnder.get(p.ppid) ?? 0) + p.cpuMs + p.reapedChildrenMs);
  }
  const used = after.map((p) => {
    const then = earlier.get(p.pid);
    if (!same(then, p)) return p;
    const reaped = p.reapedChildrenMs - then.reapedChildrenMs - (endedUnder.get(p.pid) ?? 0);
    return { ...p, cpuMs: p.cpuMs - then.cpuMs, reapedChildrenMs: Math.max(0, reaped) };
  });
  return cpuByRole(used, owners);
}

/**
 * Runs `step`, which calls the `mark` it is handed at the moment measured from (just before a click's
 * press), and gives back its result with the CPU each role used from that mark to the step's end.
 */
export async function cpuFromMark<T>(
  owners: CpuOwners,
  step: (mark: () => void) => Promise<T>,
): Promise<{ result: T; cpu: Map<CpuRole, number> }> {
  let before: ProcessStat[] = [];
  const result = await step(() => {
    before = readProcesses();
  });
  return { result, cpu: cpuBetween(before, readProcesses(), owners) };
}

/**
 * Each role over several readings, largest first, leaving out roles that used nothing: their median, or
 * their mean where each reading is too short for the 10 ms resolution of `/proc` to say much alone.
 */
export function averageCpu(
  readings: Map<CpuRole, number>[],
  average: 'median' | 'mean' = 'median',
): (readonly [CpuRole, number])[] {
  if (readings.length === 0) return [];
  const of = (role: CpuRole): number => {
    const values = readings.map((r) => r.get(role) ?? 0).sort((a, b) => a - b);
    if (average === 'mean') return values.reduce((sum, x) => sum + x, 0) / values.length;
    return values[Math.floor((values.length - 1) / 2)]!;
  };
  return CPU_ROLES.map((role) => [role, of(role)] as const)
    .filter(([, ms]) => ms > 0)
    .sort((a, b) => b[1] - a[1]);
}

/** Milliseconds of CPU as a report shows them (a mean to a tenth). */
export const cpuMs = (ms: number): number => Math.round(10 * ms) / 10;

/**
 * A line for a report: the plugins' CPU, the rest's, and the rest by role, largest first (`averageCpu`).
 * Undefined when nothing was read (not Linux).
 */
export function describeCpu(
  readings: Map<CpuRole, number>[],
  average: 'median' | 'mean' = 'median',
): string | undefined {
  const roles = averageCpu(readings, average);
  const plugins = roles.find(([role]) => role === 'plugins')?.[1] ?? 0;
  if (plugins === 0) return undefined;
  const others = roles.filter(([role]) => role !== 'plugins');
  const rest = others.reduce((sum, [, ms]) => sum + ms, 0);
  const parts = others.map(([role, ms]) => `${role} ${cpuMs(ms)}`).join(', ');
  return `plugins ${cpuMs(plugins)} ms; everything else ${cpuMs(rest)} ms (${(rest / plugins).toFixed(2)}× the plugins'): ${parts}`;
}
