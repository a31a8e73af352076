import { spawn } from 'node:child_process';
import {
  accessSync,
  closeSync,
  constants,
  existsSync,
  mkdir,
  openSync,
  readdirSync,
  readFileSync,
  rmdir,
  write,
} from 'node:fs';
import path from 'node:path';
import type { PluginUser } from './run-as.ts';

/**
 * Nothing a plugin starts outlives its run. Killing the plugin's process group is not enough: a child
 * can leave it (`setsid`, a new process group, a double fork) and keep running. So at the end of every run
 * (and for runs found running after a crash) the orchestrator:
 *
 * 1. kills every process whose environment carries the run's marker (`GRIDSIDE_RUN_ID=<run id>`, which
 *    every plugin process inherits), repeating until a pass finds none, so a process forking meanwhile
 *    is caught too; and
 * 2. when it runs as root on Linux with cgroup v2, has put the plugin in a cgroup of its own
 *    (`gridside-run-<id>`, under the orchestrator's own cgroup) and kills the whole cgroup: that also
 *    catches a process that cleared or rewrote its environment, which no unprivileged process can leave.
 *
 * Step 1 reads the environment only of processes created since the plugin started (pids above the one the
 * kernel handed out last before it, `PidMark`), unless the pid counter may have wrapped meanwhile: then, and
 * for a run found after a crash, it reads every process on the host (3–30 ms on a busy host).
 *
 * When the run had its cgroup, the kernel emptied it and the plugin ran unprivileged, the run's end is
 * recorded before step 1 rather than after it, so that even a full sweep never sits between the plugin's
 * exit and the analyst's verdict.
 * Such a run's processes cannot leave its cgroup; only a child forked in the instant between the plugin's
 * start and its move into the cgroup could be elsewhere, and the sweep that follows at once still kills it.
 * A root plugin can move itself out of a cgroup: its runs keep the sweep before the end.
 */

export const runMarker = (runId: string): string => `GRIDSIDE_RUN_ID=${runId}`;

/**
 * Where the kernel's process counters stood just before a plugin started: the last pid it handed out, how
 * many processes and threads it has created since boot, how many exist, and the pid ceiling. A process
 * carrying a run's marker was created after that moment, so unless pids went all the way round meanwhile
 * it has a pid above `lastPid`: the sweep reads the environment of those few processes rather than of
 * every process on the host.
 */
export interface PidMark {
  lastPid: number;
  forks: number;
  tasks: number;
  pidMax: number;
}

/** Pids the kernel never hands out again once it wraps (RESERVED_PIDS). */
const RESERVED_PIDS = 300;

function readNumber(file: string, pattern = /^(\d+)/): number | undefined {
  try {
    const match = pattern.exec(readFileSync(file, 'latin1'));
    return match ? Number(match[1]) : undefined;
  } catch {
    return undefined;
  }
}

/** How long a read of pid_max is used: it changes only when an admin sets the sysctl. */
const PID_MAX_FOR_MS = 60_000;
let pidMaxRead: { value: number | undefined; at: number } | undefined;

function pidMaxNow(): number | undefined {
  const now = Date.now();
  if (!pidMaxRead || now - pidMaxRead.at > PID_MAX_FOR_MS) {
    pidMaxRead = { value: readNumber('/proc/sys/kernel/pid_max'), at: now };
  }
  return pidMaxRead.value;
}

/**
 * The counters now; undefined where they cannot be read (not Linux, /proc hidden). Taken twice per run, once
 * just before the spawn: `/proc/loadavg` gives the task count and the last pid in one read (its last field
 * is the reader's namespace's last pid, as `ns_last_pid` is), `/proc/stat` the forks, pid_max is kept.
 */
export function pidMark(): PidMark | undefined {
  if (process.platform !== 'linux') return undefined;
  let load: RegExpExecArray | null = null;
  try {
    load = /^\S+ \S+ \S+ \d+\/(\d+) (\d+)/.exec(readFileSync('/proc/loadavg', 'latin1'));
  } catch {
    return undefined;
  }
  const forks = readNumber('/proc/stat', /^processes (\d+)$/m);
  const pidMax = pidMaxNow();
  if (!load || forks === undefined || pidMax === undefined) return undefined;
  return { lastPid: Number(load[2]), forks, tasks: Number(load[1]), pidMax };
}

/**
 * The pids a process created between `since` and `now` can have: (since.lastPid, now.lastPid] when the
 * counter cannot have wrapped. Undefined (look at every process) when it may have: it is lower than
 * before, or enough pids were handed out meanwhile to go all the way round. Going round takes one pid per
 * free slot of the ring; a slot is taken at most by a task that existed at `since` or was created after,
 * and every creation counts in `forks`.
 */
export function newPidRange(
  since: PidMark | undefined,
  now: PidMark | undefined,
): [number, number] | undefined {
  if (!since || !now || now.lastPid < since.lastPid) return undefined;
  const created = now.forks - since.forks;
  if (2 * created + since.tasks >= since.pidMax - RESERVED_PIDS) return undefined;
  return [since.lastPid, now.lastPid];
}

/**
 * Pids whose environment holds `marker`, among the processes created since `since` when that can be told
 * (see `PidMark`), else among all. Processes we may not read are skipped (not ours to kill).
 */
function markedPids(marker: string, since?: PidMark): number[] {
  const found: number[] = [];
  let entries: string[];
  try {
    entries = readdirSync('/proc');
  } catch {
    return found;
  }
  const range = newPidRange(since, since && pidMark());
  for (const name of entries) {
    if (!/^\d+$/.test(name) || Number(name) === process.pid) continue;
    if (range && !(range[0] < Number(name) && Number(name) <= range[1])) continue;
    try {
      const environ = readFileSync(`/proc/${name}/environ`, 'latin1');
      if (environ.split('\0').includes(marker)) found.push(Number(name));
    } catch {
      // Gone, or another user's.
    }
  }
  return found;
}

const isZombie = (pid: number): boolean => {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'latin1');
    return /^\d+ \(.*\) [ZX]/s.test(stat);
  } catch {
    return true;
  }
};

/**
 * Kills every live process carrying the run's marker; returns how many it killed. `since`: the counters
 * taken just before the run's plugin started, when known (a run found after a crash has none).
 */
export function killMarkedProcesses(runId: string, since?: PidMark): number {
  if (process.platform !== 'linux') return 0;
  const marker = runMarker(runId);
  const killed = new Set<number>();
  for (let pass = 0; pass < 20; pass++) {
    const live = markedPids(marker, since).filter((pid) => !isZombie(pid));
    if (live.length === 0) break;
    for (const pid of live) {
      try {
        process.kill(pid, 'SIGKILL');
        killed.add(pid);
      } catch {
        // Already gone.
      }
    }
  }
  return killed.size;
}

/**
 * Where per-run cgroups go: the orchestrator's own cgroup v2 folder when runs can have cgroups here, else
 * why not (`expected`: the orchestrator is root on Linux, where they were meant to apply).
 */
interface CgroupPlace {
  base?: string;
  why?: string;
  expected: boolean;
}
let cgroupPlace: CgroupPlace | undefined;

function findCgroupPlace(): CgroupPlace {
  if (cgroupPlace) return cgroupPlace;
  cgroupPlace = placeCgroups();
  return cgroupPlace;
}

function placeCgroups(): CgroupPlace {
  if (process.platform !== 'linux' || process.getuid?.() !== 0)
    return { why: 'only root can move processes between cgroups', expected: false };
  try {
    const mount = readFileSync('/proc/self/mountinfo', 'utf8')
      .split('\n')
      .map((line) => line.split(' '))
      .find((fields) => fields[fields.indexOf('-') + 1] === 'cgroup2')?.[4];
    const own = /^0::(.*)$/m.exec(readFileSync('/proc/self/cgroup', 'utf8'))?.[1];
    if (!mount || own === undefined) return { why: 'no cgroup v2 hierarchy is mounted', expected: true };
    const base = path.join(mount, own);
    if (!existsSync(path.join(base, 'cgroup.procs')))
      return { why: `${base} is not a cgroup`, expected: true };
    try {
      // A read-only mount (systemd's ProtectControlGroups=yes) answers EROFS; every run's mkdir would fail.
      accessSync(base, constants.W_OK);
    } catch (error) {
      return { why: `${base} is not writable (${(error as NodeJS.ErrnoException).code})`, expected: true };
    }
    return { base, expected: true };
  } catch (error) {
    return { why: `the cgroup tree cannot be read (${(error as Error).message})`, expected: true };
  }
}

function findCgroupBase(): string | undefined {
  return findCgroupPlace().base;
}

/** Whether runs get cgroups of their own here (said once at start-up). */
export function runCgroupsAvailable(): string | undefined {
  return findCgroupBase();
}

/**
 * Whether the marker sweep can see and read the environment of a process running as `user`: starts one
 * (`sleep`, with a marker) as that user and reads its `/proc/PID/environ` exactly as the sweep does.
 * Undefined when it can, else why not. Root needs CAP_SYS_PTRACE and CAP_DAC_READ_SEARCH for another
 * user's environment (the file is that user's, mode 0400, and the kernel also asks for ptrace read
 * access); a /proc mounted with hidepid hides the process altogether.
 */
export async function environUnreadableFor(user: PluginUser): Promise<string | undefined> {
  if (process.platform !== 'linux') return undefined;
  const runId = `start-up-check-${process.pid}`;
  const marker = runMarker(runId);
  const child = spawn('sleep', ['10'], {
    uid: user.uid,
    gid: user.gid,
    env: { PATH: process.env.PATH ?? '/usr/bin:/bin', GRIDSIDE_RUN_ID: runId },
    stdio: 'ignore',
  });
  try {
    await new Promise<void>((resolve, reject) => {
      child.once('spawn', resolve);
      child.once('error', reject);
    });
  } catch (error) {
    return `no process could be started as that user to check (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`;
  }
  try {
    const environ = readFileSync(`/proc/${child.pid}/environ`, 'latin1');
    return environ.split('\0').includes(marker)
      ? undefined
      : `/proc/${child.pid}/environ does not show the marker`;
  } catch (error) {
    return `/proc/PID/environ: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`;
  } finally {
    child.kill('SIGKILL');
  }
}

export interface CleanupProbes {
  environ: (user: PluginUser) => Promise<string | undefined>;
  cgroups: () => CgroupPlace;
}

const hostProbes: CleanupProbes = { environ: environUnreadableFor, cgroups: findCgroupPlace };

/**
 * The start-up lines about the end-of-run clean-up. Plugins running as another user are exactly the case
 * where both means matter and where a service's sandbox can take them away without an error: the sweep
 * skips processes it may not read, and a read-only cgroup tree only makes each run's mkdir fail. So the
 * orchestrator checks both once and says so on stderr rather than finding out run by run.
 */
export async function cleanupNotices(
  pluginUser: PluginUser | undefined,
  probes: CleanupProbes = hostProbes,
): Promise<string[]> {
  const notices: string[] = [];
  const cgroups = probes.cgroups();
  if (cgroups.base)
    notices.push(`gridside-orchestrator: each run gets a cgroup of its own under ${cgroups.base}`);
  if (!pluginUser) return notices;
  const who = `plugins run as "${pluginUser.user}" (uid ${pluginUser.uid})`;
  const environ = await probes.environ(pluginUser);
  if (environ !== undefined) {
    notices.push(
      `gridside-orchestrator: WARNING: ${who}, but this process cannot read the environment of that user's ` +
        `processes (${environ}), so the end-of-run sweep cannot find what a plugin leaves running outside its ` +
        'process group. Give the orchestrator CAP_SYS_PTRACE and CAP_DAC_READ_SEARCH and do not hide ' +
        "other users' processes from it (deploy/run-as.conf).",
    );
  }
  if (!cgroups.base && cgroups.expected) {
    notices.push(
      `gridside-orchestrator: WARNING: ${who}, but runs get no cgroup of their own: ${cgroups.why}. A plugin's ` +
        'processes that cleared their environment cannot be found at the end of its run. Under systemd: ' +
        'ProtectControlGroups=no and Delegate=yes (deploy/run-as.conf).',
    );
  }
  return notices;
}

const cgroupDir = (base: string, runId: string): string =>
  path.join(base, `gridside-run-${runId.replace(/[^A-Za-z0-9-]/g, '')}`);

/**
 * Moves a just-started plugin process into a new cgroup for its run. Resolves false when that cannot be
 * done (not root, no cgroup v2, a read-only hierarchy): then only the marker sweep applies.
 *
 * Asynchronous on purpose: the kernel moves a process between cgroups only after an RCU grace period, so
 * the write to `cgroup.procs` sleeps 5–30 ms (12 ms at p50 on a 2-core host). Made synchronously it held
 * the orchestrator's thread that long for every run: no request answered, no other run started or ended
 * meanwhile. The caller waits for it before the run's end kills and removes the cgroup.
 *
 * Every call here that changes the cgroup tree goes to the thread pool (`onPool`): while another run's
 * move holds the kernel's cgroup lock, even a `mkdir` waits for it (up to 15 ms seen at concurrency 4).
 * Opening and reading a cgroup's files takes microseconds and stays on the thread.
 */
export async function enterRunCgroup(runId: string, pid: number | undefined): Promise<boolean> {
  const base = findCgroupBase();
  if (!base || pid === undefined) return false;
  const dir = cgroupDir(base, runId);
  let fd: number;
  try {
    await onPool((done) => mkdir(dir, { recursive: true }, done));
    fd = openSync(path.join(dir, 'cgroup.procs'), 'w');
  } catch {
    return false;
  }
  const written = await onPool((done) => write(fd, String(pid), done)).then(
    () => true,
    () => false,
  );
  closeSync(fd);
  return written;
}

/** One call on the thread pool, as a promise (one trip: `fs.promises` takes one per open, write, close). */
function onPool(call: (done: (error: NodeJS.ErrnoException | null) => void) => void): Promise<void> {
  return new Promise((resolve, reject) => call((error) => (error ? reject(error) : resolve())));
}

/**
 * Kills everything in the run's cgroup and removes it (once the kernel has emptied it). True when the run
 * had a cgroup and the kernel reported it empty. A cgroup the kernel already reports empty (the plugin
 * ended and left nothing) is only removed: nothing can enter it but what the orchestrator moves there.
 */
export async function killRunCgroup(runId: string): Promise<boolean> {
  const base = findCgroupBase();
  if (!base) return false;
  const dir = cgroupDir(base, runId);
  if (!existsSync(dir)) return false;
  const procs = (): number[] => {
    try {
      return readFileSync(path.join(dir, 'cgroup.procs'), 'utf8').split('\n').filter(Boolean).map(Number);
    } catch {
      return [];
    }
  };
  const populated = (): boolean => {
    try {
      return /^populated 1$/m.test(readFileSync(path.join(dir, 'cgroup.events'), 'utf8'));
    } catch {
      return false;
    }
  };
  const empty = (): boolean => procs().length === 0 && !populated();
  let emptied = empty();
  if (!emptied) {
    let fd: number | undefined;
    try {
      fd = openSync(path.join(dir, 'cgroup.kill'), 'w');
      const kill = fd;
      await onPool((done) => write(kill, '1', done));
    } catch {
      // Kernels before 5.14 have no cgroup.kill: kill what is listed, the sweep below repeats it.
    } finally {
      if (fd !== undefined) closeSync(fd);
    }
  }
  for (let attempt = 0; attempt < 100 && !emptied; attempt++) {
    // Empty only once the kernel says so: dying processes still hold the cgroup for a moment.
    const left = procs();
    if (left.length === 0 && !populated()) {
      emptied = true;
      break;
    }
    for (const pid of left) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // Already gone.
      }
    }
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  await onPool((done) => rmdir(dir, done)).catch((error: NodeJS.ErrnoException) => {
    process.stderr.write(
      `gridside-orchestrator: could not remove ${dir} (${error.code}); remove it once empty\n`,
    );
  });
  return emptied;
}

/**
 * Everything a run may have left behind, by cgroup and by marker. `unprivileged`: the plugin ran as a
 * user other than root. Answers `sweep-after-end` when the run was contained (see above) and the marker
 * sweep is left for `killMarkedProcesses` once the run's end is recorded.
 */
export async function killRunLeftovers(
  runId: string,
  unprivileged = false,
  since?: PidMark,
): Promise<'swept' | 'sweep-after-end'> {
  if ((await killRunCgroup(runId)) && unprivileged) return 'sweep-after-end';
  killMarkedProcesses(runId, since);
  return 'swept';
}
