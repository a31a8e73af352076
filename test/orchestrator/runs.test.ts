import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiErrorSchema, CatalogSchema, HealthSchema, RunListSchema, RunSchema } from '../../src/core/api.ts';
import { type OrchestratorHandle, startOrchestrator } from '../support/orchestrator-process.ts';
import {
  alive,
  baseConfig,
  client,
  PLUGINS,
  rowContext,
  SECRET_API_KEY,
  SECRET_SERVER,
  sleeperPids,
  TOKENS,
  waitUntil,
} from './setup.ts';

/** Catalog, parameter binding, argv safety, output handling, timeouts and cancel — one shared server. */

let orch: OrchestratorHandle;
beforeAll(async () => {
  orch = await startOrchestrator({
    plugins: PLUGINS,
    config: baseConfig(),
    env: { TEST_ECHO_API_KEY: SECRET_API_KEY },
  });
});
afterAll(async () => {
  expect(await orch.stop()).toBe(0);
  orch.cleanup();
});

describe('catalog', () => {
  it('answers health without a token, saying no more than that it is up, and names the caller with one', async () => {
    const anonymous = await client(orch).get('/api/v1/health');
    expect(anonymous.status).toBe(200);
    // No version to look up flaws for, no count of what it runs.
    expect(anonymous.body).toEqual({ status: 'ok', user: null });
    const alice = await client(orch, TOKENS.alice).get('/api/v1/health');
    const health = HealthSchema.parse(alice.body);
    expect(health.user).toEqual({ name: 'alice', roles: ['analyst'] });
    expect(health.version).toMatch(/^\d+\.\d+\.\d+/);
    expect(health.actions).toBeGreaterThan(5);
  });

  it('lists only the actions the caller may run, with default bindings and config flags', async () => {
    const alice = CatalogSchema.parse((await client(orch, TOKENS.alice).get('/api/v1/actions')).body);
    const dave = CatalogSchema.parse((await client(orch, TOKENS.dave).get('/api/v1/actions')).body);
    const ids = alice.actions.map((a) => a.id);
    expect(ids).toContain('test-echo/echo-row');
    expect(ids).not.toContain('test-echo/admin-only');
    expect(dave.actions.map((a) => a.id)).toContain('test-echo/admin-only');

    const echo = alice.actions.find((a) => a.id === 'test-echo/echo-row')!;
    expect(echo.sideEffects).toBe(false);
    expect(echo.cacheTtlSeconds).toBe(300);
    expect(echo.params.find((p) => p.id === 'source-ip')?.default).toEqual({ field: 'SIP' });
    expect(echo.params.find((p) => p.id === 'mode')?.default).toEqual({ static: 'lookup' });

    const secret = alice.actions.find((a) => a.id === 'test-echo/echo-secret')!;
    expect(secret.params.find((p) => p.id === 'api-key')).toMatchObject({
      encrypted: true,
      fromConfig: false,
    });
    expect(secret.params.find((p) => p.id === 'directory-server')).toMatchObject({ fromConfig: true });
    // An action the config does not mention: runnable by all roles, no approval, assumed to change things.
    const fail = alice.actions.find((a) => a.id === 'test-chatty/fail')!;
    expect(fail).toMatchObject({ sideEffects: true, cacheTtlSeconds: 0, approval: { levels: 0 } });
  });
});

describe('runs', () => {
  it('answers a run it can start at once as running, its plugin already spawned', async () => {
    const api = client(orch, TOKENS.alice);
    const answer = await api.post('/api/v1/runs', {
      actionId: 'test-echo/echo-row',
      params: {},
      context: rowContext({ SIP: '10.9.8.7' }),
    });
    expect(answer.status).toBe(201);
    const run = RunSchema.parse(answer.body);
    expect(run.status).toBe('running');
    expect(run.timing.startedAt).not.toBeNull();
    const done = RunSchema.parse((await api.get(`/api/v1/runs/${run.id}?wait=30`)).body);
    expect(done.status).toBe('succeeded');
  });

  it('binds row fields to parameters and returns the plugin output', async () => {
    const api = client(orch, TOKENS.alice);
    const answer = await api.run(
      'test-echo/echo-row',
      { 'target-host': 'ws-042' },
      rowContext({ SIP: '10.1.2.3', DHostName: 'ignored-because-sent', AlarmId: '77' }),
    );
    const run = RunSchema.parse(answer.body);
    expect(run.status).toBe('succeeded');
    expect(run.requestedBy).toBe('alice');
    expect(run.alarmId).toBe('77');
    expect(run.params).toEqual({ 'source-ip': '10.1.2.3', 'target-host': 'ws-042', mode: 'lookup' });
    expect(run.output?.data).toMatchObject({
      argv: ['--ip', '10.1.2.3', '--host', 'ws-042', '--mode', 'lookup', ''],
    });
    expect(run.timing.durationMs).not.toBeNull();

    const history = RunListSchema.parse((await api.get('/api/v1/runs?alarmId=77')).body);
    expect(history.runs.map((r) => r.id)).toEqual([run.id]);
  });

  it('passes each hostile value to the script as exactly one unchanged argument', async () => {
    const hostile = [
      '; rm -rf / #',
      '$(id)',
      '`id`',
      "'; Stop-Computer; '",
      'first line\nsecond line',
      '"a b" \'c d\' \\ %PATH% && whoami | tee /tmp/x',
      'A'.repeat(50_000) + ' B'.repeat(25_000), // 100 KB
    ];
    const api = client(orch, TOKENS.alice);
    const runs = await Promise.all(
      hostile.map((value) =>
        api.run('test-echo/echo-row', {}, rowContext({ SIP: '10.0.0.1', Object: value })),
      ),
    );
    runs.forEach((answer, index) => {
      const run = RunSchema.parse(answer.body);
      expect(run.status).toBe('succeeded');
      const argv = (run.output!.data as { argv: string[] }).argv;
      expect(argv).toEqual(['--ip', '10.0.0.1', '--mode', 'lookup', hostile[index]]);
    });
  });

  it('fills encrypted and config parameters itself, maps full Windows interpreter paths, scrubs env', async () => {
    const answer = await client(orch, TOKENS.alice).run(
      'test-echo/echo-secret',
      {},
      rowContext({ Login: 'jdoe' }),
    );
    const run = RunSchema.parse(answer.body);
    expect(run.status).toBe('succeeded');
    expect(run.params).toEqual({ login: 'jdoe' });
    // The script did receive the secret (then the orchestrator blanked it out of the captured output).
    expect(run.output?.stdout).toContain('"--api-key","[redacted]"');
    expect(run.output?.stdout).toContain('"--server","[redacted]"');
    expect(answer.text).not.toContain(SECRET_API_KEY);
    expect(answer.text).not.toContain(SECRET_SERVER);
    const env = (run.output!.data as { env: string[] }).env;
    expect(env).not.toContain('TEST_ECHO_API_KEY');
    expect(env).not.toContain('HOME');
  });

  it('refuses client values for encrypted, config-filled and constant parameters', async () => {
    const api = client(orch, TOKENS.alice);
    for (const id of ['api-key', 'directory-server', 'script']) {
      const answer = await api.post('/api/v1/runs', {
        actionId: 'test-echo/echo-secret',
        params: { [id]: 'attacker value' },
        context: rowContext({ Login: 'jdoe' }),
      });
      expect(answer.status).toBe(400);
      expect(ApiErrorSchema.parse(answer.body).error.field).toBe(`params.${id}`);
    }
  });

  it('names a missing required parameter', async () => {
    const answer = await client(orch, TOKENS.alice).post('/api/v1/runs', {
      actionId: 'test-echo/needs-reason',
      params: {},
      context: rowContext({}),
    });
    expect(answer.status).toBe(400);
    expect(answer.body.error.field).toBe('params.reason');
    expect(answer.body.error.message).toContain('Reason*');
  });

  it('turns a Cortex-style report into taxonomies and data', async () => {
    const run = RunSchema.parse(
      (
        await client(orch, TOKENS.alice).run(
          'test-chatty/print-report',
          {},
          rowContext({ SIP: '203.0.113.9' }),
        )
      ).body,
    );
    expect(run.status).toBe('succeeded');
    expect(run.output?.taxonomies).toEqual([
      { level: 'malicious', namespace: 'TestRep', predicate: 'Score', value: '97' },
      { level: 'info', namespace: 'TestRep', predicate: 'ASN', value: 'AS64500' },
    ]);
    expect(run.output?.data).toEqual({ ip: '203.0.113.9', score: 97 });
  });

  it('marks a non-zero exit as failed with the reason and keeps stderr', async () => {
    const run = RunSchema.parse(
      (await client(orch, TOKENS.alice).run('test-chatty/fail', {}, rowContext({}))).body,
    );
    expect(run.status).toBe('failed');
    expect(run.reason).toContain('exited with code 3');
    expect(run.output?.exitCode).toBe(3);
    expect(run.output?.stderr).toContain('directory server refused');
  });

  it('refuses to start a command that is not in the interpreter map', async () => {
    const run = RunSchema.parse(
      (await client(orch, TOKENS.alice).run('test-chatty/run-unknown-program', {}, rowContext({}))).body,
    );
    expect(run.status).toBe('failed');
    expect(run.reason).toContain('interpreter map');
  });

  it('caps captured output and says it was truncated', async () => {
    const run = RunSchema.parse(
      (await client(orch, TOKENS.alice).run('test-chatty/print-lots', {}, rowContext({}))).body,
    );
    expect(run.status).toBe('succeeded');
    expect(run.output?.truncated).toBe(true);
    expect(Buffer.byteLength(run.output!.stdout)).toBe(256 * 1024);
    expect(run.output?.stderr).toBe('done\n');
  });

  it('times out, killing the script and the helper it started', async () => {
    const answer = await client(orch, TOKENS.alice).run('test-sleeper/sleep-with-helper', {}, rowContext({}));
    const run = RunSchema.parse(answer.body);
    expect(run.status).toBe('timed_out');
    expect(run.reason).toContain('longer than 2 s');
    const { pid, helperPid } = await sleeperPids(run.id);
    expect(await waitUntil(() => !alive(pid) && !alive(helperPid))).toBe(true);
  });

  it('answers a start that asks to wait once the run has ended, with its output', async () => {
    const answer = await client(orch, TOKENS.alice).post('/api/v1/runs', {
      actionId: 'test-echo/echo-row',
      params: {},
      context: rowContext({ SIP: '10.9.8.6' }),
      wait: 10,
    });
    expect(answer.status).toBe(201);
    const run = RunSchema.parse(answer.body);
    expect(run.status).toBe('succeeded');
    expect(run.output?.stdout).toContain('10.9.8.6');
  });

  it('answers a start that asks to wait with the run as it stands when the time is up', async () => {
    const api = client(orch, TOKENS.alice);
    const asked = Date.now();
    const answer = await api.post('/api/v1/runs', {
      actionId: 'test-sleeper/sleep-with-helper',
      params: { seconds: '20' },
      context: rowContext({}),
      wait: 0.5,
    });
    const waited = Date.now() - asked;
    expect(answer.status).toBe(201);
    const run = RunSchema.parse(answer.body);
    expect(run.status).toBe('running');
    expect(waited).toBeGreaterThanOrEqual(450);
    expect((await api.post(`/api/v1/runs/${run.id}/cancel`)).status).toBe(200);
    expect(RunSchema.parse((await api.get(`/api/v1/runs/${run.id}?wait=10`)).body).status).toBe('canceled');
  });

  it('answers a start that asks to wait at once when the run needs approval', async () => {
    const api = client(orch, TOKENS.alice);
    const asked = Date.now();
    const answer = await api.post('/api/v1/runs', {
      actionId: 'test-echo/disable-account',
      params: {},
      context: rowContext({ Login: 'jdoe' }),
      wait: 10,
    });
    expect(answer.status).toBe(201);
    expect(RunSchema.parse(answer.body).status).toBe('pending_approval');
    expect(Date.now() - asked).toBeLessThan(5000);
    expect((await api.post(`/api/v1/runs/${answer.body.id}/cancel`)).status).toBe(200);
  });

  it('refuses a start that asks to wait longer than it may', async () => {
    const answer = await client(orch, TOKENS.alice).post('/api/v1/runs', {
      actionId: 'test-echo/echo-row',
      params: {},
      context: rowContext({ SIP: '10.9.8.5' }),
      wait: 11,
    });
    expect(answer.status).toBe(400);
    expect(ApiErrorSchema.parse(answer.body).error.field).toBe('wait');
  });

  it('cancels a running run and kills its process group; a finished run cannot be canceled', async () => {
    const api = client(orch, TOKENS.alice);
    const started = await api.post('/api/v1/runs', {
      actionId: 'test-sleeper/sleep-with-helper',
      params: { seconds: '20' },
      context: rowContext({}),
    });
    expect(started.status).toBe(201);
    const id = started.body.id as string;
    const pids = await sleeperPids(id);
    expect(alive(pids.helperPid)).toBe(true);
    const bob = client(orch, TOKENS.bob);
    expect((await bob.post(`/api/v1/runs/${id}/cancel`)).status).toBe(403);
    const canceled = await api.post(`/api/v1/runs/${id}/cancel`);
    expect(canceled.status).toBe(200);
    const ended = RunSchema.parse((await api.get(`/api/v1/runs/${id}?wait=10`)).body);
    expect(ended.status).toBe('canceled');
    expect(ended.reason).toBe('canceled by alice');
    expect(await waitUntil(() => !alive(pids.pid) && !alive(pids.helperPid))).toBe(true);
    const again = await api.post(`/api/v1/runs/${id}/cancel`);
    expect(again.status).toBe(409);
    expect(ApiErrorSchema.parse(again.body).error.code).toBe('conflict');
  });
});
