import { afterEach, describe, expect, it } from 'vitest';
import { ConnectorError } from '../../../../src/background/connectors/connector.ts';
import { createStackStormConnector } from '../../../../src/background/connectors/stackstorm.ts';
import { ST2_STATUS } from '../../../../src/background/connectors/stackstorm-map.ts';
import { ActionSchema, RunSchema } from '../../../../src/core/api.ts';
import type { RowContext } from '../../../../src/core/row-context.ts';
import {
  depsFor,
  type EngineServer,
  engineFixture,
  errorPathCases,
  refusedUrl,
  startEngineServer,
} from '../../../support/engine-servers.ts';

// Real documents from st2docs monitoring.rst (test/fixtures/engines/README.md).
type Execution = Record<string, unknown> & { id: string; action: Record<string, unknown> };
const REQUESTED = engineFixture<Execution>(
  'stackstorm/execution_post_response_requested.st2docs-monitoring.json',
);
const SUCCEEDED = engineFixture<Execution>('stackstorm/execution_get_succeeded.st2docs-monitoring.json');
const CORE_LOCAL = REQUESTED.action;

// An enrichment action in the documented action shape (parameters as a JSON-schema-like map).
const IP_LOOKUP = {
  ref: 'enrich.ip_lookup',
  pack: 'enrich',
  name: 'ip_lookup',
  description: 'Look up an address in the threat intel store.',
  enabled: true,
  runner_type: 'python-script',
  parameters: {
    ip_address: { type: 'string', required: true, description: 'Address to look up', position: 0 },
    api_token: { type: 'string', secret: true, required: true },
    max_results: { type: 'integer', default: 5 },
    include_history: { type: 'boolean' },
    tags: { type: 'array' },
    region: { type: 'string', default: 'eu', immutable: true },
  },
};
const st2Error = (message: string) => ({ faultstring: message });

const row = (fields: Record<string, string>): RowContext => ({
  console: 'https://siem.example.com',
  kind: 'log',
  key: { value: 'log-1', source: 'column', confidence: 'high' },
  fields,
  labels: {},
  missing: [],
  truncated: [],
});

let server: EngineServer;
afterEach(() => server?.close());

async function st2(routes: Parameters<typeof startEngineServer>[0], options = {}) {
  server = await startEngineServer(routes);
  return createStackStormConnector(depsFor('stackstorm', server.url, options, 'st2-key'));
}

describe('StackStorm connector', () => {
  it('lists actions with their parameters bound to row fields, secrets and constants kept by st2', async () => {
    const connector = await st2({ 'GET /api/v1/actions': { json: [CORE_LOCAL, IP_LOOKUP] } });
    const actions = await connector.listActions(null);
    expect(actions.map((a) => a.id)).toEqual(['core/core.local', 'enrich/enrich.ip_lookup']);
    const lookup = actions[1]!;
    const byId = Object.fromEntries(lookup.params.map((p) => [p.id, p]));
    expect(byId.ip_address).toMatchObject({ default: { field: 'SIP' }, required: true, kind: 'string' });
    expect(byId.api_token).toMatchObject({ encrypted: true, fromConfig: true, required: false });
    expect(byId.api_token?.default).toBeUndefined();
    expect(byId.region).toMatchObject({ kind: 'constant', default: { static: 'eu' } });
    expect(byId.max_results).toMatchObject({ default: { static: '5' }, required: false });
    expect(lookup.params[0]?.id).toBe('ip_address');
    // The real core.local: `cmd` required, runner's `sudo` made immutable.
    expect(actions[0]?.params.map((p) => [p.id, p.kind, p.required])).toEqual([
      ['cmd', 'string', true],
      ['sudo', 'constant', false],
    ]);
    expect(lookup.sideEffects).toBe(true);
    expect(server.requests[0]?.headers['st2-api-key']).toBe('st2-key');
  });

  it('filters by pack, uses the entry mapping over name guesses, and caches read-only actions', async () => {
    const connector = await st2(
      {
        'GET /api/v1/actions': (req) => ({
          json: req.query.get('pack') === 'enrich' ? [IP_LOOKUP] : [CORE_LOCAL],
        }),
      },
      {
        packs: ['enrich'],
        mapping: { 'enrich.ip_lookup': { ip_address: 'DIP' } },
        readOnlyActions: ['enrich.ip_lookup'],
      },
    );
    const [lookup, ...rest] = await connector.listActions(row({ SIP: '10.0.0.1' }));
    expect(rest).toHaveLength(0);
    expect(lookup?.params.find((p) => p.id === 'ip_address')?.default).toEqual({ field: 'DIP' });
    expect(lookup).toMatchObject({ sideEffects: false, cacheTtlSeconds: 600 });
  });

  it('binds no field to a parameter named like a built-in of every object', async () => {
    const odd = {
      ...IP_LOOKUP,
      ref: 'enrich.odd',
      name: 'odd',
      parameters: {
        constructor: { type: 'string' },
        toString: { type: 'string' },
        valueOf: { type: 'string' },
      },
    };
    const connector = await st2(
      { 'GET /api/v1/actions': { json: [odd] } },
      { mapping: { 'enrich.odd': { valueOf: 'SIP' } } },
    );
    const [action] = await connector.listActions(null);
    expect(ActionSchema.safeParse(action).success).toBe(true);
    expect(action?.params.map((p) => [p.id, p.default])).toEqual([
      ['constructor', undefined],
      ['toString', undefined],
      ['valueOf', { field: 'SIP' }],
    ]);
  });

  it('pages through long action lists', async () => {
    const many = Array.from({ length: 130 }, (_, i) => ({
      ...IP_LOOKUP,
      ref: `enrich.a${i}`,
      name: `a${i}`,
    }));
    const connector = await st2({
      'GET /api/v1/actions': (req) => {
        const offset = Number(req.query.get('offset'));
        return {
          json: many.slice(offset, offset + Number(req.query.get('limit'))),
          headers: { 'x-total-count': '130' },
        };
      },
    });
    expect(await connector.listActions(null)).toHaveLength(130);
  });

  it('starts an execution with typed parameters, never sending secrets or constants', async () => {
    const connector = await st2(
      {
        'GET /api/v1/actions': { json: [IP_LOOKUP] },
        'GET /api/v1/actions/:ref': { json: IP_LOOKUP },
        'POST /api/v1/executions': {
          json: { ...REQUESTED, action: IP_LOOKUP, parameters: { ip_address: '10.0.0.1' } },
        },
      },
      { authMode: 'token' },
    );
    const [action] = await connector.listActions(null);
    const run = await connector.startRun({
      action: action!,
      params: {
        ip_address: '10.0.0.1',
        max_results: '7',
        include_history: 'true',
        tags: 'a, b',
        api_token: 'typed',
        region: 'us',
      },
      context: row({ SIP: '10.0.0.1' }),
    });
    expect(RunSchema.parse(run)).toMatchObject({ id: REQUESTED.id, status: 'queued', rowKey: 'log-1' });
    const post = server.requests.find((r) => r.method === 'POST')!;
    expect(post.headers['x-auth-token']).toBe('st2-key');
    expect(post.json).toEqual({
      action: 'enrich.ip_lookup',
      parameters: { ip_address: '10.0.0.1', max_results: 7, include_history: true, tags: ['a', 'b'] },
    });
  });

  it('refuses a value of the wrong type before calling st2', async () => {
    const connector = await st2({ 'GET /api/v1/actions/:ref': { json: IP_LOOKUP } });
    const action = { id: 'enrich/enrich.ip_lookup', name: 'ip_lookup' } as never;
    await expect(
      connector.startRun({
        action,
        params: { ip_address: '1.2.3.4', max_results: 'many' },
        context: row({}),
      }),
    ).rejects.toMatchObject({ code: 'bad_request', message: /max_results must be a whole number/ });
    expect(server.requests.some((r) => r.method === 'POST')).toBe(false);
  });

  it('polls the real execution to success and shows the shell stdout', async () => {
    let n = 0;
    const connector = await st2({
      'GET /api/v1/executions/:id': () => ({ json: ++n === 1 ? REQUESTED : SUCCEEDED }),
    });
    expect((await connector.getRun(SUCCEEDED.id)).status).toBe('queued');
    const done = RunSchema.parse(await connector.getRun(SUCCEEDED.id));
    expect(done).toMatchObject({ status: 'succeeded', requestedBy: 'st2admin', params: { cmd: 'date -R' } });
    expect(done.output).toMatchObject({ stdout: 'Sun, 09 Oct 2016 18:37:46 -0700', stderr: '', exitCode: 0 });
    expect(done.timing).toMatchObject({ finishedAt: '2016-10-10T01:37:46.276256Z', durationMs: 339 });
  });

  it('keeps a non-shell result as JSON data, and a failed shell run says why', async () => {
    let result: unknown = { verdict: 'clean', sources: 3 };
    let status = 'succeeded';
    const connector = await st2({
      'GET /api/v1/executions/:id': () => ({ json: { ...SUCCEEDED, status, result } }),
    });
    expect((await connector.getRun('x')).output).toMatchObject({
      stdout: '',
      data: { verdict: 'clean', sources: 3 },
    });
    // The failed execution in st2docs monitoring.rst (st2actionrunner audit log).
    result = {
      succeeded: false,
      failed: true,
      return_code: 127,
      stderr: 'bash: foo: command not found',
      stdout: '',
    };
    status = 'failed';
    const failed = await connector.getRun('x');
    expect(failed).toMatchObject({
      status: 'failed',
      reason: 'bash: foo: command not found',
      output: { exitCode: 127 },
    });
  });

  it('maps the documented st2 state set exactly', async () => {
    expect(ST2_STATUS).toEqual({
      requested: 'queued',
      scheduled: 'queued',
      delayed: 'queued',
      pending: 'pending_approval',
      running: 'running',
      canceling: 'running',
      pausing: 'running',
      paused: 'running',
      resuming: 'running',
      succeeded: 'succeeded',
      failed: 'failed',
      abandoned: 'failed',
      timeout: 'timed_out',
      canceled: 'canceled',
    });
    let status = 'abandoned';
    const connector = await st2({ 'GET /api/v1/executions/:id': () => ({ json: { ...SUCCEEDED, status } }) });
    expect(await connector.getRun('x')).toMatchObject({ status: 'failed', reason: /abandoned/ });
    status = 'timeout';
    expect(await connector.getRun('x')).toMatchObject({ status: 'timed_out' });
  });

  it('cancels with DELETE on the execution', async () => {
    const connector = await st2({
      'DELETE /api/v1/executions/:id': { json: { ...SUCCEEDED, status: 'canceling' } },
    });
    await connector.cancelRun(SUCCEEDED.id);
    expect(server.requests[0]).toMatchObject({
      method: 'DELETE',
      path: `/api/v1/executions/${SUCCEEDED.id}`,
    });
  });

  it('names the user in a connection test', async () => {
    const connector = await st2({
      'GET /api/v1/user': { json: { username: 'st2admin', authentication: { method: 'api_key' } } },
    });
    expect(await connector.testConnection()).toEqual({ user: 'st2admin' });
  });

  for (const c of errorPathCases(st2Error, { ...SUCCEEDED, status: 'exploded' })) {
    it(`turns ${c.name} into "${c.code}" with a hint`, async () => {
      const connector = await st2({ 'GET /api/v1/executions/:id': c.reply });
      const error = await connector.getRun('x').catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ConnectorError);
      expect(error).toMatchObject({ code: c.code });
      expect((error as ConnectorError).hint).toBeTruthy();
      if (c.says) expect((error as ConnectorError).message).toMatch(c.says);
      if (c.retryAfterMs !== undefined) expect((error as ConnectorError).retryAfterMs).toBe(c.retryAfterMs);
    });
  }

  it('gives up with "timeout" when the caller signal times out', async () => {
    const connector = await st2({ 'GET /api/v1/executions/:id': { hang: true } });
    await expect(connector.getRun('x', AbortSignal.timeout(200))).rejects.toMatchObject({ code: 'timeout' });
  });

  it('says StackStorm is unreachable when the connection is refused', async () => {
    const connector = createStackStormConnector(depsFor('stackstorm', await refusedUrl()));
    await expect(connector.getRun('x')).rejects.toMatchObject({ code: 'unreachable' });
  });
});
