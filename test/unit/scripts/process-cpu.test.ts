import { describe, expect, it } from 'vitest';
import {
  type CpuOwners,
  cpuBetween,
  describeCpu,
  type ProcessStat,
  parseStat,
  readProcesses,
} from '../../../scripts/support/process-cpu.ts';

const owners: CpuOwners = { browserProfile: '/tmp/gridside-profile-x', orchestratorPid: 200, benchPid: 100 };

const proc = (
  pid: number,
  ppid: number,
  cmdline: string,
  cpuMs: number,
  reapedChildrenMs = 0,
): ProcessStat => ({
  pid,
  ppid,
  cmdline,
  cpuMs,
  reapedChildrenMs,
});

/** The processes of a bench run: Chromium's tree, the orchestrator's, the bench, and someone else's work. */
function machine(cpu: (pid: number) => number, reaped = 0): ProcessStat[] {
  return [
    proc(1, 0, '/sbin/init', cpu(1)),
    proc(100, 50, 'node scripts/bench-verdict.ts', cpu(100)),
    proc(110, 100, '/usr/lib/chromium/chromium --user-data-dir=/tmp/gridside-profile-x --headless', cpu(110)),
    proc(111, 110, '/usr/lib/chromium/chromium --type=zygote', cpu(111)),
    proc(112, 111, '/usr/lib/chromium/chromium --type=renderer --renderer-client-id=5', cpu(112)),
    proc(113, 111, '/usr/lib/chromium/chromium --type=renderer --extension-process', cpu(113)),
    proc(114, 110, '/usr/lib/chromium/chromium --type=gpu-process', cpu(114)),
    proc(
      115,
      110,
      '/usr/lib/chromium/chromium --type=utility --utility-sub-type=network.mojom.NetworkService',
      cpu(115),
    ),
    proc(
      116,
      110,
      '/usr/lib/chromium/chromium --type=utility --utility-sub-type=storage.mojom.StorageService',
      cpu(116),
    ),
    proc(200, 100, 'node bin/gridside-orchestrator.js serve', cpu(200)),
    proc(201, 200, 'node -e var __name = (target) => target;', cpu(201), reaped),
    proc(300, 1, '/usr/lib/chromium/chromium --user-data-dir=/root/.config/chromium', cpu(300)),
  ];
}

describe('parseStat', () => {
  it('reads the fields after the last parenthesis, whatever the command name holds', () => {
    const stat = '4242 (Web Content) (x)) S 17 4242 4242 0 -1 4194560 100 0 0 0 250 75 30 12 20 0 9 0';
    expect(parseStat(4242, stat, 'node a.js')).toEqual({
      pid: 4242,
      ppid: 17,
      cpuMs: 3250,
      reapedChildrenMs: 420,
      cmdline: 'node a.js',
    });
  });

  it('answers nothing for a line it cannot read', () => {
    expect(parseStat(1, '1 (init) S', '')).toBeUndefined();
  });
});

describe('cpuBetween', () => {
  it("gives every process of the bench's machine its role and leaves other work out", () => {
    const before = machine(() => 1000);
    const after = machine((pid) => 1000 + pid, 700);
    const used = cpuBetween(before, after, owners);
    expect(Object.fromEntries(used)).toEqual({
      plugins: 700,
      'console page': 112,
      extension: 113,
      browser: 110,
      GPU: 114,
      network: 115,
      'other Chromium': 111 + 116,
      orchestrator: 200,
      'spawning helper': 201,
      bench: 100,
    });
  });

  it("counts a plugin still running as the plugins', and one reaped meanwhile once", () => {
    const running = proc(202, 201, 'node plugin.js 10.0.0.1', 40);
    const before = [...machine(() => 0), running];
    const after = machine(() => 0, 90); // the plugin ended at 90 ms and the helper reaped it
    // 40 ms of the first plugin's 90 came before the first reading.
    expect(
      cpuBetween(before, [...after, proc(203, 201, 'node plugin.js 10.0.0.2', 30)], owners).get('plugins'),
    ).toBe(90 - 40 + 30);
  });

  it('counts a pid given to a new process from zero, and takes nothing away for a process that ended', () => {
    const before = [...machine(() => 0), proc(120, 110, '/usr/lib/chromium/chromium --type=renderer', 500)];
    const after = [...machine(() => 0), proc(121, 110, '/usr/lib/chromium/chromium --type=renderer', 60)];
    expect(cpuBetween(before, after, owners).get('console page')).toBe(60);
    const reused = [...machine(() => 0), proc(120, 110, '/usr/lib/chromium/chromium --type=gpu-process', 20)];
    expect(cpuBetween(before, reused, owners).get('GPU')).toBe(20);
  });

  it("counts the plugins an orchestrator without its helper spawned itself as the plugins'", () => {
    const alone = (cpu: number, reaped: number) =>
      machine(() => cpu)
        .map((p) => (p.pid === 200 ? { ...p, reapedChildrenMs: reaped } : p))
        .filter((p) => p.pid !== 201);
    const used = cpuBetween(alone(0, 0), [...alone(10, 300), proc(205, 200, 'node plugin.js', 25)], owners);
    expect(used.get('plugins')).toBe(325);
    expect(used.get('orchestrator')).toBe(10);
    expect(used.get('spawning helper')).toBe(0);
  });
});

describe('describeCpu', () => {
  /** One reading: the plugins', the console page's (pid 112) and the orchestrator's (pid 200) CPU. */
  const reading = (plugins: number, page: number, orchestrator: number) =>
    cpuBetween(
      machine(() => 0),
      machine((pid) => (pid === 112 ? page : pid === 200 ? orchestrator : 0), plugins),
      owners,
    );

  it("sets the plugins' CPU beside everything else's, the largest first, from the medians", () => {
    const line = describeCpu([reading(1000, 200, 50), reading(1400, 300, 90), reading(1200, 250, 70)]);
    expect(line).toBe(
      "plugins 1200 ms; everything else 320 ms (0.27× the plugins'): console page 250, orchestrator 70",
    );
  });

  it('averages short readings (single runs, 10 ms resolution) by their mean instead', () => {
    const line = describeCpu([reading(90, 50, 10), reading(100, 60, 20), reading(110, 60, 20)], 'mean');
    expect(line).toBe(
      "plugins 100 ms; everything else 73.3 ms (0.73× the plugins'): console page 56.7, orchestrator 16.7",
    );
  });

  it('says nothing when no plugin CPU was read (no /proc)', () => {
    expect(describeCpu([])).toBeUndefined();
    expect(describeCpu([cpuBetween([], [], owners)])).toBeUndefined();
  });
});

describe.runIf(process.platform === 'linux')('readProcesses', () => {
  it('reads this process, its parent and its command line', () => {
    const self = readProcesses().find((p) => p.pid === process.pid);
    expect(self?.ppid).toBe(process.ppid);
    expect(self?.cmdline).toContain('node');
    expect(self?.cpuMs).toBeGreaterThan(0);
  });
});
