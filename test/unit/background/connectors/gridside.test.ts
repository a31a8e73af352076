import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConnectorError } from '../../../../src/background/connectors/connector.ts';
import { parseRetryAfter } from '../../../../src/background/connectors/engine-http.ts';
import { createGridsideConnector } from '../../../../src/background/connectors/gridside.ts';
import type { OrchestratorEntry } from '../../../../src/core/settings.ts';
import {
  type FakeOrchestrator,
  sampleAction,
  sampleContext,
  sampleRun,
  startFakeOrchestrator,
} from '../fake-orchestrator.ts';

let server: FakeOrchestrator;
beforeAll(async () => {
  server = await startFakeOrchestrator();
});
afterAll(() => server.close());

const entryFor = (url: string): OrchestratorEntry => ({
  id: 'main',
  kind: 'gridside',
  name: 'Main orchestrator',
  url,
  enabled: true,
  options: {},
});

const connector = (url = server.url, secret: string | null = 'tok-123') =>
  createGridsideConnector({ entry: entryFor(url), secret: secret ?? undefined, fetch });

async function failure(promise: Promise<unknown>): Promise<ConnectorError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ConnectorError);
  return error as ConnectorError;
}

describe('Gridside connector', () => {
  it('refuses a plain-http orchestrator that is not on this machine, before sending the token', async () => {
    const calls: string[] = [];
    const spy = (async (input: RequestInfo | URL) => {
      calls.push(String(input));
      return new Response('{}');
    }) as typeof fetch;
    const remote = createGridsideConnector({
      entry: entryFor('http://orchestrator.soc.example.com:8787/'),
      secret: 'tok-123',
      fetch: spy,
    });
    const error = await failure(remote.listActions({} as never));
    expect(error.code).toBe('refused');
    expect(error.message).toContain('http://orchestrator.soc.example.com:8787');
    expect(error.message).toMatch(/https:\/\//);
    expect(calls).toEqual([]);
    // The same orchestrator on this machine (the demo) is fine over http: the fake one answers.
    const before = server.requests.length;
    await connector(server.url)
      .listActions({} as never)
      .catch(() => undefined);
    expect(server.requests.length).toBe(before + 1);
  });

  it('lists actions with the Bearer token', async () => {
    server.handle(() => ({ body: { actions: [sampleAction()] } }));
    const actions = await connector().listActions(null);
    expect(actions.map((a) => a.name)).toEqual(['Look up IP owner']);
    expect(server.requests.at(-1)).toMatchObject({
      method: 'GET',
      path: '/api/v1/actions',
      authorization: 'Bearer tok-123',
    });
  });

  it('keeps a path prefix of the configured URL', async () => {
    server.handle(() => ({ body: { actions: [] } }));
    await connector(`${server.origin}/gridside/`).listActions(null);
    expect(server.requests.at(-1)?.path).toBe('/gridside/api/v1/actions');
  });

  it('starts a run with action id, params and row context', async () => {
    server.handle(() => ({ status: 201, body: sampleRun() }));
    const run = await connector().startRun({
      action: sampleAction(),
      params: { ip: '10.1.2.3' },
      context: sampleContext,
    });
    expect(run.status).toBe('queued');
    expect(server.requests.at(-1)).toMatchObject({
      method: 'POST',
      path: '/api/v1/runs',
      body: {
        actionId: 'whois/lookup-ip',
        params: { ip: '10.1.2.3' },
        context: { console: sampleContext.console },
      },
    });
  });

  it('starts several runs in one POST, each answered as its start alone would be', async () => {
    const refusal = { code: 'forbidden', message: 'running "Look up IP owner" needs one of the roles admin' };
    server.handle((req) =>
      req.path === '/api/v1/runs/many'
        ? { body: { results: [{ run: sampleRun({ id: 'r1' }) }, { status: 403, error: refusal }] } }
        : { status: 403, body: { error: refusal } },
    );
    const start = (ip: string) => ({ action: sampleAction(), params: { ip }, context: sampleContext });
    const results = await connector().startRuns!([start('10.1.2.3'), start('10.1.2.4')]);
    expect(server.requests.at(-1)).toMatchObject({
      method: 'POST',
      path: '/api/v1/runs/many',
      body: {
        runs: [
          {
            actionId: 'whois/lookup-ip',
            params: { ip: '10.1.2.3' },
            context: { console: sampleContext.console },
          },
          { actionId: 'whois/lookup-ip', params: { ip: '10.1.2.4' } },
        ],
      },
    });
    const sent = server.requests.at(-1)?.body as { runs: object[] } | undefined;
    expect(sent?.runs[0]).not.toHaveProperty('wait');
    expect(results[0]).toMatchObject({ id: 'r1' });
    const alone = await failure(connector().startRun(start('10.1.2.4')));
    expect(results[1]).toBeInstanceOf(ConnectorError);
    expect(results[1]).toMatchObject({ code: alone.code, message: alone.message, hint: alone.hint });
    expect(alone.message).toContain('needs one of the roles admin');
  });

  it('names each start with its key, alone and in a many-runs start', async () => {
    server.handle((req) =>
      req.path === '/api/v1/runs/many'
        ? { body: { results: [{ run: sampleRun({ id: 'r1' }) }, { run: sampleRun({ id: 'r2' }) }] } }
        : { status: 201, body: sampleRun() },
    );
    const start = (ip: string, key: string) => ({
      action: sampleAction(),
      params: { ip },
      context: sampleContext,
      key,
    });
    await connector().startRun(start('10.1.2.3', 'job-1'));
    expect(server.requests.at(-1)?.body).toMatchObject({
      actionId: 'whois/lookup-ip',
      idempotencyKey: 'job-1',
    });
    await connector().startRuns!([start('10.1.2.3', 'job-2'), start('10.1.2.4', 'job-3')]);
    expect(server.requests.at(-1)?.body).toMatchObject({
      runs: [{ idempotencyKey: 'job-2' }, { idempotencyKey: 'job-3' }],
    });
  });

  it('knows an orchestrator keeps start keys only once a run came back with the key it was sent with', async () => {
    const keeping = await startFakeOrchestrator();
    try {
      let echo = false;
      keeping.handle((req) => {
        const key = (req.body as { idempotencyKey?: string }).idempotencyKey;
        return { status: 201, body: sampleRun(echo && key ? { idempotencyKey: key } : {}) };
      });
      const gridside = connector(keeping.url);
      const start = { action: sampleAction(), params: {}, context: sampleContext, key: 'job-1' };
      expect(gridside.startsOnceByKey?.()).toBe(false);
      // An orchestrator from before keys answers without one.
      await gridside.startRun(start);
      expect(gridside.startsOnceByKey?.()).toBe(false);
      echo = true;
      await gridside.startRun(start);
      expect(gridside.startsOnceByKey?.()).toBe(true);
      // Known for that orchestrator alone.
      expect(connector(server.url).startsOnceByKey?.()).toBe(false);
    } finally {
      await keeping.close();
    }
  });

  it('knows an orchestrator keeps start keys from its catalog, before any start', async () => {
    const saying = await startFakeOrchestrator();
    const silent = await startFakeOrchestrator();
    try {
      saying.handle(() => ({ body: { actions: [sampleAction()], startKeys: true } }));
      silent.handle(() => ({ body: { actions: [sampleAction()] } }));
      const keeps = connector(saying.url);
      expect(keeps.startsOnceByKey?.()).toBe(false);
      expect(await keeps.listActions(sampleContext)).toHaveLength(1);
      expect(keeps.startsOnceByKey?.()).toBe(true);
      // A catalog that does not say so teaches nothing.
      const older = connector(silent.url);
      await older.listActions(sampleContext);
      expect(older.startsOnceByKey?.()).toBe(false);
    } finally {
      await saying.close();
      await silent.close();
    }
  });

  it('starts each run alone at an orchestrator without POST /runs/many, and asks it no more', async () => {
    let id = 0;
    server.handle((req) =>
      req.path.endsWith('/runs/many')
        ? { status: 404, body: { error: { code: 'not_found', message: 'POST /runs/many not found' } } }
        : { status: 201, body: sampleRun({ id: `r${++id}` }) },
    );
    // Its own URL: what the connector remembers is per orchestrator.
    const older = () => connector(`${server.url}older/`);
    const start = { action: sampleAction(), params: { ip: '10.1.2.3' }, context: sampleContext };
    const before = server.requests.length;
    expect(await older().startRuns!([start, start])).toEqual([
      expect.objectContaining({ id: 'r1' }),
      expect.objectContaining({ id: 'r2' }),
    ]);
    expect(await older().startRuns!([start, start])).toHaveLength(2);
    const paths = server.requests.slice(before).map((r) => r.path);
    expect(paths).toEqual([
      '/older/api/v1/runs/many',
      '/older/api/v1/runs',
      '/older/api/v1/runs',
      '/older/api/v1/runs',
      '/older/api/v1/runs',
    ]);
  });

  it('refuses a many-starts answer that does not answer every start', async () => {
    server.handle(() => ({ body: { results: [{ run: sampleRun() }] } }));
    const start = { action: sampleAction(), params: { ip: '10.1.2.3' }, context: sampleContext };
    const error = await failure(connector().startRuns!([start, start]));
    expect(error.code).toBe('bad_response');
  });

  it('asks the start to wait for the run’s end only when told the run may be answered then', async () => {
    server.handle(() => ({ status: 201, body: sampleRun({ status: 'succeeded' }) }));
    const start = { action: sampleAction(), params: { ip: '10.1.2.3' }, context: sampleContext };
    expect((await connector().startRun({ ...start, answerAtEnd: true })).status).toBe('succeeded');
    expect(server.requests.at(-1)?.body).toMatchObject({ actionId: 'whois/lookup-ip', wait: 1 });
    await connector().startRun(start);
    expect(server.requests.at(-1)?.body).not.toHaveProperty('wait');
  });

  it('asks for a long-poll with ?wait and escapes run ids', async () => {
    server.handle(() => ({ body: sampleRun({ id: 'a/b' }) }));
    await connector().waitForRun?.('a/b', 5);
    expect(server.requests.at(-1)?.path).toBe('/api/v1/runs/a%2Fb?wait=5');
  });

  it('waits on many runs with one POST naming each run and the signature it was seen with', async () => {
    const changed = sampleRun({ id: 'r2', status: 'succeeded' });
    server.handle(() => ({ body: { runs: [changed] } }));
    const seen = sampleRun({ id: 'r1', status: 'running' });
    const runs = await connector().waitForRuns?.(
      [
        { runId: 'r1', seen },
        { runId: 'r2', seen: null },
      ],
      15,
    );
    expect(runs).toEqual([changed]);
    const request = server.requests.at(-1);
    expect(request?.method).toBe('POST');
    expect(request?.path).toBe('/api/v1/runs/wait');
    expect(request?.body).toEqual({ wait: 15, runs: [{ id: 'r1', seen: 'running|' }, { id: 'r2' }] });
  });

  it('refuses a many-runs answer that is not a list of runs', async () => {
    server.handle(() => ({ body: { runs: [{ id: 'r1' }] } }));
    const error = await failure(connector().waitForRuns!([{ runId: 'r1', seen: null }], 5));
    expect(error.code).toBe('bad_response');
  });

  it('reports who the token belongs to', async () => {
    server.handle(() => ({
      body: {
        status: 'ok',
        version: '1.0.0',
        actions: 3,
        user: { name: 'alice', roles: ['analyst', 'approver'] },
      },
    }));
    const result = await connector().testConnection();
    expect(result.user).toBe('alice');
    expect(result.detail).toBe('Roles: analyst, approver. Orchestrator 1.0.0, 3 actions.');
  });

  it('says only the roles when the orchestrator keeps its version to itself', async () => {
    server.handle(() => ({ body: { status: 'ok', user: { name: 'alice', roles: ['analyst'] } } }));
    expect((await connector().testConnection()).detail).toBe('Roles: analyst.');
  });

  it('says the token was not accepted when health knows no user', async () => {
    server.handle(() => ({ body: { status: 'ok', version: '1.0.0', actions: 3, user: null } }));
    const error = await failure(connector().testConnection());
    expect(error.code).toBe('unauthorized');
  });

  it('maps 401 to a plain message with a hint', async () => {
    server.handle(() => ({ status: 401, body: { error: { code: 'unauthorized', message: 'bad token' } } }));
    const error = await failure(connector().listActions(null));
    expect(error.code).toBe('unauthorized');
    expect(error.message).toContain('The orchestrator rejected the token.');
    expect(error.hint).toBe('Set a valid token in Gridside options.');
  });

  it.each([
    [403, 'forbidden'],
    [404, 'not_found'],
    [409, 'conflict'],
    [500, 'server_error'],
    [503, 'server_error'],
  ] as const)('maps HTTP %i to %s', async (status, code) => {
    server.handle(() => ({ status, body: { error: { code: 'internal', message: 'nope' } } }));
    const error = await failure(connector().getRun('run-1'));
    expect(error.code).toBe(code);
    expect(error.message).toContain('nope');
  });

  it('passes on Retry-After for 429', async () => {
    server.handle(() => ({
      status: 429,
      headers: { 'retry-after': '7' },
      body: { error: { code: 'rate_limited', message: 'slow down' } },
    }));
    const error = await failure(connector().getRun('run-1'));
    expect(error.code).toBe('rate_limited');
    expect(error.retryAfterMs).toBe(7000);
    expect(error.hint).toContain('7 s');
  });

  it('says when the answer is not JSON', async () => {
    server.handle(() => ({ body: '<html>login</html>' }));
    const error = await failure(connector().listActions(null));
    expect(error.code).toBe('bad_response');
    expect(error.message).toContain('not JSON');
  });

  it('names the field when the answer has the wrong shape', async () => {
    server.handle(() => ({ body: { ...sampleRun(), status: 'exploded' } }));
    const error = await failure(connector().getRun('run-1'));
    expect(error.code).toBe('bad_response');
    expect(error.message).toContain('field status');
  });

  it('says the orchestrator is unreachable on a closed port', async () => {
    const closed = await startFakeOrchestrator();
    const url = closed.url;
    await closed.close();
    const error = await failure(connector(url).listActions(null));
    expect(error.code).toBe('unreachable');
    expect(error.message).toBe(
      `Gridside could not reach the orchestrator at ${new URL(url).origin}. Is it running?`,
    );
  });

  it('gives up with a timeout when the orchestrator does not answer', async () => {
    server.handle(() => ({ delayMs: 2000, body: { actions: [] } }));
    const error = await failure(connector().listActions(null, AbortSignal.timeout(200)));
    expect(error.code).toBe('timeout');
  });

  it('sends no Authorization header without a token', async () => {
    server.handle(() => ({ body: { actions: [] } }));
    await connector(server.url, null).listActions(null);
    expect(server.requests.at(-1)?.authorization).toBeUndefined();
  });
});

describe('parseRetryAfter', () => {
  it('reads seconds and HTTP dates', () => {
    expect(parseRetryAfter('3')).toBe(3000);
    expect(parseRetryAfter('Fri, 27 Nov 2026 10:00:10 GMT', Date.parse('2026-11-27T10:00:00Z'))).toBe(10_000);
    expect(parseRetryAfter('soon')).toBeUndefined();
  });
});
