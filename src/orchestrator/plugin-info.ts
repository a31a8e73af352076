import type { Alert, PluginInfo } from '../core/plugins-api.ts';
import { ARCHIVE_KEY } from './plugin-changes.ts';
import type { PluginEntry, PluginRegistry } from './plugins.ts';

/** A plugin's status as the Plugins view and the metrics name it: disabled, modified, trusted or unsigned. */
export function pluginStatus(registry: PluginRegistry, entry: PluginEntry): PluginInfo['status'] {
  const state = registry.trust.get(entry.id);
  if (state?.disabled) return 'disabled';
  if (state?.changed) return 'modified';
  return state?.verdict.state === 'signed' ? 'trusted' : 'unsigned';
}

/** The admin's view of one plugin (GET /api/v1/plugins): status, signer, files with their trusted hashes. */
export function pluginInfo(registry: PluginRegistry, entry: PluginEntry): PluginInfo {
  const state = registry.trust.get(entry.id);
  const verdict = state?.verdict ?? { state: 'unsigned' as const, reason: 'never judged' };
  const blocker = registry.blocker(entry.id);
  const status = pluginStatus(registry, entry);
  const files = [...registry.storedManifest(entry.id)]
    .filter(([file]) => file !== ARCHIVE_KEY)
    .map(([file, { sha256, size }]) => ({ path: file, sha256, size }))
    .sort((a, b) => (a.path < b.path ? -1 : 1));
  const reason = blocker ?? ('reason' in verdict ? verdict.reason : undefined);
  return {
    id: entry.id,
    name: entry.model.name,
    version: entry.model.version ?? null,
    kind: entry.kind,
    status,
    runnable: blocker === undefined,
    ...(reason !== undefined ? { statusReason: reason } : {}),
    signer:
      verdict.state === 'signed'
        ? { name: verdict.signer, keyName: verdict.keyName, keyId: verdict.keyId }
        : null,
    actions: entry.model.actions.length,
    importedAt: registry.importedAt(entry.id) ?? '',
    files,
    ...(state?.changed ? { changed: state.changed } : {}),
  };
}

/** Plugins whose files changed outside Gridside and that no admin has dealt with yet. */
export function pluginAlerts(registry: PluginRegistry): Alert[] {
  return registry.list().flatMap((entry) => {
    const changed = registry.trust.get(entry.id)?.changed;
    if (!changed) return [];
    return [
      {
        code: 'plugin_files_changed' as const,
        pluginId: entry.id,
        since: changed.at,
        message: `plugin files changed outside Gridside: ${changed.files.map((f) => f.path).join(', ')}`,
      },
    ];
  });
}
