import { afterEach, describe, expect, it } from 'vitest';
import { ConnectorError } from '../../../../src/background/connectors/connector.ts';
import { createCortexConnector } from '../../../../src/background/connectors/cortex.ts';
import { observablesOf } from '../../../../src/background/connectors/cortex-map.ts';
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

// Real job + report from the CortexDocs API guide (see test/fixtures/engines/README.md).
type Job = Record<string, unknown> & { id: string; report: unknown };
const REPORTED_JOB = engineFixture<Job>('cortex/job_report_abuse_finder.cortexdocs-api-guide.json');
const { report: _report, ...JOB } = REPORTED_JOB;

// Analyzer model fields as documented in the API guide ("analyzer model"), for the analyzer of that job.
const ABUSE_FINDER = {
  id: REPORTED_JOB.analyzerId,
  analyzerDefinitionId: 'Abuse_Finder_2_0',
  name: 'Abuse_Finder_2_0',
  version: '2.0',
  description: 'Find abuse contacts associated with domains, emails, IPs, and URLs.',
  author: 'CERT-BDF',
  url: 'https://github.com/TheHive-Project/Cortex-Analyzers',
  license: 'AGPL-V3',
  dataTypeList: ['ip', 'domain', 'fqdn', 'url', 'mail'],
  baseConfig: 'Abuse_Finder',
  jobCache: 10,
  rate: null,
  rateUnit: null,
  createdBy: 'admin',
  updatedAt: 1526299593633,
};
const cortexError = (message: string) => ({ type: 'AuthenticationError', message });

const row = (fields: Record<string, string>): RowContext => ({
  console: 'https://siem.example.com',
  kind: 'alarm',
  key: { value: '18755', source: 'column', confidence: 'high' },
  alarmId: '18755',
  fields,
  labels: {},
  missing: [],
  truncated: [],
});

let server: EngineServer;
afterEach(() => server?.close());

async function cortex(routes: Parameters<typeof startEngineServer>[0], options = {}) {
  server = await startEngineServer(routes);
  return createCortexConnector(depsFor('cortex', server.url, options, 'cortex-api-key'));
}

describe('Cortex connector', () => {
  it('offers each analyzer once per observable of the row, bound to the field that holds it', async () => {
    const connector = await cortex({
      'GET /api/analyzer/type/ip': { json: [ABUSE_FINDER] },
      'GET /api/analyzer/type/fqdn': { json: [ABUSE_FINDER] },
    });
    const actions = await connector.listActions(
      row({ SIP: '8.8.8.8', DIP: '-', DHostName: 'mail.example.com', AlarmRuleName: 'Heartbeat 8.8.4.4' }),
    );
    expect(actions.map((a) => a.name)).toEqual(['Abuse_Finder_2_0 on SIP', 'Abuse_Finder_2_0 on DHostName']);
    expect(actions[0]?.params[0]?.default).toEqual({ field: 'SIP' });
    expect(actions[0]).toMatchObject({
      sideEffects: false,
      approval: { levels: 0 },
      roles: ['analyst', 'approver', 'admin'],
    });
    expect(server.requests.every((r) => r.headers.authorization === 'Bearer cortex-api-key')).toBe(true);
    // DIP held a placeholder, not an address: no IP lookup for it.
    expect(server.requests.map((r) => r.path).sort()).toEqual([
      '/api/analyzer/type/fqdn',
      '/api/analyzer/type/ip',
    ]);
  });

  it('classifies a field named like a built-in of every object by its value', () => {
    const obs = observablesOf(row({ constructor: '203.0.113.7', toString: 'evil.example.com' }));
    expect(obs.map((o) => [o.field, o.dataType])).toEqual([
      ['constructor', 'ip'],
      ['toString', 'domain'],
    ]);
  });

  it('classifies observables by field type, and free text by value', () => {
    const obs = observablesOf(
      row({
        Hash: 'd41d8cd98f00b204e9800998ecf8427e',
        UserAgent: 'curl/8.0',
        Sender: 'a@example.com',
        Subject: 'http://evil.example/x',
      }),
    );
    expect(obs.map((o) => [o.field, o.dataType])).toEqual([
      ['Hash', 'hash'],
      ['UserAgent', 'user-agent'],
      ['Sender', 'mail'],
      ['Subject', 'url'],
    ]);
  });

  it('starts a job with the row value, TLP/PAP from options, and respects the job cache by default', async () => {
    const connector = await cortex(
      { [`POST /api/analyzer/${ABUSE_FINDER.id}/run`]: { json: { ...JOB, status: 'Waiting' } } },
      { tlp: 1 },
    );
    server.on('GET /api/analyzer/type/ip', { json: [ABUSE_FINDER] });
    const [action] = await connector.listActions(row({ SIP: '8.8.8.8' }));
    const run = await connector.startRun({
      action: action!,
      params: { data: '8.8.8.8' },
      context: row({ SIP: '8.8.8.8' }),
    });
    expect(RunSchema.parse(run)).toMatchObject({
      id: JOB.id,
      status: 'queued',
      alarmId: '18755',
      rowKey: '18755',
    });
    const sent = server.requests.at(-1)!;
    expect(sent.json).toMatchObject({ data: '8.8.8.8', dataType: 'ip', tlp: 1, pap: 2 });
    expect(sent.query.get('force')).toBeNull();
  });

  it('sends ?force=1 when the entry asks to bypass the job cache', async () => {
    const connector = await cortex(
      { [`POST /api/analyzer/${ABUSE_FINDER.id}/run`]: { json: { ...JOB, status: 'Waiting' } } },
      { force: true },
    );
    server.on('GET /api/analyzer/type/ip', { json: [ABUSE_FINDER] });
    const [action] = await connector.listActions(row({ SIP: '8.8.8.8' }));
    await connector.startRun({ action: action!, params: {}, context: row({ SIP: '8.8.8.8' }) });
    expect(server.requests.at(-1)?.query.get('force')).toBe('1');
  });

  it('fetches the report at once when Cortex answers from its job cache with a finished job', async () => {
    const connector = await cortex({
      'GET /api/analyzer/type/ip': { json: [ABUSE_FINDER] },
      [`POST /api/analyzer/${ABUSE_FINDER.id}/run`]: { json: JOB },
      'GET /api/job/:id/waitreport': { json: REPORTED_JOB },
    });
    const [action] = await connector.listActions(row({ SIP: '8.8.8.8' }));
    const run = await connector.startRun({ action: action!, params: {}, context: row({ SIP: '8.8.8.8' }) });
    expect(run).toMatchObject({ status: 'succeeded', actionId: action!.id, alarmId: '18755' });
    expect(run.output?.taxonomies).toHaveLength(1);
  });

  it('polls with waitreport until the real report arrives, then shows its taxonomies as verdicts', async () => {
    let polls = 0;
    const connector = await cortex({
      'GET /api/job/:id/waitreport': () =>
        ++polls === 1
          ? { json: { ...JOB, status: 'InProgress', report: 'InProgress' } }
          : { json: REPORTED_JOB },
    });
    const first = await connector.getRun(JOB.id);
    expect(first.status).toBe('running');
    expect(first.output).toBeNull();
    const done = RunSchema.parse(await connector.getRun(JOB.id));
    expect(done.status).toBe('succeeded');
    expect(done.output?.taxonomies).toEqual([
      { level: 'info', namespace: 'Abuse_Finder', predicate: 'Address', value: 'network-abuse@google.com' },
    ]);
    expect(done.output?.stdout).toContain('Abuse_Finder:Address = network-abuse@google.com');
    expect(done.output?.data).toMatchObject({
      abuse_finder: { names: ['Google LLC', 'Level 3 Parent, LLC'] },
    });
    expect(done.timing.durationMs).toBe(1526299597064 - 1526299593923);
    expect(server.requests[0]?.query.get('atMost')).toBe('5second');
  });

  it('maps every Cortex job state, and a failed report gives its error message as the reason', async () => {
    const states = {
      Waiting: 'queued',
      InProgress: 'running',
      Success: 'succeeded',
      Failure: 'failed',
      Deleted: 'canceled',
    };
    let status = 'Waiting';
    const connector = await cortex({
      'GET /api/job/:id/waitreport': () => ({
        json: {
          ...JOB,
          status,
          report: status === 'Failure' ? { success: false, errorMessage: 'Invalid IP' } : status,
        },
      }),
    });
    for (const [cortexStatus, expected] of Object.entries(states)) {
      status = cortexStatus;
      const run = await connector.getRun(JOB.id);
      expect(run.status, cortexStatus).toBe(expected);
      if (cortexStatus === 'Failure') expect(run.reason).toBe('Invalid IP');
    }
  });

  it('cancels by deleting the job', async () => {
    const connector = await cortex({ 'DELETE /api/job/:id': { json: {} } });
    await connector.cancelRun(JOB.id);
    expect(server.requests[0]).toMatchObject({ method: 'DELETE', path: `/api/job/${JOB.id}` });
  });

  it('names the user behind the key in a connection test', async () => {
    const connector = await cortex({
      'GET /api/user/current': { json: { id: 'gridside', name: 'Gridside bot', roles: ['read', 'analyze'] } },
    });
    expect(await connector.testConnection()).toMatchObject({ user: 'Gridside bot' });
  });

  it('asks for an API key before calling Cortex when none is saved', async () => {
    server = await startEngineServer();
    const connector = createCortexConnector({ ...depsFor('cortex', server.url), secret: undefined });
    await expect(connector.testConnection()).rejects.toMatchObject({ code: 'not_configured' });
    expect(server.requests).toHaveLength(0);
  });

  for (const c of errorPathCases(cortexError, { ...JOB, status: 'Exploded' })) {
    it(`turns ${c.name} into "${c.code}" with a hint`, async () => {
      const connector = await cortex({ 'GET /api/job/:id/waitreport': c.reply });
      const error = await connector.getRun(JOB.id).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ConnectorError);
      expect(error).toMatchObject({ code: c.code });
      expect((error as ConnectorError).hint).toBeTruthy();
      if (c.says) expect((error as ConnectorError).message).toMatch(c.says);
      if (c.retryAfterMs !== undefined) expect((error as ConnectorError).retryAfterMs).toBe(c.retryAfterMs);
    });
  }

  it('names the field that did not match when a job has an unknown status', async () => {
    const connector = await cortex({
      'GET /api/job/:id/waitreport': { json: { ...JOB, status: 'Exploded' } },
    });
    await expect(connector.getRun(JOB.id)).rejects.toThrow(/`status`/);
  });

  it('gives up with "timeout" when Cortex does not answer', async () => {
    const connector = await cortex(
      { 'GET /api/job/:id/waitreport': { hang: true } },
      { waitSeconds: 0, requestTimeoutSeconds: 1 },
    );
    server.on('GET /api/job/:id/report', { hang: true });
    await expect(connector.getRun(JOB.id)).rejects.toMatchObject({ code: 'timeout' });
  });

  it('says Cortex is unreachable when the connection is refused', async () => {
    const connector = createCortexConnector(depsFor('cortex', await refusedUrl(), {}, 'k'));
    await expect(connector.testConnection()).rejects.toMatchObject({ code: 'unreachable' });
  });

  it('reports invalid entry options as a configuration problem', async () => {
    const connector = await cortex({}, { tlp: 9 });
    await expect(connector.listActions(null)).rejects.toMatchObject({
      code: 'not_configured',
      message: /tlp/,
    });
  });
});
