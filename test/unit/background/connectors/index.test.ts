import { afterEach, describe, expect, it } from 'vitest';
import { connectorFor } from '../../../../src/background/connectors/index.ts';
import { OrchestratorKindSchema } from '../../../../src/core/settings.ts';
import { type EngineServer, startEngineServer } from '../../../support/engine-servers.ts';

let server: EngineServer;
afterEach(() => server?.close());

describe('connectorFor', () => {
  it('gives every orchestrator kind a connector that talks to its own engine API', async () => {
    server = await startEngineServer();
    const seen: Record<string, string> = {};
    for (const kind of OrchestratorKindSchema.options) {
      const entry = { id: kind, kind, name: kind, url: server.url, enabled: true, options: {} };
      const connector = connectorFor(entry, { secret: 's', fetch: globalThis.fetch });
      await connector.testConnection().catch(() => undefined);
      seen[kind] = server.requests.at(-1)?.path ?? '(no request)';
    }
    expect(seen).toMatchObject({
      cortex: '/api/user/current',
      stackstorm: '/api/v1/user',
      logrhythm: '/lr-alarm-api/alarms',
    });
    // The Gridside orchestrator speaks its own /api/v1.
    expect(seen.gridside).toMatch(/^\/api\/v1\//);
  });
});
