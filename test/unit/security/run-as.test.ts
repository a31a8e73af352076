import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  decidePluginUser,
  type IdLookup,
  lookupWithId,
  type PluginUser,
  permits,
  RunAsError,
  resolvePluginUser,
  unreadableFor,
} from '../../../src/orchestrator/run-as.ts';

/** A host with two accounts: `gridside` (990:990) and `root`. */
const lookup: IdLookup = (user, which) => {
  if (user === 'gridside') return which === 'uid' ? 990 : 990;
  if (user === 'root') return 0;
  return undefined;
};

describe('which user plugins run as', () => {
  it('drops plugins to the runAs user when the orchestrator is root', () => {
    const decision = decidePluginUser({
      orchestratorUid: 0,
      runAs: { user: 'gridside' },
      allowRootPlugins: false,
      lookup,
    });
    expect(decision.pluginUser).toEqual({ user: 'gridside', uid: 990, gid: 990 });
    expect(decision.notices).toEqual([]);
  });

  it('refuses to start as root without runAs, naming both ways out', () => {
    expect(() =>
      decidePluginUser({ orchestratorUid: 0, runAs: undefined, allowRootPlugins: false, lookup }),
    ).toThrow(RunAsError);
    try {
      decidePluginUser({ orchestratorUid: 0, runAs: undefined, allowRootPlugins: false, lookup });
    } catch (error) {
      expect((error as Error).message).toMatch(/runAs/);
      expect((error as Error).message).toMatch(/--allow-root-plugins/);
      // The account the deploy guide creates for plugins, not the orchestrator's own `gridside`.
      expect((error as Error).message).toMatch(/"runAs": \{ "user": "gridside-plugins" \}/);
    }
  });

  it('runs plugins as root only when allowed, and then warns loudly', () => {
    const decision = decidePluginUser({
      orchestratorUid: 0,
      runAs: undefined,
      allowRootPlugins: true,
      lookup,
    });
    expect(decision.pluginUser).toBeUndefined();
    expect(decision.notices.join('\n')).toMatch(/WARNING: PLUGINS RUN AS ROOT/);
  });

  it('prefers runAs over allowRootPlugins when both are given', () => {
    const decision = decidePluginUser({
      orchestratorUid: 0,
      runAs: { user: 'gridside' },
      allowRootPlugins: true,
      lookup,
    });
    expect(decision.pluginUser?.uid).toBe(990);
  });

  it('does not switch users when not root (it could not), and says runAs was not applied', () => {
    const decision = decidePluginUser({
      orchestratorUid: 1000,
      runAs: { user: 'gridside' },
      allowRootPlugins: false,
      lookup,
    });
    expect(decision.pluginUser).toBeUndefined();
    expect(decision.notices.join('\n')).toMatch(/not running as root.*uid 1000/);
    expect(
      decidePluginUser({ orchestratorUid: 1000, runAs: undefined, allowRootPlugins: false, lookup }).notices,
    ).toEqual([]);
  });

  it('refuses a runAs that is root, unknown, or not an account name', () => {
    expect(() => resolvePluginUser({ user: 'root' }, lookup)).toThrow(/is root/);
    expect(() => resolvePluginUser({ user: 'gridside', uid: 0, gid: 5 }, lookup)).toThrow(/is root/);
    expect(() => resolvePluginUser({ user: 'nosuchuser' }, lookup)).toThrow(/no account "nosuchuser"/);
    expect(() => resolvePluginUser({ user: '-u0' }, lookup)).toThrow(/not an account name/);
    expect(() => resolvePluginUser({ user: 'a b; rm -rf /' }, lookup)).toThrow(/not an account name/);
  });

  it('takes numeric ids from the config over the name lookup', () => {
    expect(resolvePluginUser({ user: 'gridside', uid: 4001, gid: 4002 }, lookup)).toEqual({
      user: 'gridside',
      uid: 4001,
      gid: 4002,
    });
  });

  it('resolves real names with id(1), without a shell', () => {
    expect(lookupWithId('root', 'uid')).toBe(0);
    expect(lookupWithId('$(touch /tmp/x)', 'uid')).toBeUndefined();
    expect(lookupWithId('no-such-user-gridside-test', 'uid')).toBeUndefined();
  });
});

describe('plugin files readable by the plugin user', () => {
  const user: PluginUser = { user: 'gridside', uid: 990, gid: 990 };

  it('decides by owner, then primary group, then other, as the kernel does', () => {
    expect(permits({ mode: 0o700, uid: 990, gid: 0 }, user, 4)).toBe(true);
    expect(permits({ mode: 0o077, uid: 990, gid: 990 }, user, 4)).toBe(false); // owner bits win
    expect(permits({ mode: 0o040, uid: 0, gid: 990 }, user, 4)).toBe(true);
    expect(permits({ mode: 0o704, uid: 0, gid: 990 }, user, 4)).toBe(false); // group bits win
    expect(permits({ mode: 0o604, uid: 0, gid: 0 }, user, 4)).toBe(true);
    expect(permits({ mode: 0o755, uid: 0, gid: 0 }, user, 5)).toBe(true);
    expect(permits({ mode: 0o744, uid: 0, gid: 0 }, user, 5)).toBe(false);
  });

  it('names the folder on the way that cannot be entered and the file that cannot be read', () => {
    const top = mkdtempSync(path.join(tmpdir(), 'gridside-runas-'));
    try {
      const plugin = path.join(top, 'plugins', 'whoami');
      mkdirSync(plugin, { recursive: true });
      writeFileSync(path.join(plugin, 'actions.xml'), '<x/>');
      writeFileSync(path.join(plugin, 'secret.txt'), 'x');
      // Pretend modes: the temp folder is private, secret.txt is root-only, the rest world-readable.
      const stat = (file: string) => {
        const mode =
          file === top ? 0o700 : file.endsWith('secret.txt') ? 0o600 : file.endsWith('.xml') ? 0o644 : 0o755;
        return { mode, uid: 0, gid: 0, isDirectory: () => !path.extname(file) || file === top };
      };
      const problems = unreadableFor(path.join(top, 'plugins'), user, stat);
      expect(problems).toContain(`${top} (cannot enter)`);
      expect(problems).toContain(`${path.join(plugin, 'secret.txt')} (cannot read)`);
      expect(problems.some((p) => p.includes('actions.xml'))).toBe(false);
    } finally {
      rmSync(top, { recursive: true, force: true });
    }
  });
});
