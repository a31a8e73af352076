import { existsSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import type { PluginFileChange } from '../core/plugins-api.ts';
import type { AuditEntry } from './audit.ts';
import { type HashCache, hashFile, hashFolder, IndirectionError, type Manifest } from './integrity.ts';
import type { Verdict } from './plugin-signature.ts';
import { fileChanges } from './plugin-trust.ts';

/**
 * The pieces of file-integrity monitoring that need no registry state: which packages a plugins folder
 * holds, how a plugin differs from its trusted manifest, and the audit record of such a difference.
 */

/** Manifest key holding the `.lpi` archive's own hash. */
export const ARCHIVE_KEY = ':archive';

/**
 * The name an upload's package has in the plugins folder while Gridside writes it there, before it takes
 * the installed package's place (plugin-upload.ts): never a package of its own.
 */
export const SAVING_PREFIX = '.gridside-saving-';

/** Every plugin package in the folder: sub-folders holding an actions.xml, and `.lpi` files. */
export async function pluginSources(
  pluginsDir: string,
): Promise<{ source: string; kind: 'folder' | 'lpi' }[]> {
  const entries = await readdir(pluginsDir, { withFileTypes: true });
  entries.sort((a, b) => (a.name < b.name ? -1 : 1));
  return entries.flatMap((entry): { source: string; kind: 'folder' | 'lpi' }[] => {
    const source = path.join(pluginsDir, entry.name);
    if (entry.name.startsWith(SAVING_PREFIX)) return [];
    if (entry.isFile() && /\.lpi$/i.test(entry.name)) return [{ source, kind: 'lpi' }];
    if (entry.isDirectory() && existsSync(path.join(source, 'actions.xml')))
      return [{ source, kind: 'folder' }];
    return [];
  });
}

/**
 * Every file of the plugin that differs from the trusted manifest, the `.lpi` archive itself included
 * (listed under its file name). A folder that cannot be read counts as all its files removed.
 */
export async function changesSinceTrusted(
  entry: { source: string; dir: string },
  trustedManifest: Manifest,
  cache: HashCache,
): Promise<PluginFileChange[]> {
  const trusted = new Map(trustedManifest);
  const archive = trusted.get(ARCHIVE_KEY);
  trusted.delete(ARCHIVE_KEY);
  const changes: PluginFileChange[] = [];
  if (archive) {
    const now = existsSync(entry.source) ? await hashFile(entry.source, cache) : null;
    if (now !== archive.sha256) {
      changes.push({ path: path.basename(entry.source), before: archive.sha256, after: now });
    }
  }
  let now: Manifest;
  try {
    now = await hashFolder(entry.dir, cache);
  } catch (error) {
    // Unreadable counts as every file removed, with the reason in words (never the server's paths).
    const problem = error instanceof IndirectionError ? error.message : describeFsError(error, entry.dir);
    const removed = fileChanges(trusted, new Map());
    if (removed[0]) removed[0] = { ...removed[0], problem };
    return [...changes, ...removed];
  }
  return [...changes, ...fileChanges(trusted, now)];
}

/** The audit record of a change made outside Gridside: every file with its old and new hash. */
export function filesChangedRecord(id: string, changes: PluginFileChange[]): AuditEntry {
  return {
    actor: 'system',
    event: 'plugin.files-changed',
    params: Object.fromEntries(
      changes.map((c) => [c.path, `${c.before ?? '(none)'} -> ${c.after ?? '(none)'}`]),
    ),
    outcome: `plugin "${id}": plugin files changed outside Gridside: ${changes.map((c) => c.path).join(', ')}`,
  };
}

export function describeVerdict(verdict: Verdict): string {
  if (verdict.state === 'signed') {
    return `signed by "${verdict.signer}" (trusted key "${verdict.keyName}", ${verdict.keyId})`;
  }
  return `unsigned: ${verdict.reason}`;
}

/**
 * A file-system error in words for the analyst, who sees `unavailableReason`: the code (`ENOENT`), never the
 * server's paths (`scandir '/srv/…/plugins/x'`). The full message goes to the orchestrator's stderr.
 */
export function describeFsError(error: unknown, dir: string): string {
  process.stderr.write(`gridside-orchestrator: ${dir}: ${(error as Error).message}\n`);
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') return 'the plugin folder is gone';
  if (code === 'EACCES' || code === 'EPERM') return 'the orchestrator may not read the plugin folder';
  return `the plugin folder cannot be read (${code ?? 'read error'})`;
}
