import { existsSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { pluginId } from '../core/srp/ids.ts';
import type { SrpPlugin } from '../core/srp/model.ts';
import { parseActionsXml } from '../core/srp/parse.ts';
import type { AuditLog } from './audit.ts';
import {
  describeChange,
  type HashCache,
  hashFile,
  hashFolder,
  IndirectionError,
  type Manifest,
} from './integrity.ts';
import { extractLpi } from './lpi.ts';
import type { Db } from './store.ts';

/**
 * The plugins the orchestrator serves: every folder holding an actions.xml and every `.lpi` archive in
 * the plugins directory. A plugin seen for the first time is imported (parsed, hashed, manifest stored);
 * a plugin already known is checked against its stored manifest, so files changed while the orchestrator
 * was down are caught too. The catalog always shows the actions as they were at import.
 */

export interface PluginEntry {
  /** From the plugin's Name (src/core/srp/ids.ts), so action ids are `<plugin-id>/<action-id>`. */
  id: string;
  kind: 'folder' | 'lpi';
  /** The folder or `.lpi` file in the plugins directory. */
  source: string;
  /** Where actions.xml and the scripts are; the plugin's working directory. */
  dir: string;
  model: SrpPlugin;
  available: boolean;
  unavailableReason?: string;
}

/** Manifest key holding the `.lpi` archive's own hash. */
const ARCHIVE_KEY = ':archive';

/** Folder name for an extracted `.lpi`: the archive's name, lower-cased, other characters turned into `-`. */
const extractFolderName = (name: string): string =>
  name
    .replace(/\.lpi$/i, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '') || 'plugin';

export class PluginRegistry {
  private readonly plugins = new Map<string, PluginEntry>();
  /** Per plugin: file hashes by stat, so the check before each run re-hashes only files that changed. */
  private readonly hashCaches = new Map<string, HashCache>();
  /** Bumped whenever a plugin is imported or marked unavailable, so the catalog knows to rebuild. */
  version = 0;

  constructor(
    private readonly db: Db,
    private readonly audit: AuditLog,
    private readonly dataDir: string,
  ) {}

  list(): PluginEntry[] {
    return [...this.plugins.values()];
  }

  get(id: string): PluginEntry | undefined {
    return this.plugins.get(id);
  }

  /** Scans the plugins directory. `reimportAll` trusts whatever is on disk now (an admin's decision). */
  async loadDirectory(pluginsDir: string, reimportAll = false): Promise<void> {
    const entries = await readdir(pluginsDir, { withFileTypes: true });
    entries.sort((a, b) => (a.name < b.name ? -1 : 1));
    /**
     * Extraction folder → the archive that has it, so two archives never unpack into one folder (and push
     * each other out). An archive imported before keeps its folder; otherwise the first by name does.
     */
    const extractedBy = new Map<string, string>();
    const knownSource = this.db.prepare('SELECT 1 FROM plugins WHERE source = ?');
    for (const entry of entries) {
      const source = path.join(pluginsDir, entry.name);
      const folder = extractFolderName(entry.name);
      if (!entry.isFile() || !/\.lpi$/i.test(entry.name) || extractedBy.has(folder)) continue;
      if (knownSource.get(source) !== undefined) extractedBy.set(folder, source);
    }
    for (const entry of entries) {
      const source = path.join(pluginsDir, entry.name);
      const isLpi = entry.isFile() && /\.lpi$/i.test(entry.name);
      const isFolder = entry.isDirectory() && existsSync(path.join(source, 'actions.xml'));
      if (!isLpi && !isFolder) continue;
      const known = this.db.prepare('SELECT id FROM plugins WHERE source = ?').get(source) as
        | { id: string }
        | undefined;
      try {
        if (isLpi) {
          const folder = extractFolderName(entry.name);
          const holder = extractedBy.get(folder);
          if (holder !== undefined && holder !== source) {
            throw new Error(
              `"${entry.name}" and "${path.basename(holder)}" would unpack into the same folder ` +
                `("${folder}"); rename one of the two files`,
            );
          }
          extractedBy.set(folder, source);
        }
        if (known && !reimportAll) await this.restore(known.id, source, isLpi ? 'lpi' : 'folder');
        else await this.importPlugin(source, isLpi ? 'lpi' : 'folder', 'system', known?.id);
      } catch (error) {
        const reason = (error as Error).toString().replace(/^Error: /, '');
        process.stderr.write(`gridside-orchestrator: ${source} not loaded: ${reason}\n`);
        this.audit.append({ actor: 'system', event: 'plugin.refused', outcome: `${source}: ${reason}` });
      }
    }
  }

  /** Parses and hashes the plugin now and makes this state the trusted one. */
  async importPlugin(
    source: string,
    kind: PluginEntry['kind'],
    actor: string,
    expectedId?: string,
  ): Promise<PluginEntry> {
    const dir =
      kind === 'lpi'
        ? await extractLpi(
            source,
            path.join(this.dataDir, 'plugins', extractFolderName(path.basename(source))),
          )
        : source;
    const xmlFile = path.join(dir, 'actions.xml');
    const model = parseActionsXml(await readFile(xmlFile, 'utf8'), xmlFile);
    const id = pluginId(model.name);
    const holder = this.plugins.get(id);
    if (holder && holder.source !== source) {
      throw new Error(`plugin id "${id}" is already used by ${holder.source}; rename the plugin`);
    }
    if (expectedId !== undefined && expectedId !== id) {
      // Renamed in actions.xml: the old id's history stays in the database, the plugin lives on under the new id.
      this.db.prepare('DELETE FROM plugin_files WHERE plugin_id = ?').run(expectedId);
      this.db.prepare('DELETE FROM plugins WHERE id = ?').run(expectedId);
      this.plugins.delete(expectedId);
    }
    // A full hash at import (no cache), which then seeds the cache used by the checks before runs.
    const cache: HashCache = new Map();
    const manifest = await hashFolder(dir, cache);
    if (kind === 'lpi') manifest.set(ARCHIVE_KEY, { sha256: await hashFile(source), size: 0 });
    const store = this.db.transaction(() => {
      this.db
        .prepare(
          `INSERT OR REPLACE INTO plugins (id, source, dir, model_json, imported_at) VALUES (?, ?, ?, ?, ?)`,
        )
        .run(id, source, dir, JSON.stringify(model), new Date().toISOString());
      this.db.prepare('DELETE FROM plugin_files WHERE plugin_id = ?').run(id);
      const insert = this.db.prepare(
        'INSERT INTO plugin_files (plugin_id, path, sha256, size) VALUES (?, ?, ?, ?)',
      );
      for (const [file, entry] of manifest) insert.run(id, file, entry.sha256, entry.size);
    });
    store();
    const entry: PluginEntry = { id, kind, source, dir, model, available: true };
    this.plugins.set(id, entry);
    this.hashCaches.set(id, cache);
    this.version += 1;
    for (const warning of model.warnings ?? []) {
      process.stderr.write(
        `gridside-orchestrator: ${warning.file}:${warning.line}:${warning.column}: ${warning.message}\n`,
      );
    }
    this.audit.append({
      actor,
      event: 'plugin.imported',
      outcome: `${id}: "${model.name}", ${model.actions.length} action(s), ${manifest.size} file(s) hashed`,
    });
    return entry;
  }

  /** Re-imports a known plugin from where it was found (POST /plugins/:id/reimport). */
  async reimport(id: string, actor: string): Promise<PluginEntry | undefined> {
    const current = this.plugins.get(id);
    if (!current) return undefined;
    return this.importPlugin(current.source, current.kind, actor, id);
  }

  /**
   * Re-hashes the plugin's files; marks it unavailable (and says why) when they differ from the import.
   * Returns the reason, or undefined when the plugin may run.
   */
  async check(id: string): Promise<string | undefined> {
    const entry = this.plugins.get(id);
    if (!entry) return 'plugin not loaded';
    const imported = this.storedManifest(id);
    imported.delete(ARCHIVE_KEY);
    let reason: string | undefined;
    try {
      const cache = this.hashCaches.get(id) ?? new Map();
      this.hashCaches.set(id, cache);
      reason = describeChange(imported, await hashFolder(entry.dir, cache));
    } catch (error) {
      reason =
        error instanceof IndirectionError
          ? error.message
          : `plugin folder unreadable (${describeFsError(error, entry.dir)})`;
    }
    if (reason !== undefined) {
      reason = `plugin "${id}" was modified after import (${reason}); an admin must re-import it`;
      if (entry.available) {
        this.audit.append({ actor: 'system', event: 'plugin.refused', outcome: reason });
      }
      entry.available = false;
      entry.unavailableReason = reason;
      this.version += 1;
    }
    return reason;
  }

  private storedManifest(id: string): Manifest {
    const rows = this.db
      .prepare('SELECT path, sha256, size FROM plugin_files WHERE plugin_id = ?')
      .all(id) as { path: string; sha256: string; size: number }[];
    return new Map(rows.map((row) => [row.path, { sha256: row.sha256, size: row.size }]));
  }

  /** A plugin imported before this start: serve the imported model, but only if nothing changed. */
  private async restore(id: string, source: string, kind: PluginEntry['kind']): Promise<void> {
    const row = this.db.prepare('SELECT dir, model_json FROM plugins WHERE id = ?').get(id) as {
      dir: string;
      model_json: string;
    };
    const entry: PluginEntry = {
      id,
      kind,
      source,
      dir: row.dir,
      model: JSON.parse(row.model_json) as SrpPlugin,
      available: true,
    };
    this.plugins.set(id, entry);
    this.version += 1;
    if (kind === 'lpi') {
      const stored = this.storedManifest(id).get(ARCHIVE_KEY)?.sha256;
      if (stored !== (await hashFile(source))) {
        const reason = `plugin "${id}": the .lpi archive changed since import; an admin must re-import it`;
        entry.available = false;
        entry.unavailableReason = reason;
        this.version += 1;
        this.audit.append({ actor: 'system', event: 'plugin.refused', outcome: reason });
        return;
      }
    }
    await this.check(id);
  }
}

/**
 * A file-system error in words for the analyst, who sees `unavailableReason`: the code (`ENOENT`), never the
 * server's paths (`scandir '/srv/…/plugins/x'`). The full message goes to the orchestrator's stderr.
 */
function describeFsError(error: unknown, dir: string): string {
  process.stderr.write(`gridside-orchestrator: ${dir}: ${(error as Error).message}\n`);
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') return 'the plugin folder is gone';
  if (code === 'EACCES' || code === 'EPERM') return 'the orchestrator may not read the plugin folder';
  return code ?? 'read error';
}
