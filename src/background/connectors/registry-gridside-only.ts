import type { OrchestratorEntry } from '../../core/settings.ts';
import { type Connector, type ConnectorDeps, ConnectorError } from './connector.ts';
import { createGridsideConnector } from './gridside.ts';

/**
 * TEMPORARY (2026-11): stands in for connectors/index.ts (`connectorFor`, dispatching on `entry.kind`)
 * until the other engines' connectors land; then src/background/orchestrators.ts imports index.ts and
 * this file goes.
 */
export function connectorFor(entry: OrchestratorEntry, deps: Omit<ConnectorDeps, 'entry'>): Connector {
  if (entry.kind === 'gridside') return createGridsideConnector({ ...deps, entry });
  throw new ConnectorError(
    'not_configured',
    `This version of Gridside cannot talk to ${entry.kind} engines yet.`,
    'Choose a Gridside orchestrator in Gridside options.',
  );
}
