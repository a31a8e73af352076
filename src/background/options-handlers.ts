import type { OptionsRequest, SettingsView } from '../core/options-messages.ts';
import { plainHttpProblem } from '../core/orchestrator-url.ts';
import type { CatalogService } from './catalog.ts';
import type { Orchestrators } from './orchestrators.ts';
import type { OptionsHandler } from './router.ts';
import type { SecretStore } from './secret-store.ts';
import type { SettingsStore } from './settings-store.ts';
import { UserError } from './user-error.ts';

/** The privileged channel: only extension pages reach this (router.ts checks the sender). */
export function createOptionsHandler(deps: {
  settings: SettingsStore;
  secrets: SecretStore;
  orchestrators: Orchestrators;
  catalog: CatalogService;
  syncConsoles: () => Promise<unknown>;
}): OptionsHandler {
  async function view(): Promise<SettingsView> {
    const settings = await deps.settings.load();
    return { settings, secretSet: await deps.secrets.has(settings.orchestrators) };
  }

  return async (request: OptionsRequest) => {
    switch (request.type) {
      case 'settings.get':
        return view();
      case 'settings.save': {
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
      }
      case 'secret.set': {
        const settings = await deps.settings.load();
        const entry = settings.orchestrators.find((e) => e.id === request.orchestratorId);
        if (!entry) {
          throw new UserError('bad_request', 'Save the orchestrator before setting its token.');
        }
        await deps.secrets.set(request.orchestratorId, request.secret, new URL(entry.url).origin);
        deps.catalog.clear();
        return view();
      }
      case 'connection.test': {
        const connector = await deps.orchestrators.connector(request.orchestratorId);
        return connector.testConnection();
      }
      case 'consoles.sync':
        return deps.syncConsoles();
      default:
        throw new UserError('bad_request', 'Gridside does not understand this request.');
    }
  };
}
