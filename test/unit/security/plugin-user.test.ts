import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { RunSchema } from '../../../src/core/api.ts';
import { lookupWithId } from '../../../src/orchestrator/run-as.ts';
import { client, rowContext } from '../../orchestrator/setup.ts';
import { type OrchestratorHandle, REPO_ROOT, startOrchestrator } from '../../support/orchestrator-process.ts';

/**
 * The real orchestrator started as root (this machine and CI run as root): plugins must run as the
 * configured unprivileged user, unable to read the orchestrator's database or change their own files;
 * without a runAs user it refuses to start unless root plugins were allowed, and then it warns.
 */

const PLUGINS = 'test/fixtures/security/run-as-plugins';
const TOKEN = 'whoami-analyst-token-0123456789';
const asRoot = process.getuid?.() === 0;
const config = (extra: Record<string, unknown> = {}) => ({
  tokens: [{ name: 'ana', roles: ['analyst'], token: TOKEN }],
  ...extra,
});

interface Whoami {
  uid: number;
  gid: number;
  groups: number[];
  read: string | null;
  write: string | null;
}

async function whoami(orch: OrchestratorHandle, params: Record<string, string>): Promise<Whoami> {
  const answer = await client(orch, TOKEN).run('test-whoami/who-am-i', params, rowContext({}));
  const run = RunSchema.parse(answer.body);
  expect(run.status, run.reason ?? '').toBe('succeeded');
  return JSON.parse(run.output?.stdout ?? '') as Whoami;
}

const started: OrchestratorHandle[] = [];
const start = async (options: Parameters<typeof startOrchestrator>[0]) => {
  const orch = await startOrchestrator({ ...options, asConfigured: true });
  started.push(orch);
  return orch;
};
afterAll(async () => {
  for (const orch of started) {
    await orch.stop();
    orch.cleanup();
  }
});

describe.skipIf(!asRoot)('plugins started by a root orchestrator', () => {
  it('run as the runAs user, who can neither read the database nor change the plugin', async () => {
    const orch = await start({ plugins: PLUGINS, config: config({ runAs: { user: 'nobody' } }) });
    const planted = path.join(orch.pluginsDir, 'whoami', 'planted.txt');
    const seen = await whoami(orch, { 'read-path': orch.db, 'write-path': planted });
    expect(seen.uid).toBe(lookupWithId('nobody', 'uid'));
    expect(seen.uid).toBe(65534);
    expect(seen.gid).toBe(lookupWithId('nobody', 'gid'));
    expect(seen.groups).not.toContain(0); // root's supplementary groups are dropped too
    expect(seen.read).toBe('EACCES');
    expect(seen.write).toBe('EACCES');
  });

  it('refuses to start without a runAs user, saying how to fix it', async () => {
    await expect(start({ plugins: PLUGINS, config: config() })).rejects.toThrow(
      /no runAs user is configured[\s\S]*--allow-root-plugins/,
    );
  });

  it('runs plugins as root only when allowed, with a loud warning', async () => {
    const orch = await start({ plugins: PLUGINS, config: config(), extraArgs: ['--allow-root-plugins'] });
    expect(orch.output().stderr).toMatch(/WARNING: PLUGINS RUN AS ROOT/);
    const planted = path.join(orch.workDir, 'planted-as-root.txt');
    // The contrast with the first test: as root, the same plugin reads the database and writes anywhere.
    expect(await whoami(orch, { 'read-path': orch.db, 'write-path': planted })).toMatchObject({
      uid: 0,
      read: 'ok',
      write: 'ok',
    });
    const viaConfig = await start({ plugins: PLUGINS, config: config({ allowRootPlugins: true }) });
    expect(viaConfig.output().stderr).toMatch(/WARNING: PLUGINS RUN AS ROOT/);
  });

  it('refuses to start when the runAs user cannot read the plugins', async () => {
    const privateDir = mkdtempSync(path.join(tmpdir(), 'gridside-private-plugins-'));
    try {
      cpSync(path.join(REPO_ROOT, PLUGINS), privateDir, { recursive: true }); // mkdtemp: 0700, root's
      await expect(
        start({ plugins: privateDir, copyPlugins: false, config: config({ runAs: { user: 'nobody' } }) }),
      ).rejects.toThrow(new RegExp(`"nobody".*cannot read: ${privateDir}`));
    } finally {
      rmSync(privateDir, { recursive: true, force: true });
    }
  });
});
