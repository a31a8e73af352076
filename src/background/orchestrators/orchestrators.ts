import type { OrchestratorEntry, Settings } from '../../core/settings.ts';
import type { Connector } from '../connectors/connector.ts';
import { connectorFor } from '../connectors/index.ts';
import type { SecretStore } from '../settings/secret-store.ts';
import { UserError } from '../user-error.ts';
import { fetchForOrigin } from './restricted-fetch.ts';

/**
 * Turns saved orchestrator entries into connectors: the entry's secret from the secret store, and a fetch
 * restricted to the entry's own origin (itself inside the worker-wide restricted fetch).
 */
export interface Orchestrators {
  connector(orchestratorId: string): Promise<Connector>;
  /** For calls no connector makes (the Plugins section): the entry, its secret, its origin-bound fetch. */
  access(
    orchestratorId: string,
  ): Promise<{ entry: OrchestratorEntry; secret: string | undefined; fetch: typeof fetch }>;
  /** The entry the panel uses: the chosen default if enabled, else the first enabled one. */
  defaultEntry(): Promise<OrchestratorEntry>;
}

export function enabledOrchestratorOrigins(settings: Settings): string[] {
  return settings.orchestrators.filter((entry) => entry.enabled).map((entry) => new URL(entry.url).origin);
}

export function createOrchestrators(deps: {
  settings: () => Promise<Settings>;
  secrets: SecretStore;
  fetch: typeof fetch;
}): Orchestrators {
  async function entry(orchestratorId: string): Promise<OrchestratorEntry> {
    const found = (await deps.settings()).orchestrators.find((e) => e.id === orchestratorId);
    if (!found?.enabled) {
      throw new UserError(
        'not_configured',
        'The orchestrator this run used is no longer configured.',
        'Check the orchestrators in Gridside options.',
      );
    }
    return found;
  }

  return {
    async connector(orchestratorId) {
      const found = await entry(orchestratorId);
      const origin = new URL(found.url).origin;
      return connectorFor(found, {
        // Bound to the origin it was entered for: a URL changed behind the options page gets no token.
        secret: await deps.secrets.get(found.id, origin),
        fetch: fetchForOrigin(origin, deps.fetch),
      });
    },
    async access(orchestratorId) {
      const found = await entry(orchestratorId);
      const origin = new URL(found.url).origin;
      return {
        entry: found,
        secret: await deps.secrets.get(found.id, origin),
        fetch: fetchForOrigin(origin, deps.fetch),
      };
    },
    async defaultEntry() {
      const settings = await deps.settings();
      const enabled = settings.orchestrators.filter((e) => e.enabled);
      const chosen = enabled.find((e) => e.id === settings.defaultOrchestratorId) ?? enabled[0];
      if (!chosen) {
        throw new UserError(
          'not_configured',
          'No orchestrator is configured.',
          'Add one in Gridside options (right-click the Gridside icon → Options).',
        );
      }
      return chosen;
    },
  };
}
