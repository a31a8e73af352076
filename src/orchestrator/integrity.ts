import { createHash } from 'node:crypto';
import { lstatSync, readdirSync, type Stats, statSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';

/**
 * File-integrity manifests for plugin folders: sha256 of every file at import, compared again before each
 * run and by the integrity watch (plugin-watch.ts). A plugin whose files changed since an admin trusted
 * them is refused until an admin trusts it again, so a script swapped on disk cannot run under the
 * approval given to the old one.
 */

/**
 * A plugin folder may hold only regular files (each with one name) and folders. A symbolic link, a hard
 * link or a special file is refused rather than hashed: each lets what runs change without the folder's
 * own files changing.
 */
export class IndirectionError extends Error {
  constructor(what: string) {
    super(`${what}; a plugin folder may hold only regular files and folders`);
  }
}

/** Relative path (always `/`-separated) → `sha256:size`. */
export type Manifest = Map<string, { sha256: string; size: number }>;

/**
 * Hashes remembered by file identity (inode, size, mtime, ctime). ctime changes on every write and
 * cannot be set back with utimes(), so an unchanged stat means unchanged content for anyone short of
 * root (who could change the orchestrator itself). With a cache, a check costs a stat per file.
 */
export type HashCache = Map<string, { stat: string; sha256: string }>;

/** What an unchanged file keeps: its inode, size, mtime and ctime (see `HashCache`). */
const identity = (info: Stats): string => `${info.ino}:${info.size}:${info.mtimeMs}:${info.ctimeMs}`;

/**
 * How many folder entries the walk looks at between turns of the event loop. The walk lists and stats
 * synchronously: a few microseconds a call, where an asynchronous call waits for the thread pool and then
 * for the event loop, which on a busy host is milliseconds apiece, and the check runs before every run
 * (a five-file plugin's check took 3-15 ms while a browser shared the cores). A large folder still gives
 * way to the server's other work between slices. Changed files are read asynchronously.
 */
export const WALK_SLICE = 256;

export async function hashFolder(root: string, cache?: HashCache): Promise<Manifest> {
  const manifest: Manifest = new Map();
  let walked = 0;
  const walk = async (dir: string): Promise<void> => {
    const entries = readdirSync(dir, { withFileTypes: true });
    entries.sort((a, b) => (a.name < b.name ? -1 : 1));
    for (const entry of entries) {
      if (++walked % WALK_SLICE === 0) await new Promise((resolve) => setImmediate(resolve));
      const full = path.join(dir, entry.name);
      const rel = path.relative(root, full).split(path.sep).join('/');
      const info = lstatSync(full);
      if (info.isSymbolicLink()) {
        // Hashing the link would vouch for its path, not for what it points to, which can change freely.
        throw new IndirectionError(`${rel} is a symbolic link`);
      } else if (info.isDirectory()) {
        await walk(full);
      } else if (!info.isFile()) {
        throw new IndirectionError(`${rel} is not a regular file (a pipe, socket or device)`);
      } else if (info.nlink > 1) {
        // Another name for the same content, possibly outside the folder, where whoever owns it edits it.
        throw new IndirectionError(`${rel} is a hard link (${info.nlink} names for one file)`);
      } else {
        const stat = identity(info);
        const cached = cache?.get(full);
        if (cached && cached.stat === stat) {
          manifest.set(rel, { sha256: cached.sha256, size: info.size });
          continue;
        }
        const content = await readFile(full);
        const sha256 = createHash('sha256').update(content).digest('hex');
        cache?.set(full, { stat, sha256 });
        manifest.set(rel, { sha256, size: info.size });
      }
    }
  };
  await walk(root);
  return manifest;
}

/**
 * The sha256 of one file (the `.lpi` archive a plugin was imported from). With a cache it is read and
 * hashed again only when its identity changed, as the files of a folder are: a package that bundles
 * modules runs to megabytes, and it is checked twice per run.
 */
export async function hashFile(file: string, cache?: HashCache): Promise<string> {
  const stat = identity(statSync(file));
  const cached = cache?.get(file);
  if (cached && cached.stat === stat) return cached.sha256;
  const sha256 = createHash('sha256')
    .update(await readFile(file))
    .digest('hex');
  cache?.set(file, { stat, sha256 });
  return sha256;
}
