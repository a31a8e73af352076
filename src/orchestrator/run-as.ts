import { spawnSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';

/**
 * Which operating-system user plugin processes run as. SmartResponse actions are highly privileged (they
 * disable accounts, quarantine hosts) and their arguments come from attacker-written log rows, so a plugin
 * must never inherit root from the orchestrator by accident. When the orchestrator runs as root it drops
 * every plugin process to the configured unprivileged user (`runAs`); with no `runAs` it refuses to start
 * unless root plugins were allowed explicitly (`--allow-root-plugins` / `allowRootPlugins: true`), and then
 * it says so loudly.
 */

export const RunAsConfigSchema = z
  .object({
    /** The account plugins run as, e.g. `gridside-plugins` (never the orchestrator's own) or `nobody`. */
    user: z.string().min(1).max(64),
    /** Numeric ids, when the name is not resolvable on this host (containers without NSS). */
    uid: z.number().int().min(0).optional(),
    gid: z.number().int().min(0).optional(),
  })
  .strict();
export type RunAsConfig = z.infer<typeof RunAsConfigSchema>;

/** The uid and gid handed to `spawn`; `undefined` means "as the orchestrator itself". */
export interface PluginUser {
  user: string;
  uid: number;
  gid: number;
}

export interface PluginUserDecision {
  /** Spawn plugins with these ids, or as the orchestrator's own user when undefined. */
  pluginUser: PluginUser | undefined;
  /** Lines for stderr (warnings and notices); the orchestrator prints each as is. */
  notices: string[];
}

export class RunAsError extends Error {}

/** Account names as `useradd` accepts them; a leading `-` would be read as an option by `id`. */
const USER_NAME = /^[A-Za-z_][A-Za-z0-9_.-]*\$?$/;

export type IdLookup = (user: string, which: 'uid' | 'gid') => number | undefined;

/** `id -u NAME` / `id -g NAME`, without a shell (the name is checked first and passed as one argument). */
export const lookupWithId: IdLookup = (user, which) => {
  if (!USER_NAME.test(user)) return undefined;
  const result = spawnSync('id', [which === 'uid' ? '-u' : '-g', user], {
    shell: false,
    encoding: 'utf8',
    timeout: 5000,
  });
  if (result.status !== 0) return undefined;
  const id = Number(result.stdout.trim());
  return Number.isInteger(id) && id >= 0 ? id : undefined;
};

export function resolvePluginUser(runAs: RunAsConfig, lookup: IdLookup = lookupWithId): PluginUser {
  if (!USER_NAME.test(runAs.user) && (runAs.uid === undefined || runAs.gid === undefined)) {
    throw new RunAsError(`runAs.user: "${runAs.user}" is not an account name`);
  }
  const uid = runAs.uid ?? lookup(runAs.user, 'uid');
  const gid = runAs.gid ?? lookup(runAs.user, 'gid');
  if (uid === undefined || gid === undefined) {
    throw new RunAsError(
      `runAs.user: no account "${runAs.user}" on this host (create it, e.g. \`useradd --system --no-create-home ${runAs.user}\`, or give runAs.uid and runAs.gid)`,
    );
  }
  if (uid === 0 || gid === 0) {
    throw new RunAsError(
      `runAs.user: "${runAs.user}" is root (uid ${uid}, gid ${gid}); name an unprivileged account`,
    );
  }
  return { user: runAs.user, uid, gid };
}

export interface PluginUserInput {
  /** `process.getuid?.()`: undefined on Windows, where there is nothing to drop to. */
  orchestratorUid: number | undefined;
  runAs: RunAsConfig | undefined;
  allowRootPlugins: boolean;
  lookup?: IdLookup;
}

export function decidePluginUser(input: PluginUserInput): PluginUserDecision {
  const { orchestratorUid, runAs, allowRootPlugins } = input;
  if (orchestratorUid !== 0) {
    // Not root: plugins already run unprivileged (as this user), and only root could switch to another.
    const notices =
      runAs && orchestratorUid !== undefined
        ? [
            `gridside-orchestrator: not running as root, so runAs "${runAs.user}" is not applied; plugins run as uid ${orchestratorUid}`,
          ]
        : [];
    return { pluginUser: undefined, notices };
  }
  if (runAs) return { pluginUser: resolvePluginUser(runAs, input.lookup), notices: [] };
  if (!allowRootPlugins) {
    throw new RunAsError(
      'the orchestrator is running as root and no runAs user is configured, so plugins would run as root. ' +
        'Add "runAs": { "user": "gridside-plugins" } (an unprivileged account of its own, not the ' +
        "orchestrator's) to the config, or start with " +
        '--allow-root-plugins if you really mean every plugin to run as root.',
    );
  }
  return {
    pluginUser: undefined,
    notices: [
      'gridside-orchestrator: WARNING: PLUGINS RUN AS ROOT (--allow-root-plugins / allowRootPlugins). ' +
        'Any plugin, and any value a log row smuggles into one, acts with full control of this host. ' +
        'Configure "runAs" with an unprivileged user instead.',
    ],
  };
}

/** The subset of `fs.Stats` the permission check reads. */
export interface ModeBits {
  mode: number;
  uid: number;
  gid: number;
}

/**
 * Whether `user` may do `want` (bits of 4 = read, 2 = write, 1 = search/execute) on a file with `stat`.
 * Owner, then group, then other, as the kernel decides. Only the primary group counts: Node drops
 * supplementary groups (`setgroups(0)`) when it spawns with a uid.
 */
export function permits(stat: ModeBits, user: PluginUser, want: number): boolean {
  const bits =
    stat.uid === user.uid
      ? (stat.mode >> 6) & 7
      : stat.gid === user.gid
        ? (stat.mode >> 3) & 7
        : stat.mode & 7;
  return (bits & want) === want;
}

type StatFn = (file: string) => ModeBits & { isDirectory(): boolean };

/**
 * Lists what the plugin user could not reach under `root`: a folder on the way that it cannot enter, or a
 * file or folder inside it cannot read. Empty means every plugin file is readable by that user.
 */
export function unreadableFor(
  root: string,
  user: PluginUser,
  stat: StatFn = statSync,
  list: (dir: string) => string[] = (dir) => readdirSync(dir),
  limit = 20,
): string[] {
  const problems: string[] = [];
  const absolute = path.resolve(root);
  // Every folder above must be searchable (x), or nothing below can be opened.
  let parent = path.dirname(absolute);
  const above: string[] = [];
  while (parent !== path.dirname(parent)) {
    above.unshift(parent);
    parent = path.dirname(parent);
  }
  for (const dir of above) {
    if (!permits(stat(dir), user, 1)) problems.push(`${dir} (cannot enter)`);
  }
  const walk = (file: string, depth: number): void => {
    if (problems.length >= limit) return;
    const info = stat(file);
    if (info.isDirectory()) {
      if (!permits(info, user, 5)) {
        problems.push(`${file} (cannot list)`);
        return;
      }
      if (depth > 8) return;
      for (const name of list(file)) walk(path.join(file, name), depth + 1);
    } else if (!permits(info, user, 4)) {
      problems.push(`${file} (cannot read)`);
    }
  };
  walk(absolute, 0);
  return problems;
}

/** Refuses to start when plugins could not read their own files as the plugin user. */
export function assertReadableBy(dirs: readonly string[], user: PluginUser): void {
  const problems = dirs.flatMap((dir) => unreadableFor(dir, user));
  if (problems.length === 0) return;
  throw new RunAsError(
    `plugins run as "${user.user}" (uid ${user.uid}), which cannot read: ${problems.slice(0, 5).join(', ')}` +
      `${problems.length > 5 ? ` and ${problems.length - 5} more` : ''}. Make them readable by that user (chmod o+rX, or chgrp to its group).`,
  );
}
