import type { PluginFileChange } from '../core/plugins-api.ts';
import type { Verdict } from './plugin-signature.ts';
import type { Db } from './store.ts';

/**
 * What the orchestrator remembers about each plugin besides its files: whether an admin disabled it, the
 * signature verdict at import, and — once its files changed outside Gridside — which files and when. The
 * change is remembered (not recomputed) on purpose: putting a file back does not make a plugin trusted
 * again; only an admin does, so every such episode leaves a decision in the audit trail.
 */

export interface TrustState {
  disabled: boolean;
  verdict: Verdict;
  changed?: { at: string; files: PluginFileChange[] };
}

const SCHEMA = `
CREATE TABLE IF NOT EXISTS plugin_trust (
  plugin_id TEXT PRIMARY KEY,
  disabled INTEGER NOT NULL DEFAULT 0,
  verdict_json TEXT NOT NULL,
  changed_json TEXT
);`;

interface Row {
  disabled: number;
  verdict_json: string;
  changed_json: string | null;
}

export class TrustBook {
  constructor(private readonly db: Db) {
    db.exec(SCHEMA);
  }

  get(id: string): TrustState | undefined {
    const row = this.db
      .prepare('SELECT disabled, verdict_json, changed_json FROM plugin_trust WHERE plugin_id = ?')
      .get(id) as Row | undefined;
    if (!row) return undefined;
    return {
      disabled: row.disabled === 1,
      verdict: JSON.parse(row.verdict_json) as Verdict,
      ...(row.changed_json ? { changed: JSON.parse(row.changed_json) as TrustState['changed'] } : {}),
    };
  }

  /** A fresh import or re-trust: the verdict now, no change on record; an admin's disable survives it. */
  trusted(id: string, verdict: Verdict): void {
    this.db
      .prepare(
        `INSERT INTO plugin_trust (plugin_id, verdict_json, changed_json) VALUES (?, ?, NULL)
         ON CONFLICT(plugin_id) DO UPDATE SET verdict_json = excluded.verdict_json, changed_json = NULL`,
      )
      .run(id, JSON.stringify(verdict));
  }

  /** The verdict re-checked at start-up (the trusted keys may have changed in the config). */
  setVerdict(id: string, verdict: Verdict): void {
    this.db
      .prepare('UPDATE plugin_trust SET verdict_json = ? WHERE plugin_id = ?')
      .run(JSON.stringify(verdict), id);
  }

  changed(id: string, files: PluginFileChange[]): void {
    this.db
      .prepare('UPDATE plugin_trust SET changed_json = ? WHERE plugin_id = ?')
      .run(JSON.stringify({ at: new Date().toISOString(), files }), id);
  }

  setDisabled(id: string, disabled: boolean): void {
    this.db.prepare('UPDATE plugin_trust SET disabled = ? WHERE plugin_id = ?').run(disabled ? 1 : 0, id);
  }

  forget(id: string): void {
    this.db.prepare('DELETE FROM plugin_trust WHERE plugin_id = ?').run(id);
  }
}

/** Every difference between the trusted manifest and the folder now, hashes included. */
export function fileChanges(
  trusted: Map<string, { sha256: string }>,
  now: Map<string, { sha256: string }>,
): PluginFileChange[] {
  const changes: PluginFileChange[] = [];
  for (const [file, entry] of trusted) {
    const current = now.get(file);
    if (!current) changes.push({ path: file, before: entry.sha256, after: null });
    else if (current.sha256 !== entry.sha256)
      changes.push({ path: file, before: entry.sha256, after: current.sha256 });
  }
  for (const [file, entry] of now) {
    if (!trusted.has(file)) changes.push({ path: file, before: null, after: entry.sha256 });
  }
  return changes.sort((a, b) => (a.path < b.path ? -1 : 1));
}
