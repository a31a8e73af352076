import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { ConnectorError } from '../../../../src/background/connectors/connector.ts';
import { createLogRhythmConnector, shareToAlarm } from '../../../../src/background/connectors/logrhythm.ts';
import { trimComment } from '../../../../src/background/connectors/logrhythm-map.ts';
import { RunSchema } from '../../../../src/core/api.ts';
import { DEFAULT_COMMENT_MAX_CHARS } from '../../../../src/core/engines/logrhythm-options.ts';
import type { RowContext } from '../../../../src/core/row-context.ts';
import {
  depsFor,
  type EngineServer,
  engineFixture,
  errorPathCases,
  refusedUrl,
  startEngineServer,
} from '../../../support/engine-servers.ts';

// Real alarm (Google SecOps "Get Alarm Details": alarmDetails merged with alarmEventsDetails).
const [MERGED] = engineFixture<Record<string, unknown>[]>(
  'logrhythm/alarm_details_with_events.google-secops-marketplace.json',
);
const { alarmEventsDetails: REAL_EVENTS, ...REAL_DETAILS } = MERGED as Record<string, unknown> & {
  alarmEventsDetails: unknown[];
};
const wrap = (alarmDetails: unknown) => ({
  alarmDetails,
  statusCode: 200,
  statusMessage: 'OK',
  responseMessage: 'Success',
});
const lrError = (message: string) => ({ statusCode: 0, statusMessage: 'Error', responseMessage: message });

// SmartResponse items in the OpenAPI `AmartResponseActions` shape; words as the Web Console shows them.
const SRP_RESULTS = [
  {
    srpName: 'VirusTotal Hash Lookup',
    executionTime: 1629207400,
    actionStatus: 'Executed',
    approvalLevel1Status: 'Approved',
    approvalLevel2Status: 'Pending',
    approvalLevel3Status: null,
    standardOut: 'positives: 12/70\nverdict: malicious',
    standardError: '',
    executionTarget: 'Platform Manager',
    smartResponseAgentId: 0,
  },
  {
    srpName: 'Disable AD Account',
    actionStatus: 'Denied',
    approvalLevel1Status: 'Denied',
    standardOut: '',
    standardError: '',
  },
  { srpName: 'Block IP', actionStatus: 'Failed to Execute', standardError: 'Access is denied.' },
  { srpName: 'Notify Slack', actionStatus: 3, approvalLevel1Status: 1 },
];

const alarmRow = (alarmId = '18755'): RowContext => ({
  console: 'https://siem.example.com:8443',
  kind: 'alarm',
  key: { value: alarmId, source: 'column', confidence: 'high' },
  alarmId,
  fields: { AlarmId: alarmId },
  labels: {},
  missing: [],
  truncated: [],
});

let server: EngineServer;
afterEach(() => server?.close());

async function lr(routes: Parameters<typeof startEngineServer>[0], options = {}) {
  server = await startEngineServer(routes);
  return createLogRhythmConnector(depsFor('logrhythm', server.url, options, 'lr-token'));
}

async function run(connector: ReturnType<typeof createLogRhythmConnector>) {
  const [action] = await connector.listActions(alarmRow());
  return RunSchema.parse(
    await connector.startRun({ action: action!, params: { alarmId: '18755' }, context: alarmRow() }),
  );
}

describe('LogRhythm Alarm API connector', () => {
  it('offers the read-only SmartResponse results action on alarm rows only', async () => {
    const connector = await lr({});
    const [action] = await connector.listActions(alarmRow());
    expect(action).toMatchObject({
      name: 'SmartResponse results from LogRhythm',
      sideEffects: false,
      cacheTtlSeconds: 60,
    });
    expect(action?.params[0]?.default).toEqual({ field: 'AlarmId' });
    const logRow = { ...alarmRow(), kind: 'log' as const, alarmId: undefined, fields: { SIP: '10.0.0.1' } };
    expect(await connector.listActions(logRow)).toEqual([]);
  });

  it('reads the real alarm: no SmartResponse ran, its embedded events are kept', async () => {
    const connector = await lr({ 'GET /lr-alarm-api/alarms/:id': { json: wrap(MERGED) } });
    const result = await run(connector);
    expect(result.status).toBe('succeeded');
    expect(result.output?.stdout).toBe(
      'Alarm 18755 — LogRhythm Agent Heartbeat Missed\nNo SmartResponse action has run on this alarm.',
    );
    expect(result.output?.data).toMatchObject({
      smartResponseActions: [],
      events: [{ login: 'admin5', account: 'admin5' }],
    });
    expect(server.requests.map((r) => r.path)).toEqual(['/lr-alarm-api/alarms/18755']);
    expect(server.requests[0]?.headers.authorization).toBe('Bearer lr-token');
  });

  it('reads events with either spelling of the events wrapper', async () => {
    for (const spelling of ['alarmEventsDetails', 'alarmsEventDetails']) {
      const connector = await lr({
        'GET /lr-alarm-api/alarms/:id': { json: wrap(REAL_DETAILS) },
        'GET /lr-alarm-api/alarms/:id/events': { json: { [spelling]: REAL_EVENTS, statusCode: 200 } },
      });
      const result = await run(connector);
      expect(result.output?.data, spelling).toMatchObject({
        events: [{ commonEventName: 'AIE: CSC: Disabled Account Auth Success' }],
      });
      await server.close();
    }
  });

  it('formats each SmartResponse action with its status, approvals, output and errors', async () => {
    const connector = await lr(
      {
        'GET /lr-alarm-api/alarms/:id': {
          json: wrap({ ...REAL_DETAILS, smartResponseActions: SRP_RESULTS }),
        },
        'GET /lr-alarm-api/alarms/:id/events': { status: 404, json: lrError('not found') },
      },
      {},
    );
    const result = await run(connector);
    const text = result.output!.stdout;
    expect(text).toContain('4 SmartResponse actions:');
    expect(text).toContain('1. VirusTotal Hash Lookup — Executed (succeeded)');
    expect(text).toContain('   Approvals: level 1 approved, level 2 pending');
    expect(text).toContain('   Output:\n   positives: 12/70\n   verdict: malicious');
    expect(text).toContain('2. Disable AD Account — Denied (denied)');
    expect(text).toContain('3. Block IP — Failed to Execute (failed)\n   Errors:\n   Access is denied.');
    expect(text).toContain('4. Notify Slack — status code 3 (LogRhythm does not document these codes)');
    const data = result.output!.data as {
      smartResponseActions: { status: string | null }[];
      events?: unknown;
    };
    expect(data.smartResponseActions.map((a) => a.status)).toEqual(['succeeded', 'denied', 'failed', null]);
    expect(data.events).toBeUndefined();
  });

  it('maps the LogRhythm status words onto Gridside statuses', async () => {
    const words = {
      Pending: 'pending_approval',
      Approved: 'queued',
      Executing: 'running',
      Executed: 'succeeded',
      Denied: 'denied',
      'Failed to Execute': 'failed',
      Cancelled: 'canceled',
      'Timed Out': 'timed_out',
    };
    const connector = await lr({
      'GET /lr-alarm-api/alarms/:id': {
        json: wrap({
          ...MERGED,
          smartResponseActions: Object.keys(words).map((w) => ({ srpName: w, actionStatus: w })),
        }),
      },
    });
    const data = (await run(connector)).output!.data as { smartResponseActions: { status: string }[] };
    expect(data.smartResponseActions.map((a) => a.status)).toEqual(Object.values(words));
  });

  it('says a status or approval word it does not know is unknown, even one named like a built-in', async () => {
    const connector = await lr({
      'GET /lr-alarm-api/alarms/:id': {
        json: wrap({
          ...MERGED,
          smartResponseActions: [
            { srpName: 'Odd A', actionStatus: 'Constructor', approvalLevel1Status: 'constructor' },
            { srpName: 'Odd B', actionStatus: 'toString', approvalLevel1Status: '__proto__' },
          ],
        }),
      },
    });
    const result = await run(connector);
    const text = result.output!.stdout;
    expect(text).toContain('1. Odd A — Constructor (a status Gridside does not know)');
    expect(text).toContain('   Approvals: level 1 constructor (not an approval word Gridside knows)');
    expect(text).toContain('2. Odd B — toString (a status Gridside does not know)');
    expect(text).toContain('   Approvals: level 1 __proto__ (not an approval word Gridside knows)');
    expect(text).not.toContain('function');
    const data = result.output!.data as { smartResponseActions: { status: unknown; approvals: unknown[] }[] };
    expect(data.smartResponseActions.map((a) => a.status)).toEqual([null, null]);
    expect(data.smartResponseActions[0]?.approvals).toEqual([{ level: 1, status: null, raw: 'constructor' }]);
  });

  it('refuses a non-numeric alarm id before calling LogRhythm', async () => {
    const connector = await lr({});
    const [action] = await connector.listActions(null);
    await expect(
      connector.startRun({ action: action!, params: { alarmId: '1/../../admin' }, context: alarmRow() }),
    ).rejects.toMatchObject({ code: 'bad_request' });
    expect(server.requests).toHaveLength(0);
  });

  it('shares a pinned result as an alarm comment, trimmed to the limit and marked', async () => {
    server = await startEngineServer({
      'POST /lr-alarm-api/alarms/:id/comment': {
        status: 201,
        json: { statusCode: 201, statusMessage: 'OK', responseMessage: 'Comment added successfully' },
      },
    });
    const deps = depsFor('logrhythm', server.url, {}, 'lr-token');
    const short = await shareToAlarm(deps, '18755', '  VirusTotal: 12/70 "malicious"\nsee panel  ');
    expect(short).toEqual({
      sent: 'VirusTotal: 12/70 "malicious"\nsee panel',
      trimmed: false,
      message: 'Comment added successfully',
    });
    expect(server.requests[0]?.json).toEqual({ alarmComment: 'VirusTotal: 12/70 "malicious"\nsee panel' });
    const long = await shareToAlarm(deps, '18755', 'x'.repeat(5000));
    expect(long.trimmed).toBe(true);
    expect(long.sent.length).toBe(DEFAULT_COMMENT_MAX_CHARS);
    expect(long.sent.endsWith('[trimmed by Gridside]')).toBe(true);
    expect((server.requests[1]!.json as { alarmComment: string }).alarmComment).toBe(long.sent);
  });

  it('never cuts an emoji in half when trimming', () => {
    const marker = ' … [trimmed by Gridside]';
    const text = `${'a'.repeat(100 - marker.length - 1)}😀 tail`;
    const { text: out } = trimComment(text, 100);
    expect(out.length).toBeLessThanOrEqual(100);
    expect(out).not.toMatch(/[\ud800-\udbff](?![\udc00-\udfff])/);
  });

  it('the 7.7.0 OpenAPI gives no maximum for alarmComment, so the documented default applies', () => {
    const yaml = readFileSync(
      fileURLToPath(
        new URL(
          '../../../fixtures/engines/logrhythm/lr-alarm-api-7.7.0.openapi.splunk-soar-connector.yaml',
          import.meta.url,
        ),
      ),
      'utf8',
    );
    const block = /CommentRequest:\n([\s\S]*?)\n {4}\S/.exec(yaml)?.[1] ?? '';
    expect(block).toContain('alarmComment');
    expect(block).not.toMatch(/maxLength/);
  });

  it('honours a configured comment limit', async () => {
    server = await startEngineServer({ 'POST /lr-alarm-api/alarms/:id/comment': { status: 201, json: {} } });
    const sent = await shareToAlarm(
      depsFor('logrhythm', server.url, { commentMaxChars: 500 }),
      '1',
      'y'.repeat(600),
    );
    expect(sent.sent.length).toBe(500);
  });

  for (const c of errorPathCases(lrError, { alarmDetails: { smartResponseActions: 'none' } })) {
    it(`turns ${c.name} into "${c.code}" with a hint`, async () => {
      const connector = await lr({ 'GET /lr-alarm-api/alarms/:id': c.reply });
      const error = await run(connector).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ConnectorError);
      expect(error).toMatchObject({ code: c.code });
      expect((error as ConnectorError).hint).toBeTruthy();
      if (c.says) expect((error as ConnectorError).message).toMatch(c.says);
      if (c.retryAfterMs !== undefined) expect((error as ConnectorError).retryAfterMs).toBe(c.retryAfterMs);
    });
  }

  it('comment errors are plain too (403 from a user without rights)', async () => {
    server = await startEngineServer({
      'POST /lr-alarm-api/alarms/:id/comment': {
        status: 403,
        json: lrError('User does not have permission to update the alarm'),
      },
    });
    await expect(shareToAlarm(depsFor('logrhythm', server.url), '1', 'x')).rejects.toMatchObject({
      code: 'forbidden',
      message: /does not have permission/,
    });
  });

  it('times out, and reports a refused connection as unreachable', async () => {
    const connector = await lr({ 'GET /lr-alarm-api/alarms/:id': { hang: true } });
    const [action] = await connector.listActions(null);
    await expect(
      connector.startRun({ action: action!, params: {}, context: alarmRow() }, AbortSignal.timeout(200)),
    ).rejects.toMatchObject({ code: 'timeout' });
    const refused = createLogRhythmConnector(depsFor('logrhythm', await refusedUrl()));
    await expect(refused.testConnection()).rejects.toMatchObject({ code: 'unreachable' });
  });
});
