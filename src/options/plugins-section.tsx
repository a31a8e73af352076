import { useSignal } from '@preact/signals';
import { useEffect } from 'preact/hooks';
import type { PanelError } from '../core/messages.ts';
import type { PluginInfo, PluginList } from '../core/plugins-api.ts';
import type { OrchestratorEntry } from '../core/settings.ts';
import { askWorker } from './background.ts';
import { PluginRow } from './plugin-row.tsx';
import { say, sayError, secretSet, settings } from './state.ts';

/**
 * Plugins: for each Gridside orchestrator whose saved token has the admin role, its plugins with status,
 * signer and file hashes, and "Import SmartResponse Plugins" (a .lpi or a zipped plugin folder). An
 * orchestrator that refuses the list (not an admin token) shows nothing here: analysts have no use for it.
 */
export function PluginsSection() {
  const current = settings.value;
  if (!current) return null;
  const candidates = current.orchestrators.filter(
    (entry) => entry.kind === 'gridside' && entry.enabled && secretSet.value[entry.id],
  );
  if (candidates.length === 0) return null;
  return (
    <>
      {candidates.map((entry) => (
        <OrchestratorPlugins key={entry.id} entry={entry} />
      ))}
    </>
  );
}

/** Extension messages carry JSON: the package travels as base64, in chunks so a big file does not overflow. */
function toBase64(bytes: Uint8Array): string {
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000) {
    binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  }
  return btoa(binary);
}

function OrchestratorPlugins(props: { entry: OrchestratorEntry }) {
  const { entry } = props;
  const list = useSignal<PluginList | null>(null);
  const refused = useSignal<PanelError | null>(null);
  const busy = useSignal(false);
  const file = useSignal<File | null>(null);

  const load = async () => {
    const reply = await askWorker({ type: 'plugins.list', orchestratorId: entry.id });
    if (reply.ok) {
      list.value = reply.data;
      refused.value = null;
    } else refused.value = reply.error;
  };
  useEffect(() => {
    void load();
  }, [entry.id]);

  if (!list.value) {
    // Only an unexpected failure is worth a word; a token without the admin role simply has no Plugins section.
    const error = refused.value;
    if (!error || error.code === 'forbidden' || error.code === 'unauthorized') return null;
    return (
      <section aria-labelledby={`plugins-${entry.id}`}>
        <h2 id={`plugins-${entry.id}`}>Plugins on {entry.name}</h2>
        <p class="muted">{error.message}</p>
      </section>
    );
  }

  const act = async (verb: 'disable' | 'enable' | 'trust', plugin: PluginInfo) => {
    busy.value = true;
    const reply = await askWorker({ type: `plugins.${verb}`, orchestratorId: entry.id, pluginId: plugin.id });
    busy.value = false;
    if (!reply.ok) return sayError(reply.error);
    say('ok', `${plugin.name}: ${reply.data.status}.`);
    await load();
  };

  const importFile = async () => {
    const chosen = file.value;
    if (!chosen) return say('error', 'Choose a .lpi or .zip file first.');
    busy.value = true;
    const base64 = toBase64(new Uint8Array(await chosen.arrayBuffer()));
    const reply = await askWorker({
      type: 'plugins.import',
      orchestratorId: entry.id,
      filename: chosen.name,
      base64,
    });
    busy.value = false;
    if (!reply.ok) return sayError(reply.error);
    say('ok', `Imported ${reply.data.name} (${reply.data.status}).`);
    await load();
  };

  const { plugins, requireSignatures } = list.value;
  return (
    <section aria-labelledby={`plugins-${entry.id}`} class="plugins">
      <h2 id={`plugins-${entry.id}`}>Plugins on {entry.name}</h2>
      <p class="muted">
        {requireSignatures
          ? 'This orchestrator runs only plugins signed by a key it trusts.'
          : 'This orchestrator also runs unsigned plugins.'}{' '}
        A plugin whose files change outside Gridside stops running until you trust it again.
      </p>
      <table>
        <thead>
          <tr>
            <th scope="col">Plugin</th>
            <th scope="col">Version</th>
            <th scope="col">Status</th>
            <th scope="col">Signer</th>
            <th scope="col">Files</th>
            <th scope="col">Actions</th>
          </tr>
        </thead>
        <tbody>
          {plugins.map((plugin) => (
            <PluginRow key={plugin.id} plugin={plugin} busy={busy.value} act={(v, p) => void act(v, p)} />
          ))}
        </tbody>
      </table>
      <form
        onSubmit={(event) => {
          event.preventDefault();
          void importFile();
        }}
      >
        <label>
          Import SmartResponse Plugin (.lpi or zipped folder){' '}
          <input
            type="file"
            accept=".lpi,.zip"
            onChange={(event) => {
              file.value = (event.currentTarget as HTMLInputElement).files?.[0] ?? null;
            }}
          />
        </label>{' '}
        <button type="submit" disabled={busy.value}>
          Import
        </button>
      </form>
    </section>
  );
}
