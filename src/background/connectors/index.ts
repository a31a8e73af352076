import type { OrchestratorEntry } from '../../core/settings.ts';
import type { Connector, ConnectorDeps, ConnectorFactory } from './connector.ts';
import { createCortexConnector } from './cortex.ts';
import { createGridsideConnector } from './gridside.ts';
import { createLogRhythmConnector } from './logrhythm.ts';
import { createStackStormConnector } from './stackstorm.ts';
import { createWebhookConnector } from './webhook.ts';

/**
 * The one place that knows which file speaks to which engine (docs/architecture.md §6). The background asks for a
 * connector per orchestrator entry; `deps.fetch` is already restricted to the entry's origin.
 */
const FACTORIES: Record<OrchestratorEntry['kind'], ConnectorFactory> = {
  gridside: createGridsideConnector,
  cortex: createCortexConnector,
  stackstorm: createStackStormConnector,
  webhook: createWebhookConnector,
  logrhythm: createLogRhythmConnector,
};

export function connectorFor(entry: OrchestratorEntry, deps: Omit<ConnectorDeps, 'entry'>): Connector {
  return FACTORIES[entry.kind]({ ...deps, entry });
}

export { shareToAlarm } from './logrhythm.ts';
