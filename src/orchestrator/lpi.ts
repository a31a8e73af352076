import { existsSync } from 'node:fs';
import { mkdir, rm } from 'node:fs/promises';
import path from 'node:path';
import * as tar from 'tar';

/**
 * `.lpi` packages are gzip-compressed tar archives (`Plugin/bin/actions.xml` + scripts,
 * `Plugin/config/actions.xml`, whichever the archive has). They are extracted into a
 * folder the orchestrator owns. An archive with an absolute path, a `..` segment or any link is refused
 * as a whole rather than partly extracted: such an entry has no business in a plugin and is how
 * archive-extraction attacks write outside the target folder. So is one that unpacks to more than
 * MAX_UNPACKED: a small archive must not unpack into a disk-filling bomb, and an upload is unpacked
 * before its signature can be judged.
 */

export class LpiError extends Error {}

/** Unpacked size cap for every plugin package, `.lpi` or zip. */
export const MAX_UNPACKED = 200 * 1024 * 1024;

/** The mode bits a packaged file keeps: read and execute for all, write for its owner alone. */
const PACKAGE_MODE_BITS = 0o755;
const TOO_LARGE = 'unpacks to more than 200 MB';

/**
 * Why a package could not be written out, in its own terms: the error of a failed write names the
 * server's folders, which the admin neither needs nor should see. A file and a folder of one name (both
 * `p/a` and `p/a/b`) is the package's doing; anything else is named by its code.
 */
export function unpackProblem(entryPath: string, error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'EEXIST' || code === 'ENOTDIR' || code === 'EISDIR' || code === 'ENOTEMPTY') {
    return `${entryPath}: a file and a folder of the same name`;
  }
  return `${entryPath}: cannot be unpacked (${code ?? 'unknown error'})`;
}

const isUnsafePath = (entryPath: string): boolean => {
  if (entryPath.startsWith('/') || entryPath.startsWith('\\') || /^[a-zA-Z]:/.test(entryPath)) return true;
  return entryPath.split(/[\\/]/).includes('..');
};

export async function extractLpi(archive: string, target: string): Promise<string> {
  const problems: string[] = [];
  // Sizes from the entries' headers: the listing inflates the archive but writes nothing.
  let listed = 0;
  await tar
    .t({
      file: archive,
      onReadEntry: (entry) => {
        listed += entry.size ?? 0;
        if (isUnsafePath(entry.path)) problems.push(`${entry.path}: absolute path or ".." is not allowed`);
        else if (entry.type !== 'File' && entry.type !== 'OldFile' && entry.type !== 'Directory') {
          problems.push(`${entry.path}: ${entry.type} entries are not allowed (files and folders only)`);
        } else if (listed > MAX_UNPACKED) problems.push(TOO_LARGE);
      },
    })
    .catch((error: unknown) => {
      problems.push(`not a readable gzip tar archive (${(error as Error).message})`);
    });
  if (problems.length > 0) throw new LpiError(`${path.basename(archive)}: ${problems[0]}`);

  await rm(target, { recursive: true, force: true });
  await mkdir(target, { recursive: true });
  // Counted again as it unpacks: the archive in the plugins folder can be swapped after its listing.
  let unpacked = 0;
  await tar
    .x({
      file: archive,
      cwd: target,
      strict: true,
      preservePaths: false,
      // The archive names the owner each file had where the package was built. Unpacked as root, tar
      // would give them that owner; the orchestrator owns what it unpacks.
      preserveOwner: false,
      // Belt and braces: the listing above already refused anything else.
      filter: (entryPath, entry) => {
        if (isUnsafePath(entryPath) || !('type' in entry)) return false;
        if (entry.type !== 'File' && entry.type !== 'Directory') return false;
        // No setuid, setgid or sticky bit, and no one but the owner may write: a root-owned setuid file
        // would let a plugin that runs as an unprivileged account run it as root.
        if (typeof entry.mode === 'number') entry.mode &= PACKAGE_MODE_BITS;
        unpacked += entry.size ?? 0;
        return unpacked <= MAX_UNPACKED;
      },
    })
    .catch((error: unknown) => {
      const entry = (error as { entry?: { path?: string } }).entry?.path ?? 'an entry';
      throw new LpiError(`${path.basename(archive)}: ${unpackProblem(entry, error)}`);
    });
  if (unpacked > MAX_UNPACKED) {
    await rm(target, { recursive: true, force: true });
    throw new LpiError(`${path.basename(archive)}: ${TOO_LARGE}`);
  }
  const bin = path.join(target, 'Plugin', 'bin');
  if (!existsSync(path.join(bin, 'actions.xml'))) {
    throw new LpiError(`${path.basename(archive)}: no Plugin/bin/actions.xml inside`);
  }
  return bin;
}
