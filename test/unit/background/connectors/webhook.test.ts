import { afterEach, describe, expect, it } from 'vitest';
import { ConnectorError } from '../../../../src/background/connectors/connector.ts';
import { createWebhookConnector } from '../../../../src/background/connectors/webhook.ts';
import { renderTemplate } from '../../../../src/background/connectors/webhook-template.ts';
import { RunSchema } from '../../../../src/core/api.ts';
import type { RowContext } from '../../../../src/core/row-context.ts';
import {
  depsFor,
  type EngineServer,
  engineFixture,
  errorPathCases,
  refusedUrl,
  startEngineServer,
} from '../../../support/engine-servers.ts';

const HOSTILE = [
  'a"b',
  'back\\slash\\',
  'line\nbreak\r\ttab',
  '"}],"injected":true,{"x":"',
  '{{param.secret}}',
  '\u0000\u2028\u2029 \ud83d\ude00 </script>',
];

const row = (fields: Record<string, string>, labels: Record<string, string> = {}): RowContext => ({
  console: 'https://siem.example.com',
  kind: 'alarm',
  key: { value: '18755', source: 'column', confidence: 'high' },
  alarmId: '18755',
  fields,
  labels,
  missing: [],
  truncated: [],
});

// The Cortex report recorded from the API guide doubles as a "Respond to Webhook" answer an n8n flow
// could relay (its summary.taxonomies are Cortex-style verdicts).
const RELAYED_REPORT = engineFixture<{ report: unknown }>(
  'cortex/job_report_abuse_finder.cortexdocs-api-guide.json',
).report;

const ENRICH = {
  id: 'enrich-ip',
  name: 'Enrich IP (n8n)',
  url: '/webhook/enrich',
  authHeader: 'X-N8N-Auth',
  bodyTemplate: {
    ip: '{{SIP}}',
    origin: '{{row.labels.Origin IP}}',
    note: 'Alarm {{row.alarmId}}: {{param.note}}',
    nested: [{ user: '{{Login}}' }, 42, true, null],
  },
  outputMapping: { textPath: '/full/abuse_finder/value', verdictPath: '/summary/taxonomies' },
  readOnly: true,
};

let server: EngineServer;
afterEach(() => server?.close());

async function webhook(routes: Parameters<typeof startEngineServer>[0], actions: unknown[], extra = {}) {
  server = await startEngineServer(routes);
  return createWebhookConnector(depsFor('webhook', server.url, { actions, ...extra }, 'n8n-header-secret'));
}

describe('webhook connector', () => {
  it('offers each configured action with parameters for its field and param placeholders', async () => {
    const connector = await webhook({}, [ENRICH]);
    const [action] = await connector.listActions(row({}));
    expect(action).toMatchObject({
      id: 'webhook-test/enrich-ip',
      name: 'Enrich IP (n8n)',
      sideEffects: false,
    });
    expect(action?.params.map((p) => [p.id, p.default])).toEqual([
      ['SIP', { field: 'SIP' }],
      ['note', undefined],
      ['Login', { field: 'Login' }],
    ]);
  });

  it('fills the body with hostile values as JSON strings equal to the inputs, never breaking the JSON', async () => {
    const connector = await webhook({ 'POST /webhook/enrich': { json: RELAYED_REPORT } }, [ENRICH]);
    const [action] = await connector.listActions(null);
    for (const hostile of HOSTILE) {
      await connector.startRun({
        action: action!,
        params: { note: hostile },
        context: row({ SIP: hostile, Login: hostile }, { 'Origin IP': hostile }),
      });
      const sent = server.requests.at(-1)!;
      const body = JSON.parse(sent.body); // valid JSON, or this throws
      expect(body).toEqual({
        ip: hostile,
        origin: hostile,
        note: `Alarm 18755: ${hostile}`,
        nested: [{ user: hostile }, 42, true, null],
      });
      expect(Object.keys(body)).toEqual(['ip', 'origin', 'note', 'nested']);
    }
    expect(server.requests[0]?.headers['x-n8n-auth']).toBe('n8n-header-secret');
  });

  it('a value that looks like a placeholder is inserted as text, not expanded again', () => {
    const scope = {
      fields: { SIP: '{{param.x}}' },
      params: { x: 'secret-ish' },
      row: { console: '', kind: '', key: '', alarmId: '', labels: {} },
    };
    expect(renderTemplate({ a: '{{SIP}}' }, scope)).toEqual({ a: '{{param.x}}' });
  });

  it('maps a synchronous answer onto text, verdict chips and data', async () => {
    const connector = await webhook({ 'POST /webhook/enrich': { json: RELAYED_REPORT } }, [ENRICH]);
    const [action] = await connector.listActions(null);
    const run = RunSchema.parse(
      await connector.startRun({ action: action!, params: {}, context: row({ SIP: '8.8.8.8' }) }),
    );
    expect(run.status).toBe('succeeded');
    expect(run.output).toMatchObject({
      stdout: '8.8.8.8',
      taxonomies: [
        { level: 'info', namespace: 'Abuse_Finder', predicate: 'Address', value: 'network-abuse@google.com' },
      ],
    });
    expect(await connector.getRun(run.id)).toEqual(run);
  });

  it('maps a verdict word through levelMap, and takes a plain-text answer as text', async () => {
    const scored = {
      ...ENRICH,
      id: 'score',
      outputMapping: { textPath: '/summary', verdictPath: '/verdict', levelMap: { bad: 'malicious' } },
    };
    const plain = { ...ENRICH, id: 'plain', url: '/webhook/plain', outputMapping: {} };
    const connector = await webhook(
      {
        'POST /webhook/enrich': { json: { verdict: 'BAD', summary: 'seen in 3 feeds' } },
        'POST /webhook/plain': { raw: 'ok: 8.8.8.8 is Google DNS' },
      },
      [scored, plain],
    );
    const [a, b] = await connector.listActions(null);
    const r1 = await connector.startRun({ action: a!, params: {}, context: row({ SIP: '1.2.3.4' }) });
    expect(r1.output).toMatchObject({
      stdout: 'seen in 3 feeds',
      taxonomies: [{ level: 'malicious', value: 'BAD', predicate: 'Verdict' }],
    });
    const r2 = await connector.startRun({ action: b!, params: {}, context: row({ SIP: '1.2.3.4' }) });
    expect(r2.output?.stdout).toBe('ok: 8.8.8.8 is Google DNS');
  });

  it('polls a Shuffle-style run: id and authorization captured, POST poll body, status words mapped', async () => {
    const shuffle = {
      id: 'shuffle-enrich',
      name: 'Shuffle enrich',
      url: '/api/v1/workflows/wf-1/execute',
      authHeader: 'Authorization',
      authPrefix: 'Bearer ',
      bodyTemplate: { execution_argument: '{{row.fieldsJson}}', start: '' },
      mode: 'poll',
      pollUrlPath: '/execution_id',
      pollCapture: { authorization: '/authorization' },
      pollUrlTemplate: '/api/v1/streams/results',
      pollMethod: 'POST',
      pollBodyTemplate: { execution_id: '{{run.id}}', authorization: '{{run.authorization}}' },
      statusPath: '/status',
      outputMapping: { textPath: '/result' },
    };
    let polls = 0;
    const connector = await webhook(
      {
        'POST /api/v1/workflows/wf-1/execute': {
          json: { success: true, execution_id: 'ex-9', authorization: 'auth-7' },
        },
        'POST /api/v1/streams/results': () =>
          ++polls === 1
            ? { json: { status: 'EXECUTING' } }
            : { json: { status: 'FINISHED', result: 'clean' } },
      },
      [shuffle],
    );
    const [action] = await connector.listActions(null);
    const started = await connector.startRun({
      action: action!,
      params: {},
      context: row({ SIP: '8.8.8.8' }),
    });
    expect(started.status).toBe('queued');
    expect(
      JSON.parse((server.requests[0]!.json as { execution_argument: string }).execution_argument),
    ).toEqual({ SIP: '8.8.8.8' });
    expect((await connector.getRun(started.id)).status).toBe('running');
    const done = await connector.getRun(started.id);
    expect(done).toMatchObject({ status: 'succeeded', output: { stdout: 'clean' } });
    expect(server.requests.at(-1)?.json).toEqual({ execution_id: 'ex-9', authorization: 'auth-7' });
    expect(server.requests.at(-1)?.headers.authorization).toBe('Bearer n8n-header-secret');
    await expect(connector.cancelRun(started.id)).rejects.toMatchObject({ code: 'bad_request' });
  });

  it('refuses a status word nobody mapped instead of guessing', async () => {
    const action = { ...ENRICH, id: 'p', mode: 'poll', pollUrlPath: '/poll', statusPath: '/state' };
    const connector = await webhook(
      {
        'POST /webhook/enrich': { json: { poll: '/runs/1' } },
        'GET /runs/1': { json: { state: 'Marinating' } },
      },
      [action],
    );
    const [a] = await connector.listActions(null);
    const run = await connector.startRun({ action: a!, params: {}, context: row({}) });
    await expect(connector.getRun(run.id)).rejects.toMatchObject({ code: 'bad_response', hint: /statusMap/ });
  });

  for (const word of ['constructor', 'toString', '__proto__', 'hasOwnProperty']) {
    it(`refuses a status word "${word}" as unknown, not as a built-in of every object`, async () => {
      const action = { ...ENRICH, id: 'p', mode: 'poll', pollUrlPath: '/poll', statusPath: '/state' };
      const connector = await webhook(
        { 'POST /webhook/enrich': { json: { poll: '/runs/1' } }, 'GET /runs/1': { json: { state: word } } },
        [action],
      );
      const [a] = await connector.listActions(null);
      const run = await connector.startRun({ action: a!, params: {}, context: row({}) });
      await expect(connector.getRun(run.id)).rejects.toMatchObject({
        code: 'bad_response',
        message: new RegExp(`status "${word}", which Gridside cannot place`),
      });
    });
  }

  it('gives a verdict word named like a built-in the info level', async () => {
    const scored = { ...ENRICH, id: 'score', outputMapping: { verdictPath: '/verdict' } };
    const connector = await webhook({ 'POST /webhook/enrich': { json: { verdict: 'constructor' } } }, [
      scored,
    ]);
    const [a] = await connector.listActions(null);
    const run = RunSchema.parse(await connector.startRun({ action: a!, params: {}, context: row({}) }));
    expect(run.output?.taxonomies).toEqual([
      { level: 'info', namespace: 'Enrich IP (n8n)', predicate: 'Verdict', value: 'constructor' },
    ]);
  });

  it('refuses a URL outside the entry origin before sending anything', async () => {
    const connector = await webhook({}, [{ ...ENRICH, url: 'https://elsewhere.example/webhook' }]);
    const [a] = await connector.listActions(null);
    await expect(connector.startRun({ action: a!, params: {}, context: row({}) })).rejects.toMatchObject({
      code: 'not_configured',
    });
    expect(server.requests).toHaveLength(0);
  });

  describe('keeps every request under the entry URL', () => {
    const ISOLATE = { ...ENRICH, id: 'isolate', url: '/api/hosts/{{DHostName}}/isolate', readOnly: false };
    async function tenant(routes: Parameters<typeof startEngineServer>[0], action: unknown) {
      server = await startEngineServer(routes);
      const deps = depsFor('webhook', `${server.url}/tenant-a`, { actions: [action] }, 'n8n-header-secret');
      const connector = createWebhookConnector(deps);
      const [a] = await connector.listActions(null);
      return { connector, action: a! };
    }

    for (const value of ['..', '.']) {
      it(`refuses a row value "${value}" in a URL path, which would send the auth header elsewhere`, async () => {
        const { connector, action } = await tenant({ 'POST /tenant-a/api/isolate': { json: {} } }, ISOLATE);
        const error = await connector
          .startRun({ action, params: {}, context: row({ DHostName: value }) })
          .catch((e: unknown) => e);
        expect(error).toBeInstanceOf(ConnectorError);
        expect(error).toMatchObject({ code: 'bad_request', message: /DHostName.*another path/ });
        expect(server.requests).toHaveLength(0);
      });
    }

    it('refuses dots split over placeholders, and never quotes the secret in the URL', async () => {
      const tines = { ...ISOLATE, url: '/webhook/{{DHostName}}{{Login}}/admin/{{secret}}' };
      const { connector, action } = await tenant({}, tines);
      const error = await connector
        .startRun({ action, params: {}, context: row({ DHostName: '.', Login: '.' }) })
        .catch((e: unknown) => e);
      expect(error).toMatchObject({ code: 'bad_request', message: /"\.\." segment/ });
      expect(String((error as Error).message)).not.toContain('n8n-header-secret');
      expect(server.requests).toHaveLength(0);
    });

    it('keeps a value ".." in the query, where it names nothing', async () => {
      const lookup = { ...ISOLATE, url: '/api/hosts?name={{DHostName}}' };
      const { connector, action } = await tenant({ 'POST /tenant-a/api/hosts': { json: {} } }, lookup);
      await connector.startRun({ action, params: {}, context: row({ DHostName: '..' }) });
      expect(server.requests[0]?.path).toBe('/tenant-a/api/hosts');
    });

    it('refuses an absolute URL on the entry origin outside its path prefix', async () => {
      server = await startEngineServer({});
      const outside = { ...ISOLATE, url: `${server.url}/tenant-b/api/isolate` };
      const deps = depsFor('webhook', `${server.url}/tenant-a`, { actions: [outside] }, 'n8n-header-secret');
      const connector = createWebhookConnector(deps);
      const [a] = await connector.listActions(null);
      await expect(connector.startRun({ action: a!, params: {}, context: row({}) })).rejects.toMatchObject({
        code: 'not_configured',
        message: /outside .*\/tenant-a/,
      });
      expect(server.requests).toHaveLength(0);
    });

    for (const [name, answer] of [
      ['a poll URL in the start answer that climbs out', { poll: '/runs/../../tenant-b/runs/1' }],
      ['a poll URL in the start answer outside the prefix', { poll: 'PLACEHOLDER/tenant-b/runs/1' }],
    ] as const) {
      it(`refuses ${name} before polling`, async () => {
        const poll = { ...ENRICH, id: 'p', mode: 'poll', pollUrlPath: '/poll', statusPath: '/state' };
        const { connector, action } = await tenant(
          {
            'POST /tenant-a/webhook/enrich': { json: {} },
            'GET /tenant-b/runs/1': { json: { state: 'done' } },
          },
          poll,
        );
        server.on('POST /tenant-a/webhook/enrich', {
          json: { poll: answer.poll.replace('PLACEHOLDER', server.url) },
        });
        await expect(connector.startRun({ action, params: {}, context: row({}) })).rejects.toBeInstanceOf(
          ConnectorError,
        );
        expect(server.requests.map((r) => r.path)).toEqual(['/tenant-a/webhook/enrich']);
      });
    }

    it('refuses a run id ".." in a poll URL template', async () => {
      const poll = {
        ...ENRICH,
        id: 'p',
        mode: 'poll',
        pollUrlPath: '/id',
        pollUrlTemplate: '/runs/{{run.id}}/status',
        statusPath: '/state',
      };
      const { connector, action } = await tenant(
        { 'POST /tenant-a/webhook/enrich': { json: { id: '..' } } },
        poll,
      );
      await expect(connector.startRun({ action, params: {}, context: row({}) })).rejects.toMatchObject({
        code: 'bad_request',
        message: /run\.id/,
      });
    });
  });

  it('puts the secret in the URL only where {{secret}} asks, percent-encoded (Tines, Logic Apps)', async () => {
    const tines = { ...ENRICH, id: 'tines', url: '/webhook/enrich/{{secret}}', authHeader: undefined };
    server = await startEngineServer({ 'POST /webhook/enrich/:secret': { json: {} } });
    const connector = createWebhookConnector(depsFor('webhook', server.url, { actions: [tines] }, 'a/b?c'));
    const [a] = await connector.listActions(null);
    await connector.startRun({ action: a!, params: {}, context: row({}) });
    expect(server.requests[0]?.path).toBe('/webhook/enrich/a%2Fb%3Fc');
    expect(server.requests[0]?.body).not.toContain('a/b?c');
  });

  for (const c of errorPathCases((message) => ({ message }), null)) {
    if (['malformed JSON', 'JSON cut short on the way', 'schema mismatch'].includes(c.name)) continue; // sync answers may be any text
    it(`turns ${c.name} into "${c.code}" with a hint`, async () => {
      const connector = await webhook({ 'POST /webhook/enrich': c.reply }, [ENRICH]);
      const [a] = await connector.listActions(null);
      const error = await connector
        .startRun({ action: a!, params: {}, context: row({}) })
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ConnectorError);
      expect(error).toMatchObject({ code: c.code });
      expect((error as ConnectorError).hint).toBeTruthy();
      if (c.retryAfterMs !== undefined) expect((error as ConnectorError).retryAfterMs).toBe(c.retryAfterMs);
    });
  }

  it('treats a poll answer that is not JSON as a bad response', async () => {
    const action = { ...ENRICH, id: 'p', mode: 'poll', pollUrlPath: '/poll', statusPath: '/state' };
    const connector = await webhook(
      { 'POST /webhook/enrich': { json: { poll: '/runs/1' } }, 'GET /runs/1': { raw: '<html>' } },
      [action],
    );
    const [a] = await connector.listActions(null);
    const run = await connector.startRun({ action: a!, params: {}, context: row({}) });
    await expect(connector.getRun(run.id)).rejects.toMatchObject({
      code: 'bad_response',
      message: /not JSON/,
    });
  });

  it('times out and reports unreachable engines', async () => {
    const connector = await webhook({ 'POST /webhook/enrich': { hang: true } }, [ENRICH]);
    const [a] = await connector.listActions(null);
    await expect(
      connector.startRun({ action: a!, params: {}, context: row({}) }, AbortSignal.timeout(200)),
    ).rejects.toMatchObject({ code: 'timeout' });
    const refused = createWebhookConnector(depsFor('webhook', await refusedUrl(), { actions: [ENRICH] }));
    await expect(refused.startRun({ action: a!, params: {}, context: row({}) })).rejects.toMatchObject({
      code: 'unreachable',
    });
  });

  it('refuses {{secret}} in a body or poll URL, which would keep the secret outside the secret store', async () => {
    const leaky = { ...ENRICH, id: 'leaky', bodyTemplate: { key: '{{secret}}' } };
    const connector = await webhook({ 'POST /webhook/enrich': { json: {} } }, [leaky]);
    const [a] = await connector.listActions(null);
    await expect(connector.startRun({ action: a!, params: {}, context: row({}) })).rejects.toMatchObject({
      code: 'not_configured',
      message: /only allowed in the action URL/,
    });
    expect(server.requests).toHaveLength(0);
  });

  it('reports a poll-mode action without a status path as a configuration problem', async () => {
    const connector = await webhook({}, [{ ...ENRICH, mode: 'poll' }]);
    await expect(connector.listActions(null)).rejects.toMatchObject({
      code: 'not_configured',
      message: /mode/,
    });
  });
});
