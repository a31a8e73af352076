import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CatalogSchema, RunSchema } from '../../../src/core/api.ts';
import { baseConfig, client, PLUGINS, rowContext, TOKENS } from '../../orchestrator/setup.ts';
import { type OrchestratorHandle, startOrchestrator } from '../../support/orchestrator-process.ts';

/**
 * Least privilege at the orchestrator, against the real process: an action runs only for the roles it
 * lists and is approved only by its approver roles (LogRhythm's per-profile SRP rights), each token has
 * its own rate, and every refusal leaves a line in the audit trail for whoever investigates later.
 */

let orch: OrchestratorHandle;
const base = baseConfig();
beforeAll(async () => {
  orch = await startOrchestrator({
    plugins: PLUGINS,
    config: {
      ...base,
      // A low rate for callers without a token (guessing loops); the named tokens get their own.
      rateLimit: { perMinute: 5 },
      tokens: (base.tokens as { name: string }[]).map((t) =>
        t.name === 'ralph' ? t : { ...t, rateLimitPerMinute: 1000 },
      ),
      actions: {
        ...(base.actions as Record<string, unknown>),
        // Only an admin may approve quarantining a host.
        'test-echo/quarantine-host': { approval: { levels: 1, quorum: 1, approverRoles: ['admin'] } },
      },
    },
  });
});
afterAll(async () => {
  await orch.stop();
  orch.cleanup();
});

const context = rowContext({ SIP: '10.1.2.3', Login: 'jdoe', DHostName: 'ws-17' });

/** The audit trail as the orchestrator wrote it (read-only, while it runs). */
function auditTrail(): { actor: string; event: string; outcome: string | null }[] {
  const db = new Database(orch.db, { readonly: true });
  try {
    return db.prepare('SELECT actor, event, outcome FROM audit ORDER BY seq').all() as {
      actor: string;
      event: string;
      outcome: string | null;
    }[];
  } finally {
    db.close();
  }
}

const refusals = (status: number, actor?: string) =>
  auditTrail().filter(
    (line) =>
      line.event === 'request.refused' &&
      (line.outcome ?? '').startsWith(`${status} `) &&
      (actor === undefined || line.actor === actor),
  );

describe('roles per action', () => {
  it('runs an action only for the roles it lists, and lists it only to them', async () => {
    const alice = client(orch, TOKENS.alice); // analyst
    const bob = client(orch, TOKENS.bob); // approver
    const dave = client(orch, TOKENS.dave); // admin
    expect(
      (await alice.post('/api/v1/runs', { actionId: 'test-echo/admin-only', params: {}, context })).status,
    ).toBe(403);
    expect(
      (await bob.post('/api/v1/runs', { actionId: 'test-echo/disable-account', params: {}, context })).status,
    ).toBe(403);
    const admin = await dave.run('test-echo/admin-only', {}, context);
    expect(RunSchema.parse(admin.body).status).toBe('succeeded');

    const bobsCatalog = CatalogSchema.parse((await bob.get('/api/v1/actions')).body).actions.map((a) => a.id);
    expect(bobsCatalog).not.toContain('test-echo/disable-account');
    expect(bobsCatalog).not.toContain('test-echo/admin-only');
    expect(bobsCatalog).toContain('test-echo/echo-row');

    expect(refusals(403, 'alice').some((l) => l.outcome?.includes('/api/v1/runs'))).toBe(true);
    expect(refusals(403, 'bob').length).toBeGreaterThan(0);
  });

  it('lets only the approver roles of that action approve it', async () => {
    const alice = client(orch, TOKENS.alice);
    const started = await alice.post('/api/v1/runs', {
      actionId: 'test-echo/quarantine-host',
      params: {},
      context,
    });
    expect(started.status).toBe(201);
    const run = RunSchema.parse(started.body);
    expect(run.status).toBe('pending_approval');
    const approve = (token: string) =>
      client(orch, token).post(`/api/v1/runs/${run.id}/approvals`, { decision: 'approve', comment: 'ok' });

    const byApprover = await approve(TOKENS.bob); // an approver, but this action wants an admin
    expect(byApprover.status).toBe(403);
    expect(byApprover.body.error.message).toMatch(/admin/);
    expect((await approve(TOKENS.alice)).status).toBe(403); // the requester, and not an approver
    expect(RunSchema.parse((await alice.get(`/api/v1/runs/${run.id}`)).body).status).toBe('pending_approval');

    expect((await approve(TOKENS.dave)).status).toBe(200);
    const done = RunSchema.parse((await alice.get(`/api/v1/runs/${run.id}?wait=20`)).body);
    expect(done.status).toBe('succeeded');
    expect(done.approvals.map((a) => a.by)).toEqual(['dave']);

    const refused = refusals(403).filter((l) => l.outcome?.includes('/approvals'));
    expect(refused.map((l) => l.actor).sort()).toEqual(['alice', 'bob']);
  });
});

describe('rate limits', () => {
  it('slows one token without slowing the others', async () => {
    const ralph = client(orch, TOKENS.ralph); // 3 a minute
    const statuses: number[] = [];
    for (let i = 0; i < 5; i++) statuses.push((await ralph.get('/api/v1/actions')).status);
    expect(statuses).toEqual([200, 200, 200, 429, 429]);
    // Alice, on the same connection source at the same moment, is not affected.
    expect((await client(orch, TOKENS.alice).get('/api/v1/actions')).status).toBe(200);
  });

  it('slows a token-guessing loop (no valid token: limited per address)', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 8; i++) {
      statuses.push((await client(orch, `guess-${i}-0123456789abcdef`).get('/api/v1/actions')).status);
    }
    expect(statuses.slice(0, 5).every((s) => s === 401)).toBe(true);
    expect(statuses.slice(5)).toEqual([429, 429, 429]);
  });
});

describe('refusals in the audit trail', () => {
  it('records a refused token on a POST, naming no token', async () => {
    const stranger = client(orch, 'not-a-token-but-long-enough-0000');
    const before = refusals(401).length;
    const answer = await stranger.post('/api/v1/runs', {
      actionId: 'test-echo/echo-row',
      params: {},
      context,
    });
    // Either refused for the token, or already rate limited by the guessing test above: both must be audited.
    expect([401, 429]).toContain(answer.status);
    if (answer.status === 401) expect(refusals(401).length).toBe(before + 1);
    expect(JSON.stringify(auditTrail())).not.toContain('not-a-token-but-long-enough-0000');
  });

  // A runaway client or a token-guessing loop must leave a trace: 429s are audited (once a minute per key).
  it('records a rate-limited request (429)', async () => {
    const ralph = client(orch, TOKENS.ralph);
    for (let i = 0; i < 4; i++)
      await ralph.post('/api/v1/runs', { actionId: 'test-echo/echo-row', params: {}, context });
    expect(refusals(429, 'ralph').length).toBeGreaterThan(0);
  });

  // Guessing tokens with GET /api/v1/runs (which lists every run) must leave a trace too.
  it('records a refused token on a GET (401)', async () => {
    // The address may be throttled by the guessing test above; a throttled address is audited once a minute.
    const before = refusals(401).length;
    const answer = await client(orch, 'another-wrong-token-000000000000').get('/api/v1/runs');
    if (answer.status === 401) expect(refusals(401).length).toBe(before + 1);
    else {
      expect(answer.status).toBe(429);
      expect(refusals(429, 'anonymous').length).toBeGreaterThan(0);
    }
  });
});
