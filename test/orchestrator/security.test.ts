import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiErrorSchema, CatalogSchema, RunSchema } from '../../src/core/api.ts';
import { type OrchestratorHandle, REPO_ROOT, startOrchestrator } from '../support/orchestrator-process.ts';
import { baseConfig, client, PLUGINS, rowContext, SECRET_SERVER, seenBodies, TOKENS } from './setup.ts';

/** Tokens, request validation, limits, CORS, plugin integrity, secrets and the audit chain. */

/** An API key with characters JSON escapes: the echo plugin prints its argv as JSON, so `\"` and `\\`. */
const API_KEY = 'sk-live-S3cr3t"Key\\Value-4f9a1c77e2';

let orch: OrchestratorHandle;
let exitCode: number | null = null;
beforeAll(async () => {
  orch = await startOrchestrator({
    plugins: PLUGINS,
    config: baseConfig(),
    env: { TEST_ECHO_API_KEY: API_KEY },
  });
});
afterAll(() => orch.cleanup());

const context = rowContext({ SIP: '10.9.9.9', Login: 'jdoe' });

describe('requests', () => {
  it('answers 401 without a token or with a wrong one', async () => {
    for (const token of [undefined, 'not-a-real-token-000000000000']) {
      const api = client(orch, token);
      for (const answer of [
        await api.get('/api/v1/actions'),
        await api.get('/api/v1/runs'),
        await api.post('/api/v1/runs', { actionId: 'test-echo/echo-row', params: {}, context }),
      ]) {
        expect(answer.status).toBe(401);
        expect(ApiErrorSchema.parse(answer.body).error.code).toBe('unauthorized');
      }
    }
  });

  it('answers 400 naming the offending field for malformed requests', async () => {
    const api = client(orch, TOKENS.alice);
    const cases: [unknown, string][] = [
      ['{"actionId": ', 'body'],
      [{ params: {}, context }, 'actionId'],
      [{ actionId: 'test-echo/echo-row', params: { value: 42 }, context }, 'params.value'],
      [
        { actionId: 'test-echo/echo-row', params: {}, context: { ...context, key: { value: '' } } },
        'context.key.value',
      ],
      [{ actionId: 'test-echo/echo-row', params: { nope: 'x' }, context }, 'params.nope'],
    ];
    for (const [body, field] of cases) {
      const answer = await api.post('/api/v1/runs', body);
      expect(answer.status, JSON.stringify(body)).toBe(400);
      expect(ApiErrorSchema.parse(answer.body).error.field).toBe(field);
    }
    const badDecision = await api.post('/api/v1/runs/whatever/approvals', { decision: 'maybe' });
    expect(badDecision.body.error.field).toBe('decision');
    const badLimit = await api.get('/api/v1/runs?limit=0');
    expect(badLimit.status).toBe(400);
    expect(badLimit.body.error.field).toBe('query.limit');
    expect((await api.get('/api/v1/runs/no-such-run')).status).toBe(404);
    expect((await api.get('/api/v1/nothing-here')).body.error.code).toBe('not_found');
  });

  it('answers 413 for a body over the limit', async () => {
    const huge = { actionId: 'test-echo/echo-row', params: { value: 'x'.repeat(600_000) }, context };
    const answer = await client(orch, TOKENS.alice).post('/api/v1/runs', huge);
    expect(answer.status).toBe(413);
    expect(ApiErrorSchema.parse(answer.body).error.code).toBe('payload_too_large');
  });

  it('answers 429 with Retry-After once a token exceeds its rate', async () => {
    const api = client(orch, TOKENS.ralph);
    const statuses: number[] = [];
    for (let i = 0; i < 4; i++) statuses.push((await api.get('/api/v1/actions')).status);
    expect(statuses).toEqual([200, 200, 200, 429]);
    const limited = await api.get('/api/v1/actions');
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(limited.body.error.code).toBe('rate_limited');
    // Other tokens are not affected.
    expect((await client(orch, TOKENS.alice).get('/api/v1/actions')).status).toBe(200);
  });

  it('answers CORS preflights from extension origins only', async () => {
    const preflight = (origin: string) =>
      fetch(`${orch.url}/api/v1/runs`, {
        method: 'OPTIONS',
        headers: {
          origin,
          'access-control-request-method': 'POST',
          'access-control-request-headers': 'authorization,content-type',
        },
      });
    for (const origin of ['chrome-extension://abcdefghijklmnop', 'moz-extension://1b2c3d4e-aaaa-bbbb']) {
      const answer = await preflight(origin);
      expect(answer.status).toBe(204);
      expect(answer.headers.get('access-control-allow-origin')).toBe(origin);
      expect(answer.headers.get('access-control-allow-headers')?.toLowerCase()).toContain('authorization');
    }
    const other = await preflight('https://evil.example');
    expect(other.headers.get('access-control-allow-origin')).toBeNull();
  });
});

describe('plugin integrity', () => {
  it('refuses a plugin changed after import until an admin re-imports it', async () => {
    const alice = client(orch, TOKENS.alice);
    const before = RunSchema.parse((await alice.run('test-tamper/hello', {}, context)).body);
    expect(before.output?.stdout).toBe('hello from the imported script\n');

    writeFileSync(
      path.join(orch.pluginsDir, 'tamper-me', 'hello.mjs'),
      "process.stdout.write('pwned\\n');\n",
    );
    const refused = await alice.post('/api/v1/runs', { actionId: 'test-tamper/hello', params: {}, context });
    expect(refused.status).toBe(409);
    expect(refused.body.error.message).toContain('plugin files changed outside Gridside (hello.mjs)');
    const catalog = CatalogSchema.parse((await alice.get('/api/v1/actions')).body);
    const hello = catalog.actions.find((a) => a.id === 'test-tamper/hello')!;
    expect(hello.available).toBe(false);
    expect(hello.unavailableReason).toContain('re-import');

    expect((await alice.post('/api/v1/plugins/test-tamper/reimport')).status).toBe(403);
    const reimported = await client(orch, TOKENS.dave).post('/api/v1/plugins/test-tamper/reimport');
    expect(reimported.status).toBe(200);
    expect(CatalogSchema.parse(reimported.body).actions[0]?.available).toBe(true);
    const after = RunSchema.parse((await alice.run('test-tamper/hello', {}, context)).body);
    expect(after.output?.stdout).toBe('pwned\n');
  });
});

describe('secrets and audit', () => {
  it('never lets a configured secret out: responses, database, audit or the orchestrator log', async () => {
    const alice = client(orch, TOKENS.alice);
    const run = RunSchema.parse((await alice.run('test-echo/echo-secret', {}, context)).body);
    expect(run.status).toBe('succeeded');
    // Printed inside JSON, escaped: blanked in the text, so the data parsed from it holds no secret either.
    const argv = (run.output!.data as { argv: string[] }).argv;
    expect(argv[argv.indexOf('--api-key') + 1]).toBe('[redacted]');
    await alice.get('/api/v1/actions');
    await alice.get(`/api/v1/runs?limit=500`);
    exitCode = await orch.stop();
    expect(exitCode).toBe(0);

    const everything = [
      ...seenBodies,
      orch.output().stdout,
      orch.output().stderr,
      readFileSync(orch.db).toString('latin1'),
    ].join('\n');
    expect(everything).toContain('[redacted]'); // the plugin did print it; we blanked it
    expect(everything).not.toContain(API_KEY);
    expect(everything).not.toContain(JSON.stringify(API_KEY).slice(1, -1));
    expect(everything).not.toContain(SECRET_SERVER);
    const db = new Database(orch.db, { readonly: true });
    const audit = JSON.stringify(db.prepare('SELECT * FROM audit').all());
    db.close();
    expect(audit).toContain('run.requested');
    expect(audit).not.toContain(JSON.stringify(API_KEY).slice(1, -1)); // the rows as JSON: escaped once
    expect(audit).not.toContain(TOKENS.alice);
  });

  it('verifies the audit chain, and names the first record edited behind its back', () => {
    const verify = () =>
      spawnSync(
        path.join(REPO_ROOT, 'node_modules/.bin/tsx'),
        ['src/orchestrator/audit-verify.ts', '--db', orch.db],
        {
          cwd: REPO_ROOT,
          encoding: 'utf8',
        },
      );
    const intact = verify();
    expect(intact.status).toBe(0);
    expect(intact.stdout).toMatch(/^OK \d+ audit records/);

    const db = new Database(orch.db);
    // The table refuses edits outright…
    expect(() => db.prepare("UPDATE audit SET outcome = 'x' WHERE seq = 3").run()).toThrow(/append-only/);
    // …so someone with the file drops the guard first. The chain still gives them away.
    db.exec('DROP TRIGGER audit_no_update');
    db.prepare("UPDATE audit SET actor = 'nobody' WHERE seq = 3").run();
    db.close();
    const broken = verify();
    expect(broken.status).toBe(1);
    expect(broken.stdout).toContain('seq 3');
    expect(broken.stdout).toContain('edited');
  });
});
