import type { Action } from '../../core/api.ts';
import type { CatalogResult } from '../../core/messages.ts';
import type { RowContext } from '../../core/row-context.ts';
import type { OrchestratorEntry } from '../../core/settings.ts';
import type { Connector } from '../connectors/connector.ts';

/**
 * The default orchestrator's actions, cached in memory for about a minute so opening the panel on row
 * after row does not refetch the catalog. Sorted for the row: actions whose field-bound parameters the row
 * can fill come first.
 */
export const CATALOG_TTL_MS = 60_000;

export interface CatalogService {
  list(context: RowContext | null): Promise<CatalogResult>;
  /** An action of an orchestrator's catalog (from the cache when fresh; for this row if the engine's are per row). */
  action(orchestratorId: string, actionId: string, context?: RowContext): Promise<Action | undefined>;
  clear(): void;
}

export function createCatalog(deps: {
  defaultEntry: () => Promise<OrchestratorEntry>;
  connector: (orchestratorId: string) => Promise<Connector>;
  now?: () => number;
  ttlMs?: number;
}): CatalogService {
  const now = deps.now ?? Date.now;
  const ttl = deps.ttlMs ?? CATALOG_TTL_MS;
  const cache = new Map<string, { at: number; actions: Promise<Action[]> }>();

  async function actionsOf(orchestratorId: string, context: RowContext | null): Promise<Action[]> {
    // Engines whose actions are made from the row (Cortex: an analyzer per observable) are asked each time.
    const connector = await deps.connector(orchestratorId);
    if (connector.actionsDependOnRow && context) return connector.listActions(context);
    const hit = cache.get(orchestratorId);
    if (hit && now() - hit.at < ttl) return hit.actions;
    const actions = connector.listActions(null);
    cache.set(orchestratorId, { at: now(), actions });
    // A failed fetch is not cached: the next panel tries again.
    actions.catch(() => cache.delete(orchestratorId));
    return actions;
  }

  return {
    async list(context) {
      const entry = await deps.defaultEntry();
      const actions = await actionsOf(entry.id, context);
      return {
        orchestrator: { id: entry.id, name: entry.name },
        actions: context ? sortForRow(actions, context) : actions,
      };
    },
    async action(orchestratorId, actionId, context) {
      return (await actionsOf(orchestratorId, context ?? null)).find((a) => a.id === actionId);
    },
    clear() {
      cache.clear();
    },
  };
}

/**
 * How well a row fits an action: 2 = every field-bound parameter has a value in the row, 1 = some do,
 * 0 = none or the action binds no fields. Stable: equal scores keep the orchestrator's order.
 */
export function rowFit(action: Action, context: RowContext): number {
  const bound = action.params.flatMap((p) => (p.default && 'field' in p.default ? [p.default.field] : []));
  if (bound.length === 0) return 0;
  const present = bound.filter((field) => (context.fields[field] ?? '') !== '').length;
  if (present === bound.length) return 2;
  return present > 0 ? 1 : 0;
}

export function sortForRow(actions: readonly Action[], context: RowContext): Action[] {
  return actions
    .map((action, index) => ({ action, index, fit: rowFit(action, context) }))
    .sort((a, b) => b.fit - a.fit || a.index - b.index)
    .map(({ action }) => action);
}
