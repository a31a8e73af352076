import { chmodSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiErrorSchema, HealthSchema } from '../../src/core/api.ts';
import {
  type OrchestratorHandle,
  restartOrchestrator,
  startOrchestrator,
} from '../support/orchestrator-process.ts';
import { baseConfig, client, PLUGINS, rowContext, TOKENS } from './setup.ts';

/**
 * Smaller holes: a `__proto__` key, the framework's own error shape, health spending the caller's rate
 * limit, and a config file the plugin user can read.
 */

let orch: OrchestratorHandle;
beforeAll(async () => {
  orch = await startOrchestrator({ plugins: PLUGINS, config: baseConfig() });
});
afterAll(async () => {
  await orch.stop();
  orch.cleanup();
});

describe('request bodies and errors', () => {
  it('refuses a "__proto__" key in params instead of dropping it', async () => {
    const body = JSON.stringify({
      actionId: 'test-echo/echo-row',
      params: {},
      context: rowContext({}),
    }).replace('"params":{}', '"params":{"__proto__":"x"}');
    const answer = await client(orch, TOKENS.alice).post('/api/v1/runs', body);
    expect(answer.status).toBe(400);
    expect(ApiErrorSchema.parse(answer.body).error.field).toBe('params.__proto__');
  });

  it('refuses a body nested deeper than any request needs with 400, not a stack overflow', async () => {
    const deep = `${'['.repeat(100_000)}${']'.repeat(100_000)}`;
    const answer = await client(orch, TOKENS.alice).post('/api/v1/runs', deep);
    expect(answer.status).toBe(400);
    expect(ApiErrorSchema.parse(answer.body).error).toMatchObject({
      code: 'bad_request',
      field: 'body',
      message: 'the body is nested more than 64 levels deep',
    });
    // A "__proto__" key deep inside, but within the limit, is still named by its path.
    const nested = { actionId: 'test-echo/echo-row', params: {}, context: rowContext({}) };
    const body = JSON.stringify(nested).replace('"params":{}', '"params":{"a":[{"__proto__":1}]}');
    const polluted = await client(orch, TOKENS.alice).post('/api/v1/runs', body);
    expect(ApiErrorSchema.parse(polluted.body).error.field).toBe('params.a.0.__proto__');
  });

  it('answers a URL it cannot decode with the documented error, not the framework one', async () => {
    const answer = await client(orch, TOKENS.alice).get('/api/v1/runs/%E0%A4%A');
    expect(answer.status).toBe(400);
    expect(ApiErrorSchema.parse(answer.body).error.code).toBe('bad_request');
    expect(answer.text).not.toContain('FST_ERR');
    expect(answer.text).not.toContain('%E0');
  });
});

describe('requests in the wrong shape', () => {
  it('asks for application/json when a run is sent as text or bytes', async () => {
    const body = JSON.stringify({ actionId: 'test-echo/echo-row', params: {}, context: rowContext({}) });
    for (const type of ['text/plain', 'application/octet-stream']) {
      const answer = await client(orch, TOKENS.alice).post('/api/v1/runs', body, { 'content-type': type });
      expect(answer.status).toBe(400);
      expect(ApiErrorSchema.parse(answer.body).error).toEqual({
        code: 'bad_request',
        message: 'send the body as application/json',
        field: 'content-type',
      });
    }
  });

  it('answers an unknown route without echoing the request path', async () => {
    for (const route of ['/api/v1//runs', '/api/v1/<script>alert(1)</script>', '/api/v1/runs-marker-7f3a']) {
      const answer = await client(orch, TOKENS.alice).get(route);
      expect(answer.status).toBe(404);
      expect(ApiErrorSchema.parse(answer.body).error).toEqual({
        code: 'not_found',
        message: 'route not found',
      });
      expect(answer.text).not.toContain('marker');
      expect(answer.text).not.toContain('script');
      expect(answer.text).not.toContain('//runs');
    }
  });
});

describe('health', () => {
  it('needs no token and does not spend the caller token budget', async () => {
    const ralph = client(orch, TOKENS.ralph); // 3 requests a minute
    for (let i = 0; i < 5; i++) {
      const health = await ralph.get('/api/v1/health');
      expect(health.status, `health call ${i + 1}`).toBe(200);
      expect(HealthSchema.parse(health.body).user?.name).toBe('ralph');
    }
    expect((await ralph.get('/api/v1/actions')).status).toBe(200);
  });
});

const isRoot = process.getuid?.() === 0;

describe('a config the plugin user can read', () => {
  it.skipIf(!isRoot)(
    'refuses to start, naming the file, unless told otherwise (then it warns)',
    async () => {
      const config = baseConfig();
      const first = await startOrchestrator({ plugins: PLUGINS, config });
      try {
        await first.stop();
        chmodSync(first.configFile, 0o644); // readable by nobody, the plugin user the tests run as
        await expect(restartOrchestrator(first, { plugins: PLUGINS, config })).rejects.toThrow(
          /plugins run as "nobody".*which can read .*orchestrator\.config\.json/,
        );
        const allowed = await restartOrchestrator(first, {
          plugins: PLUGINS,
          config,
          extraArgs: ['--allow-readable-config'],
        });
        expect(allowed.output().stderr).toMatch(/WARNING: plugins run as "nobody".*can read/);
        await allowed.stop();
      } finally {
        first.cleanup();
      }
    },
    60_000,
  );
});
