import type { Action, ActionParam, Role } from '../core/api.ts';
import { actionId, marksRequiredWithStar, powerShellCodeRisk, srpToCatalogParams } from '../core/srp/argv.ts';
import type { SrpAction } from '../core/srp/model.ts';
import type { ActionConfig, ConfiguredValue, OrchestratorConfig } from './config.ts';
import type { PluginEntry, PluginRegistry } from './plugins.ts';

/**
 * The action catalog: each SRP action of each loaded plugin, with the settings the config gives it.
 *
 * Actions the config does not mention get a cautious default: every role may run them (like an SRP
 * granted to a profile), no approval, and `sideEffects: true`. We cannot tell from an actions.xml
 * whether a script only looks something up or disables an account, so nothing is cached unless an
 * admin declares the action read-only (`sideEffects: false`) in the config.
 *
 * A PowerShell action that would give a row's value to PowerShell as code (argv rule 6) is listed, so
 * the analyst and the admin see why it does not run, but as unavailable.
 */

export interface CatalogEntry {
  action: Action;
  plugin: PluginEntry;
  srp: SrpAction;
  /** Parameter id → value the orchestrator fills (encrypted and environment-specific parameters). */
  configured: Map<string, ConfiguredValue>;
  /** The plugin marks its required parameters with '*' (then only those are required). */
  starMarked: boolean;
}

function configuredValues(
  config: OrchestratorConfig,
  pluginId: string,
  settings: ActionConfig | undefined,
  params: ActionParam[],
): Map<string, ConfiguredValue> {
  const byKey = { ...(config.plugins[pluginId]?.params ?? {}), ...(settings?.params ?? {}) };
  const out = new Map<string, ConfiguredValue>();
  for (const param of params) {
    if (param.kind !== 'string') continue;
    // Keys may be the parameter id or its SRP Name, whichever the admin found easier to write.
    const value = byKey[param.id] ?? byKey[param.name];
    if (value !== undefined) out.set(param.id, value);
  }
  return out;
}

export function buildCatalog(
  registry: PluginRegistry,
  config: OrchestratorConfig,
): Map<string, CatalogEntry> {
  const catalog = new Map<string, CatalogEntry>();
  for (const plugin of registry.list()) {
    // The convention is the package's: one action marking a parameter with '*' speaks for all of them.
    const starMarked = marksRequiredWithStar(plugin.model.actions);
    for (const srp of plugin.model.actions) {
      let id = actionId(plugin.model.name, srp.name);
      // Two actions with the same Name: the later one gets a suffix, like duplicate parameter names.
      for (let n = 2; catalog.has(id); n++) id = `${id.replace(/-\d+$/, '')}-${n}`;
      const settings = config.actions[id];
      const baseParams = srpToCatalogParams(srp, starMarked);
      const configured = configuredValues(config, plugin.id, settings, baseParams);
      const params: ActionParam[] = baseParams.map((param) => {
        const fromConfig = !param.encrypted && configured.has(param.id);
        if (!fromConfig) return param;
        const { default: _ignored, ...rest } = param;
        return { ...rest, fromConfig: true };
      });
      const unsafe = powerShellCodeRisk(srp);
      const unavailableReason = plugin.unavailableReason ?? unsafe;
      const approval = settings?.approval ?? { levels: 0, quorum: 1, approverRoles: ['approver', 'admin'] };
      const action: Action = {
        id,
        plugin: {
          id: plugin.id,
          name: plugin.model.name,
          ...(plugin.model.version !== undefined ? { version: plugin.model.version } : {}),
          ...(plugin.model.guid !== undefined ? { guid: plugin.model.guid } : {}),
        },
        name: srp.name,
        description: settings?.description ?? '',
        params,
        approval,
        roles: settings?.roles ?? config.defaults.roles,
        sideEffects: settings?.sideEffects ?? true,
        cacheTtlSeconds: settings?.sideEffects === false ? (settings.cacheTtlSeconds ?? 0) : 0,
        timeoutSeconds: settings?.timeoutSeconds ?? config.defaults.timeoutSeconds,
        available: plugin.available && unsafe === undefined,
        ...(unavailableReason !== undefined ? { unavailableReason } : {}),
      };
      catalog.set(id, { action, plugin, srp, configured, starMarked });
    }
  }
  return catalog;
}

/** Config keys under `actions` that match no loaded action: almost always a typo worth a warning. */
export function unknownConfiguredActions(
  catalog: Map<string, CatalogEntry>,
  config: OrchestratorConfig,
): string[] {
  return Object.keys(config.actions).filter((id) => !catalog.has(id));
}

/** Actions the orchestrator will not run as their package is written (argv rule 6), with why. */
export const unsafeActions = (catalog: Map<string, CatalogEntry>): { id: string; reason: string }[] =>
  [...catalog].flatMap(([id, entry]) => {
    const reason = powerShellCodeRisk(entry.srp);
    return reason === undefined ? [] : [{ id, reason }];
  });

export const mayRun = (action: Action, roles: readonly Role[]): boolean =>
  roles.some((role) => action.roles.includes(role));
