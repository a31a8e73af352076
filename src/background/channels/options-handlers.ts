import { answerWith, type HandlerTable } from '../../core/channel.ts';
import type {
  ConsolesSyncResult,
  OPTIONS_REPLIES,
  OptionsRequest,
  SettingsView,
} from '../../core/options-messages.ts';
import { plainHttpProblem } from '../../core/orchestrator-url.ts';
import type { RepliesFrom } from '../../core/page-channel.ts';
import type { CatalogService } from '../orchestrators/catalog.ts';
import type { Orchestrators } from '../orchestrators/orchestrators.ts';
import type { PluginAdminTable } from '../orchestrators/plugin-admin.ts';
import { managedView } from '../settings/managed-settings.ts';
import type { SecretStore } from '../settings/secret-store.ts';
import type { SettingsStore } from '../settings/settings-store.ts';
import { UserError } from '../user-error.ts';
import type { OptionsHandler } from './router.ts';

/** The options page's requests: only the options page reaches this (router.ts checks the sender's URL). */
export function createOptionsHandler(deps: {
  settings: SettingsStore;
  secrets: SecretStore;
  orchestrators: Orchestrators;
  catalog: CatalogService;
  syncConsoles: () => Promise<ConsolesSyncResult>;
  /** The Plugins section's requests (orchestrators/plugin-admin.ts). */
  plugins: PluginAdminTable;
}): OptionsHandler {
  async function view(): Promise<SettingsView> {
    const settings = await deps.settings.load();
    return {
      settings,
      secretSet: await deps.secrets.has(settings.orchestrators),
      managed: managedView(await deps.settings.managed()),
    };
  }

  const table: HandlerTable<OptionsRequest, RepliesFrom<typeof OPTIONS_REPLIES>> = {
    'settings.get': () => view(),
    'settings.save': async (request) => {
      for (const entry of request.settings.orchestrators) {
        const insecure = entry.kind === 'gridside' ? plainHttpProblem(entry.url) : undefined;
        if (insecure) throw new UserError('bad_request', insecure);
      }
      const before = await deps.settings.load();
      const saved = await deps.settings.save(request.settings);
      // A removed orchestrator takes its token with it.
      const kept = new Set(saved.orchestrators.map((e) => e.id));
      for (const entry of before.orchestrators)
        if (!kept.has(entry.id)) await deps.secrets.set(entry.id, null);
      deps.catalog.clear();
      return view();
    },
    'secret.set': async (request) => {
      const settings = await deps.settings.load();
      const entry = settings.orchestrators.find((e) => e.id === request.orchestratorId);
      if (!entry) {
        throw new UserError('bad_request', 'Save the orchestrator before setting its token.');
      }
      await deps.secrets.set(request.orchestratorId, request.secret, new URL(entry.url).origin);
      deps.catalog.clear();
      return view();
    },
    'connection.test': async (request) => {
      const connector = await deps.orchestrators.connector(request.orchestratorId);
      return connector.testConnection();
    },
    'consoles.sync': () => deps.syncConsoles(),
    'actions.readOnly': async () => {
      const { actions } = await deps.catalog.list(null);
      return { actions: actions.filter((a) => !a.sideEffects).map(({ id, name }) => ({ id, name })) };
    },
    ...deps.plugins,
  };
  return answerWith(table);
}
