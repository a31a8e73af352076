import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type OrchestratorHandle, startOrchestrator } from '../support/orchestrator-process.ts';
import { baseConfig, client, PLUGINS, rowContext, TOKENS } from './setup.ts';

/**
 * A refused request as the SIEM receives it (docs/deploy.md §9 asks it to alarm on bursts of them): it
 * must say where the request came from, since a guessed token has no name to go by, and it may name a run
 * only when the request was about one.
 */

let orch: OrchestratorHandle;
beforeAll(async () => {
  orch = await startOrchestrator({ plugins: PLUGINS, config: baseConfig() });
}, 60_000);
afterAll(async () => {
  await orch.stop();
  orch.cleanup();
});

interface Row {
  actor: string;
  run_id: string | null;
  outcome: string;
}
const refusals = (): Row[] => {
  const db = new Database(orch.db, { readonly: true });
  try {
    return db
      .prepare("SELECT actor, run_id, outcome FROM audit WHERE event = 'request.refused' ORDER BY seq")
      .all() as Row[];
  } finally {
    db.close();
  }
};

describe('request.refused', () => {
  it('says which address a refused request came from', async () => {
    expect((await client(orch, 'a-token-nobody-was-given-0123').get('/api/v1/actions')).status).toBe(401);
    const refused = refusals().at(-1);
    expect(refused?.actor).toBe('anonymous');
    expect(refused?.outcome).toBe('401 GET /api/v1/actions: the token is not valid (from 127.0.0.1)');
  });

  it('names a run only when the refused request was about a run', async () => {
    const alice = client(orch, TOKENS.alice);
    const started = await alice.post('/api/v1/runs', {
      actionId: 'test-echo/disable-account',
      params: {},
      context: rowContext({ AlarmId: '77', Account: 'jdoe' }),
    });
    expect(started.body.status).toBe('pending_approval');
    expect(
      (await alice.post(`/api/v1/runs/${started.body.id}/approvals`, { decision: 'approve', comment: '' }))
        .status,
    ).toBe(403);
    expect(refusals().at(-1)?.run_id).toBe(started.body.id);

    // A plugin's id is no run's id: the SIEM would correlate it with nothing, or with the wrong run.
    expect((await alice.post('/api/v1/plugins/test-echo/disable')).status).toBe(403);
    const refused = refusals().at(-1);
    expect(refused?.outcome).toMatch(/^403 POST \/api\/v1\/plugins\/:\w+\/disable: /);
    expect(refused?.run_id).toBeNull();
  });
});
