import { execFile, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it, vi } from 'vitest';
import type { PluginUser } from '../../../src/orchestrator/run-as.ts';
import {
  type CleanupProbes,
  cleanupNotices,
  environUnreadableFor,
} from '../../../src/orchestrator/run-cleanup.ts';

/**
 * Under a service sandbox the end-of-run clean-up can lose both its means without an error: the sweep
 * skips processes whose environment it may not read, and a read-only cgroup tree only makes each run's
 * mkdir fail. When plugins run as another user the orchestrator checks both at start-up and says so.
 */

const PLUGINS: PluginUser = { user: 'gridside-plugins', uid: 990, gid: 990 };

const probes = (over: Partial<CleanupProbes> = {}): CleanupProbes => ({
  environ: async () => undefined,
  cgroups: () => ({ base: '/sys/fs/cgroup/system.slice/gridside-orchestrator.service', expected: true }),
  ...over,
});

describe('what the orchestrator says at start-up about cleaning up after runs', () => {
  it('says where run cgroups go, and nothing more, when both means work', async () => {
    expect(await cleanupNotices(PLUGINS, probes())).toEqual([
      'gridside-orchestrator: each run gets a cgroup of its own under /sys/fs/cgroup/system.slice/gridside-orchestrator.service',
    ]);
  });

  it("warns when it cannot read the plugin user's process environments, naming why and what to grant", async () => {
    const notices = await cleanupNotices(
      PLUGINS,
      probes({ environ: async () => '/proc/PID/environ: EACCES' }),
    );
    const warning = notices.find((line) => line.includes('WARNING'));
    expect(warning).toMatch(/plugins run as "gridside-plugins" \(uid 990\)/);
    expect(warning).toMatch(
      /cannot read the environment of that user's processes \(\/proc\/PID\/environ: EACCES\)/,
    );
    expect(warning).toMatch(/CAP_SYS_PTRACE and CAP_DAC_READ_SEARCH/);
    expect(warning).toMatch(/deploy\/run-as\.conf/);
  });

  it('warns when runs get no cgroup although they should (root on Linux), naming why', async () => {
    const notices = await cleanupNotices(
      PLUGINS,
      probes({ cgroups: () => ({ why: '/sys/fs/cgroup/x is not writable (EROFS)', expected: true }) }),
    );
    expect(notices).toHaveLength(1);
    expect(notices[0]).toMatch(
      /WARNING: .*runs get no cgroup of their own: \/sys\/fs\/cgroup\/x is not writable \(EROFS\)/,
    );
    expect(notices[0]).toMatch(/ProtectControlGroups=no and Delegate=yes/);
  });

  it('does not warn about cgroups where none were meant to apply (not root)', async () => {
    const notices = await cleanupNotices(
      PLUGINS,
      probes({ cgroups: () => ({ why: 'only root can move processes between cgroups', expected: false }) }),
    );
    expect(notices).toEqual([]);
  });

  it('checks nothing about another user when plugins run as the orchestrator itself', async () => {
    const environ = vi.fn(async () => 'EACCES');
    const notices = await cleanupNotices(
      undefined,
      probes({ environ, cgroups: () => ({ why: 'read-only', expected: true }) }),
    );
    expect(notices).toEqual([]);
    expect(environ).not.toHaveBeenCalled();
  });
});

const ROOT = path.resolve(import.meta.dirname, '../../..');
const TSX = path.join(ROOT, 'node_modules', '.bin', 'tsx');
const nobody = ((): PluginUser | undefined => {
  const id = (flag: string) => spawnSync('id', [flag, 'nobody'], { encoding: 'utf8' });
  const [uid, gid] = [id('-u'), id('-g')];
  return uid.status === 0 && gid.status === 0
    ? { user: 'nobody', uid: Number(uid.stdout), gid: Number(gid.stdout) }
    : undefined;
})();
const setpriv = spawnSync('which', ['setpriv']).status === 0;
const asRoot = process.platform === 'linux' && process.getuid?.() === 0 && nobody !== undefined;

describe.skipIf(!asRoot)('the real check, as root with nobody as the plugin user', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'gridside-reach-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("reads a nobody process's environment with root's full privileges", async () => {
    expect(await environUnreadableFor(nobody!)).toBeUndefined();
  });

  it.skipIf(!setpriv)(
    'says it cannot with only the capabilities to change user and to signal (the drop-in as it was)',
    async () => {
      const script = path.join(dir, 'reach.mts');
      writeFileSync(
        script,
        `import { environUnreadableFor } from ${JSON.stringify(path.join(ROOT, 'src/orchestrator/run-cleanup.ts'))};\n` +
          `const user = ${JSON.stringify(nobody)};\n` +
          'process.stdout.write(JSON.stringify({ why: (await environUnreadableFor(user)) ?? null }));\n',
      );
      const run = async (caps: string) =>
        JSON.parse(
          (
            await promisify(execFile)('setpriv', [`--bounding-set=-all,${caps}`, TSX, script], {
              cwd: ROOT,
              timeout: 60_000,
            })
          ).stdout,
        ) as { why: string | null };
      const [before, ptraceOnly, readSearchOnly, both] = await Promise.all([
        run('+setuid,+setgid,+kill'),
        run('+setuid,+setgid,+kill,+sys_ptrace'),
        run('+setuid,+setgid,+kill,+dac_read_search'),
        run('+setuid,+setgid,+kill,+sys_ptrace,+dac_read_search'),
      ]);
      expect(before.why).toMatch(/EACCES|ENOENT/);
      // Either capability alone is not enough: the file is nobody's (0400) and the kernel asks for ptrace access.
      expect(ptraceOnly.why).toMatch(/EACCES/);
      expect(readSearchOnly.why).toMatch(/EACCES/);
      expect(both.why).toBeNull();
    },
    120_000,
  );
});
