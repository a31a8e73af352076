import { statSync } from 'node:fs';
import path from 'node:path';
import { type PluginUser, permits } from './run-as.ts';

/**
 * The config holds tokens (an admin's among them) and the secrets plugins are given one at a time. A
 * plugin that can simply read the file gets all of them: a plugin once read an admin token that way. So
 * when plugins run as another user, the orchestrator checks that this user cannot reach the file (read
 * permission on it and search permission on every folder above) and refuses to start when it can, unless
 * an admin says otherwise (`allowReadableConfig` / `--allow-readable-config`, for demo configs whose tokens
 * are public anyway).
 */

export class ReadableSecretsError extends Error {}

/** Whether `user` can open `file` for reading. */
export function readableBy(
  file: string,
  user: PluginUser,
  stat: (file: string) => { mode: number; uid: number; gid: number } = statSync,
): boolean {
  const absolute = path.resolve(file);
  try {
    for (let dir = path.dirname(absolute); ; dir = path.dirname(dir)) {
      if (!permits(stat(dir), user, 1)) return false;
      if (dir === path.dirname(dir)) break;
    }
    return permits(stat(absolute), user, 4);
  } catch {
    return false; // a missing file is reported by whoever needs it
  }
}

/**
 * Warns about each secrets-bearing file the plugin user can read; throws when any can and that was not
 * allowed. Returns the warnings printed (for the caller's log).
 */
export function checkSecretFiles(
  files: readonly string[],
  user: PluginUser,
  allowReadable: boolean,
): string[] {
  const readable = files.filter((file) => readableBy(file, user));
  if (readable.length === 0) return [];
  const what =
    `plugins run as "${user.user}" (uid ${user.uid}), which can read ${readable.join(', ')}: ` +
    'every token and secret in it is within reach of any plugin';
  if (!allowReadable) {
    throw new ReadableSecretsError(
      `${what}. Make it readable by the orchestrator only (chmod 600, owned by root), or start with ` +
        '--allow-readable-config (or "allowReadableConfig": true) if its secrets are not secret.',
    );
  }
  return [`gridside-orchestrator: WARNING: ${what} (allowed by allowReadableConfig).`];
}
