import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { PluginFileChange } from '../core/plugins-api.ts';
import { pluginId } from '../core/srp/ids.ts';
import type { SrpPlugin } from '../core/srp/model.ts';
import { parseActionsXml } from '../core/srp/parse.ts';
import type { AuditLog } from './audit.ts';
import { type HashCache, hashFile, hashFolder, type Manifest } from './integrity.ts';
import { extractLpi } from './lpi.ts';
import {
  ARCHIVE_KEY,
  changesSinceTrusted,
  describeVerdict,
  filesChangedRecord,
  pluginSources,
} from './plugin-changes.ts';
import { type TrustedKey, type Verdict, verifyPlugin } from './plugin-signature.ts';
import { TrustBook } from './plugin-trust.ts';
import type { Db } from './store.ts';

/** How long the files must stay as they are before the watch records a change, and how often it waits. */
const SETTLE_MS = 150;
const SETTLE_PASSES = 5;

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

/** How the orchestrator judges signatures (config `trustedKeys`, `requireSignatures`). */
export interface SignaturePolicy {
  trustedKeys: readonly TrustedKey[];
  requireSignatures: boolean;
}

/** An import refused for what the package is (unsigned, badly signed), not for a fault of the orchestrator. */
export class ImportRefused extends Error {}

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
  /** Plugins Gridside itself is writing right now: their file changes are not alarms. */
  private readonly busy = new Set<string>();
  readonly trust: TrustBook;
  /** Bumped whenever a plugin is imported or marked unavailable, so the catalog knows to rebuild. */
  version = 0;

  constructor(
    private readonly db: Db,
    private readonly audit: AuditLog,
    readonly dataDir: string,
    readonly policy: SignaturePolicy = { trustedKeys: [], requireSignatures: false },
  ) {
    this.trust = new TrustBook(db);
  }

  /** True while Gridside writes plugin files (an import): the integrity watch waits. */
  isBusy(): boolean {
    return this.busy.size > 0;
  }

  /** Runs `work` with the source marked as Gridside's own doing. */
  async writing<T>(source: string, work: () => Promise<T>): Promise<T> {
    this.busy.add(source);
    try {
      return await work();
    } finally {
      this.busy.delete(source);
    }
  }

  list(): PluginEntry[] {
    return [...this.plugins.values()];
  }

  get(id: string): PluginEntry | undefined {
    return this.plugins.get(id);
  }

  importedAt(id: string): string | undefined {
    const row = this.db.prepare('SELECT imported_at FROM plugins WHERE id = ?').get(id) as
      | { imported_at: string }
      | undefined;
    return row?.imported_at;
  }

  /**
   * What another loaded plugin has at `source` (a package in the plugins folder), or in the folder a `.lpi`
   * there would unpack into: an upload of plugin `id` written there would replace that plugin's files.
   * Two archives already on disk are kept apart by loadDirectory.
   */
  usedBy(source: string, kind: PluginEntry['kind'], id: string): string | undefined {
    const folder = extractFolderName(path.basename(source));
    for (const entry of this.plugins.values()) {
      if (entry.id === id) continue;
      if (entry.source === source) return `which already holds plugin "${entry.id}"`;
      if (
        kind === 'lpi' &&
        entry.kind === 'lpi' &&
        extractFolderName(path.basename(entry.source)) === folder
      ) {
        return `which unpacks into the folder "${folder}" of plugin "${entry.id}" ("${path.basename(entry.source)}")`;
      }
    }
    return undefined;
  }

  /** The plugins folder last loaded: where uploads go and what the integrity watch watches. */
  pluginsDir: string | undefined;

  /** Scans the plugins directory. `reimportAll` trusts whatever is on disk now (an admin's decision). */
  async loadDirectory(pluginsDir: string, reimportAll = false): Promise<void> {
    this.pluginsDir = pluginsDir;
    const sources = await pluginSources(pluginsDir);
    /**
     * Extraction folder → the archive that has it, so two archives never unpack into one folder (and push
     * each other out). An archive imported before keeps its folder; otherwise the first by name does.
     */
    const extractedBy = new Map<string, string>();
    const knownSource = this.db.prepare('SELECT 1 FROM plugins WHERE source = ?');
    for (const { source, kind } of sources) {
      const folder = extractFolderName(path.basename(source));
      if (kind !== 'lpi' || extractedBy.has(folder)) continue;
      if (knownSource.get(source) !== undefined) extractedBy.set(folder, source);
    }
    for (const { source, kind } of sources) {
      const known = this.db.prepare('SELECT id FROM plugins WHERE source = ?').get(source) as
        | { id: string }
        | undefined;
      try {
        if (kind === 'lpi') {
          const name = path.basename(source);
          const folder = extractFolderName(name);
          const holder = extractedBy.get(folder);
          if (holder !== undefined && holder !== source) {
            throw new Error(
              `"${name}" and "${path.basename(holder)}" would unpack into the same folder ` +
                `("${folder}"); rename one of the two files`,
            );
          }
          extractedBy.set(folder, source);
        }
        if (known && !reimportAll) await this.restore(known.id, source, kind);
        else await this.importPlugin(source, kind, 'system', known?.id);
      } catch (error) {
        const reason = (error as Error).toString().replace(/^Error: /, '');
        process.stderr.write(`gridside-orchestrator: ${source} not loaded: ${reason}\n`);
        this.audit.append({ actor: 'system', event: 'plugin.refused', outcome: `${source}: ${reason}` });
        this.reported.add(source);
      }
    }
    // A plugin imported before whose package vanished while the orchestrator was stopped.
    const rows = this.db.prepare('SELECT id, source FROM plugins').all() as { id: string; source: string }[];
    for (const row of rows) {
      if (this.plugins.has(row.id) || !row.source.startsWith(pluginsDir + path.sep)) continue;
      if (this.trust.get(row.id)?.changed) continue;
      this.trust.changed(row.id, [{ path: path.basename(row.source), before: 'present', after: null }]);
      this.audit.append({
        actor: 'system',
        event: 'plugin.files-changed',
        params: { [path.basename(row.source)]: 'present -> (none)' },
        outcome: `plugin "${row.id}": plugin files changed outside Gridside: ${path.basename(row.source)} was removed`,
      });
    }
  }

  /** Plugin packages seen in the plugins folder that Gridside did not load: each is audited once. */
  private readonly reported = new Set<string>();

  /** New packages put into the plugins folder by hand while running: audited, not loaded. */
  private async strangers(): Promise<void> {
    if (!this.pluginsDir) return;
    const loaded = new Set([...this.plugins.values()].map((entry) => entry.source));
    for (const { source } of await pluginSources(this.pluginsDir)) {
      if (loaded.has(source) || this.busy.has(source) || this.reported.has(source)) continue;
      this.reported.add(source);
      this.audit.append({
        actor: 'system',
        event: 'plugin.files-changed',
        outcome: `plugin files changed outside Gridside: ${path.basename(source)} appeared in the plugins folder; it is not loaded (import it through Gridside)`,
      });
    }
  }

  /**
   * Parses and hashes the plugin now and makes this state the trusted one. Its errors name files relative
   * to the plugin folder: they are answered to the admin and written to the audit trail.
   */
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
    const model = parseActionsXml(await readPluginFile(xmlFile, dir, source), 'actions.xml');
    const id = pluginId(model.name);
    const holder = this.plugins.get(id);
    if (holder && holder.source !== source) {
      throw new Error(`plugin id "${id}" is already used by ${holder.source}; rename the plugin`);
    }
    // Renamed in actions.xml: the plugin lives on under the new id once the import is sure to pass.
    const renamedFrom = expectedId !== undefined && expectedId !== id ? expectedId : undefined;
    // A full hash at import (no cache), which then seeds the cache used by the checks before runs.
    const cache: HashCache = new Map();
    const manifest = await hashFolder(dir, cache).catch((error: unknown) => {
      throw plainFileError(error, dir, source);
    });
    const verdict = this.judge(dir, manifest);
    if (kind === 'lpi') manifest.set(ARCHIVE_KEY, { sha256: await hashFile(source, cache), size: 0 });
    const store = this.db.transaction(() => {
      // Only now, with the signature judged: a refused re-trust must leave the old id, its files and its
      // alert as they were. The old id's history stays in the audit trail.
      if (renamedFrom !== undefined) {
        this.db.prepare('DELETE FROM plugin_files WHERE plugin_id = ?').run(renamedFrom);
        this.db.prepare('DELETE FROM plugins WHERE id = ?').run(renamedFrom);
      }
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
      this.trust.trusted(id, verdict);
    });
    store();
    if (renamedFrom !== undefined) {
      this.plugins.delete(renamedFrom);
      this.hashCaches.delete(renamedFrom);
    }
    const entry: PluginEntry = { id, kind, source, dir, model, available: true };
    this.plugins.set(id, entry);
    this.hashCaches.set(id, cache);
    this.version += 1;
    this.settle(entry);
    for (const warning of model.warnings ?? []) {
      process.stderr.write(
        `gridside-orchestrator: ${path.join(dir, warning.file)}:${warning.line}:${warning.column}: ${warning.message}\n`,
      );
    }
    this.audit.append({
      actor,
      event: 'plugin.imported',
      outcome: `${id}: "${model.name}", ${model.actions.length} action(s), ${manifest.size} file(s) hashed, ${describeVerdict(verdict)}`,
    });
    return entry;
  }

  /** The signature verdict; refuses what must not be imported (a broken signature always, unsigned when required). */
  private judge(dir: string, manifest: Manifest): Verdict {
    const verdict = verifyPlugin(dir, manifest, this.policy.trustedKeys);
    if (verdict.state === 'invalid') throw new ImportRefused(`signature check failed: ${verdict.reason}`);
    if (verdict.state === 'unsigned' && this.policy.requireSignatures) {
      throw new ImportRefused(`signatures are required: ${verdict.reason}`);
    }
    return verdict;
  }

  /** Why the plugin may not run now (disabled, modified, unsigned where required); undefined if it may. */
  blocker(id: string): string | undefined {
    const state = this.trust.get(id);
    if (!state) return 'plugin not loaded';
    if (state.disabled) return `plugin "${id}" is disabled by an admin`;
    if (state.changed) {
      const files = state.changed.files.map((f) => f.problem ?? f.path).join(', ');
      return `plugin "${id}": plugin files changed outside Gridside (${files}); an admin must re-import it or trust its files as they are now`;
    }
    if (this.policy.requireSignatures && state.verdict.state !== 'signed') {
      return `plugin "${id}" is not signed by a trusted key (${'reason' in state.verdict ? state.verdict.reason : ''})`;
    }
    return undefined;
  }

  /** Brings the entry's availability in line with its trust state; bumps the catalog version on change. */
  private settle(entry: PluginEntry): string | undefined {
    const reason = this.blocker(entry.id);
    if (entry.available !== (reason === undefined) || entry.unavailableReason !== reason) {
      entry.available = reason === undefined;
      if (reason === undefined) delete entry.unavailableReason;
      else entry.unavailableReason = reason;
      this.version += 1;
    }
    return reason;
  }

  /** An upload that was not imported, and why; audited whoever sent it. */
  refuseImport(filename: string, actor: string, error: unknown): void {
    const reason = error instanceof Error ? error.message : String(error);
    // Most refusals already begin with the package's name.
    const outcome = reason.startsWith(`${filename}: `) ? reason : `${filename}: ${reason}`;
    this.audit.append({ actor, event: 'plugin.import-refused', outcome });
  }

  /** An admin switches a plugin off or on; audited. */
  setDisabled(id: string, disabled: boolean, actor: string): PluginEntry | undefined {
    const entry = this.plugins.get(id);
    if (!entry) return undefined;
    this.trust.setDisabled(id, disabled);
    this.settle(entry);
    this.audit.append({ actor, event: disabled ? 'plugin.disabled' : 'plugin.enabled', outcome: id });
    return entry;
  }

  /**
   * Files changed outside Gridside: remembered, audited with every file's old and new hash, and the
   * plugin stops running until an admin trusts it again.
   */
  recordChange(id: string, changes: PluginFileChange[]): void {
    const entry = this.plugins.get(id);
    if (!entry || changes.length === 0 || this.trust.get(id)?.changed) return;
    this.trust.changed(id, changes);
    this.settle(entry);
    this.audit.append(filesChangedRecord(id, changes));
  }

  /**
   * Compares every plugin's files with what was trusted (the integrity watch and the check before runs).
   * A plugin Gridside is writing is skipped; one already marked changed stays so until an admin acts.
   */
  async sweep(): Promise<void> {
    await this.strangers().catch(() => undefined);
    for (const entry of this.plugins.values()) {
      if (this.busy.has(entry.source) || this.trust.get(entry.id)?.changed) continue;
      this.recordChange(entry.id, await this.settledDifferences(entry));
    }
  }

  /**
   * The watch's comparison, once the files stop changing: a file caught mid-write (an editor or a copy
   * truncates it, then writes) would be recorded with the hash of neither version, and a change on record
   * is not looked at again until an admin acts. So a change found is compared again after a short pause,
   * until two comparisons agree (at most a few times: a file rewritten without end is recorded as it is).
   */
  private async settledDifferences(entry: PluginEntry): Promise<PluginFileChange[]> {
    let changes = await this.differences(entry);
    for (let pass = 0; changes.length > 0 && pass < SETTLE_PASSES; pass++) {
      await new Promise((resolve) => setTimeout(resolve, SETTLE_MS));
      const again = await this.differences(entry);
      if (JSON.stringify(again) === JSON.stringify(changes)) break;
      changes = again;
    }
    return changes;
  }

  private differences(entry: PluginEntry): Promise<PluginFileChange[]> {
    const cache = this.hashCaches.get(entry.id) ?? new Map();
    this.hashCaches.set(entry.id, cache);
    return changesSinceTrusted(entry, this.storedManifest(entry.id), cache);
  }

  /**
   * Re-imports a known plugin from where it was found (POST /plugins/:id/reimport and /trust): its files as
   * they are now become the trusted ones. A change on record is closed with an audit record of its own.
   */
  async reimport(id: string, actor: string): Promise<PluginEntry | undefined> {
    const current = this.plugins.get(id);
    if (!current) return undefined;
    const changed = this.trust.get(id)?.changed;
    const entry = await this.writing(current.source, () =>
      this.importPlugin(current.source, current.kind, actor, id),
    );
    if (changed) {
      this.audit.append({
        actor,
        event: 'plugin.trusted',
        outcome: `plugin "${id}": the files changed outside Gridside at ${changed.at} (${changed.files.map((f) => f.path).join(', ')}) are trusted as they are now`,
      });
    }
    return entry;
  }

  /**
   * Re-hashes the plugin's files (recording any change made outside Gridside) and returns why it may not
   * run, or undefined when it may. Called before every run.
   */
  async check(id: string): Promise<string | undefined> {
    const entry = this.plugins.get(id);
    if (!entry) return 'plugin not loaded';
    if (!this.busy.has(entry.source) && !this.trust.get(id)?.changed) {
      this.recordChange(id, await this.differences(entry));
    }
    return this.settle(entry);
  }

  storedManifest(id: string): Manifest {
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
    // The trusted keys may have changed in the config since the import: judge the signature again.
    if (!this.trust.get(id))
      this.trust.trusted(id, { state: 'unsigned', reason: 'imported before signatures' });
    const manifest = this.storedManifest(id);
    manifest.delete(ARCHIVE_KEY);
    this.trust.setVerdict(id, verifyPlugin(row.dir, manifest, this.policy.trustedKeys));
    await this.check(id);
  }
}

/** Reads a file of a plugin; a failure is said as `plainFileError` says it. */
async function readPluginFile(file: string, dir: string, source: string): Promise<string> {
  try {
    return await readFile(file, 'utf8');
  } catch (error) {
    throw plainFileError(error, dir, source);
  }
}

const FILE_ERROR_WORDS = new Map([
  ['ENOENT', 'is missing'],
  ['EACCES', 'cannot be read (permission denied)'],
  ['EPERM', 'cannot be read (permission denied)'],
  ['EISDIR', 'is a folder, not a file'],
  ['ENOTDIR', 'is not in a folder'],
]);

/**
 * A file-system error met while importing a plugin, without the server's paths: the file is named relative
 * to the plugin folder (by its name alone when outside it). The system's own words, with the full path, go
 * to the orchestrator's log. Errors that are not about a file pass through as they are.
 */
export function plainFileError(error: unknown, dir: string, source: string): unknown {
  const { code, path: file } = (error ?? {}) as NodeJS.ErrnoException;
  if (!(error instanceof Error) || typeof code !== 'string' || typeof file !== 'string') return error;
  process.stderr.write(`gridside-orchestrator: importing ${source}: ${error.message}\n`);
  const relative = path.relative(path.resolve(dir), path.resolve(file));
  const name =
    relative === ''
      ? 'the plugin folder'
      : relative.startsWith('..') || path.isAbsolute(relative)
        ? path.basename(file)
        : relative.split(path.sep).join('/');
  return new Error(`${name} ${FILE_ERROR_WORDS.get(code) ?? `cannot be read (${code})`}`);
}
