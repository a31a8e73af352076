import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import {
  killMarkedProcesses,
  newPidRange,
  type PidMark,
  pidMark,
  runMarker,
} from '../../../src/orchestrator/run-cleanup.ts';

/**
 * The end-of-run sweep reads the environment only of processes created since the plugin started, while the
 * kernel's pid counter cannot have gone all the way round; otherwise of every process.
 */

const mark = (over: Partial<PidMark> = {}): PidMark => ({
  lastPid: 20_000,
  forks: 1_000_000,
  tasks: 300,
  pidMax: 32_768,
  ...over,
});

describe('newPidRange', () => {
  it('is the pids handed out since the mark, while the counter cannot have wrapped', () => {
    expect(newPidRange(mark(), mark({ lastPid: 20_040, forks: 1_000_040 }))).toEqual([20_000, 20_040]);
  });

  it('is every pid once the counter went lower (it wrapped)', () => {
    expect(newPidRange(mark(), mark({ lastPid: 400, forks: 1_012_800 }))).toBeUndefined();
  });

  it('is every pid once enough were handed out to go all the way round, even if the counter is higher', () => {
    // 16,100 creations beside 300 tasks could have gone round a 32,768 ring (300 reserved) past the mark.
    expect(newPidRange(mark(), mark({ lastPid: 20_100, forks: 1_016_100 }))).toBeUndefined();
    expect(newPidRange(mark(), mark({ lastPid: 20_100, forks: 1_016_000 }))).toEqual([20_000, 20_100]);
  });

  it('is every pid without a mark (a run found after a crash) or where the counters cannot be read', () => {
    expect(newPidRange(undefined, mark())).toBeUndefined();
    expect(newPidRange(mark(), undefined)).toBeUndefined();
  });
});

const running = (pid: number): boolean => {
  try {
    return !/^\d+ \(.*\) [ZX]/s.test(readFileSync(`/proc/${pid}/stat`, 'latin1'));
  } catch {
    return false;
  }
};
const children: ChildProcess[] = [];
const sleeper = (runId: string): ChildProcess => {
  const child = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60000)'], {
    detached: true,
    stdio: 'ignore',
    env: { ...process.env, GRIDSIDE_RUN_ID: runId },
  });
  children.push(child);
  return child;
};
afterEach(() => {
  for (const child of children.splice(0)) child.kill('SIGKILL');
});

describe.skipIf(process.platform !== 'linux')(
  'killMarkedProcesses with the mark taken before the plugin',
  () => {
    it("reads the kernel's own counters: the last pid as ns_last_pid has it, the forks since boot", () => {
      const lastPid = () => Number(readFileSync('/proc/sys/kernel/ns_last_pid', 'latin1'));
      const forks = () => Number(/^processes (\d+)$/m.exec(readFileSync('/proc/stat', 'latin1'))?.[1]);
      const low = { lastPid: lastPid(), forks: forks() };
      const now = pidMark();
      const high = { lastPid: lastPid(), forks: forks() };
      // Another process may start between the reads: the mark lies between the two readings.
      expect(now!.lastPid).toBeGreaterThanOrEqual(low.lastPid);
      expect(now!.lastPid).toBeLessThanOrEqual(high.lastPid);
      expect(now!.forks).toBeGreaterThanOrEqual(low.forks);
      expect(now!.forks).toBeLessThanOrEqual(high.forks);
      expect(now!.pidMax).toBe(Number(readFileSync('/proc/sys/kernel/pid_max', 'latin1')));
      expect(now!.tasks).toBeGreaterThan(0);
      // A pid handed out after the mark is above it.
      const child = sleeper('run-count');
      expect(child.pid!).toBeGreaterThan(now!.lastPid);
    });

    it('kills a detached process the run created, carrying its marker', () => {
      const before = pidMark();
      expect(before).toBeDefined();
      const child = sleeper('run-new');
      expect(child.pid! > before!.lastPid).toBe(true);
      expect(killMarkedProcesses('run-new', before)).toBe(1);
      expect(running(child.pid!)).toBe(false);
    });

    it("reads only processes created since the mark: one started before it is not the run's", () => {
      const older = sleeper('run-old');
      const before = pidMark();
      expect(runMarker('run-old')).toBe('GRIDSIDE_RUN_ID=run-old');
      expect(killMarkedProcesses('run-old', before)).toBe(0);
      expect(running(older.pid!)).toBe(true);
      // Without a mark (after a crash) the sweep reads every process, and finds it.
      expect(killMarkedProcesses('run-old')).toBe(1);
    });
  },
);
