import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RunSchema } from '../../src/core/api.ts';
import { EventAcceptedSchema, TriggeredRunsSchema } from '../../src/core/triggers-api.ts';
import { type OrchestratorHandle, startOrchestrator } from '../support/orchestrator-process.ts';
import { baseConfig, client, PLUGINS, rowContext, TOKENS } from './setup.ts';
import { auditTrail, logrhythmFixture, postEvent, WEBHOOK_SECRET } from './trigger-setup.ts';

/**
 * Triggers fed by the signed webhook, against a real orchestrator process: LogRhythm alarm JSON and the
 * documented event start the rules' actions with values bound like a row's; refused requests are audited.
 */

const ALARM = logrhythmFixture<unknown[]>('alarm_details_with_events.google-secops-marketplace.json');

let orch: OrchestratorHandle;
beforeAll(async () => {
  orch = await startOrchestrator({
    plugins: PLUGINS,
    config: baseConfig({
      triggers: {
        webhook: { secret: { value: WEBHOOK_SECRET }, toleranceSeconds: 60, perMinute: 40 },
        rules: [
          {
            name: 'Heartbeat echo',
            action: 'test-echo/echo-row',
            // The fixture's alarm: rule id 98, raised by the AI Engine, log priority 91.
            match: { alarmRules: [98], aieRules: ['CSC: Disabled Account Auth Success'], minPriority: 90 },
          },
          {
            name: 'Disable on AIE',
            author: 'bob',
            action: 'test-echo/disable-account',
            match: { aieRules: ['csc: disabled account auth success'], present: ['Login'] },
          },
          {
            name: 'Public IP echo',
            action: 'test-echo/echo-row',
            match: { sources: ['edr'], fields: { SIP: '^203\\.0\\.113\\.' }, minRisk: 50 },
          },
          { name: 'Unasked side effect', action: 'test-echo/admin-only', match: { sources: ['edr'] } },
          {
            name: 'Burst',
            action: 'test-echo/echo-row',
            match: { sources: ['burst'] },
            dedupeSeconds: 0,
            perMinute: 2,
          },
        ],
      },
    }),
  });
});
afterAll(async () => {
  expect(await orch.stop()).toBe(0);
  orch.cleanup();
});

const runOf = async (id: string, wait = 0) =>
  RunSchema.parse((await client(orch, TOKENS.alice).get(`/api/v1/runs/${id}?wait=${wait}`)).body);

const edrEvent = (alarmId: string, sip: string) => ({
  source: 'edr',
  alarmId,
  alarmRuleName: 'Outbound to known bad',
  riskRating: 80,
  fields: { SIP: sip, DHostName: 'web-01', Object: 'C:\\Windows\\evil.exe' },
});

describe('triggers from the signed webhook', () => {
  it('runs the matching rules on a LogRhythm alarm, the rule named as requester', async () => {
    const answer = await postEvent(orch, ALARM);
    expect(answer.status).toBe(200);
    const accepted = EventAcceptedSchema.parse(answer.body);
    expect(accepted.key).toEqual({ kind: 'alarm', value: '18755' });
    expect(accepted.runs.map((run) => run.rule).sort()).toEqual(['Disable on AIE', 'Heartbeat echo']);

    const echo = await runOf(accepted.runs.find((run) => run.rule === 'Heartbeat echo')!.runId, 20);
    expect(echo).toMatchObject({
      status: 'succeeded',
      requestedBy: 'rule "Heartbeat echo"',
      alarmId: '18755',
    });
    expect(echo.rowKey).toBe('18755');

    const disable = await runOf(accepted.runs.find((run) => run.rule === 'Disable on AIE')!.runId);
    // A side effect waits for approval like any other run; its value came from the alarm's first event.
    expect(disable.status).toBe('pending_approval');
    expect(Object.values(disable.params)).toEqual(['admin5']);

    const requested = auditTrail(orch).filter(
      (row) => row.event === 'run.requested' && row.run_id === echo.id,
    );
    expect(requested).toHaveLength(1);
    expect(requested[0]!.actor).toBe('rule "Heartbeat echo"');
  });

  it('binds a documented event exactly as the same row would bind for an analyst', async () => {
    const event = edrEvent('edr-1', '203.0.113.7');
    const answer = await postEvent(orch, event);
    expect(answer.status).toBe(200);
    const accepted = EventAcceptedSchema.parse(answer.body);
    expect(accepted.runs.map((run) => run.rule)).toEqual(['Public IP echo']);
    // A side-effect action with no approval policy is never run by a trigger.
    expect(accepted.skipped).toEqual([
      { rule: 'Unasked side effect', reason: expect.stringContaining('no approval policy') },
    ]);
    const triggered = await runOf(accepted.runs[0]!.runId, 20);

    const manual = await client(orch, TOKENS.alice).run(
      'test-echo/echo-row',
      {},
      rowContext({ ...event.fields, AlarmId: 'edr-manual' }),
    );
    expect(manual.status).toBe(200);
    expect(triggered.params).toEqual(manual.body.params);
    const argv = (triggered.output!.data as { argv: string[] }).argv;
    expect(argv).toEqual((manual.body.output.data as { argv: string[] }).argv);
    expect(argv).toContain('203.0.113.7');
  });

  it('runs the same action with the same values once per window, and shows that run on the later alarm', async () => {
    const first = EventAcceptedSchema.parse((await postEvent(orch, edrEvent('edr-2', '203.0.113.99'))).body);
    expect(first.runs).toHaveLength(1);
    const again = EventAcceptedSchema.parse((await postEvent(orch, edrEvent('edr-3', '203.0.113.99'))).body);
    expect(again.runs).toEqual([]);
    expect(again.skipped.find((s) => s.rule === 'Public IP echo')?.reason).toContain(first.runs[0]!.runId);

    const marks = await client(orch, TOKENS.alice).post('/api/v1/triggered-runs', {
      rows: [
        { kind: 'alarm', key: 'edr-2' },
        { kind: 'alarm', key: 'edr-3' },
        { kind: 'alarm', key: '18755' },
        { kind: 'log', key: '18755' },
        { kind: 'alarm', key: 'never-seen' },
      ],
    });
    expect(marks.status).toBe(200);
    const rows = TriggeredRunsSchema.parse(marks.body).rows;
    expect(Object.keys(rows).sort()).toEqual(['alarm:18755', 'alarm:edr-2', 'alarm:edr-3']);
    expect(rows['alarm:edr-3']!.runId).toBe(first.runs[0]!.runId);
    expect(rows['alarm:edr-2']).toMatchObject({ rule: 'Public IP echo', actionName: 'Echo Row' });
  });

  it('refuses signed events that make no row, naming the field', async () => {
    const cases: [unknown, string][] = [
      [{ source: 'edr', alarmId: '1', fields: { NotAField: 'x' } }, 'fields.NotAField'],
      [{ source: 'edr', fields: { SIP: '203.0.113.1' } }, 'alarmId'],
      [{ source: 'edr', alarmId: 'x'.repeat(65) }, 'alarmId'],
      [{ alarmDetails: { alarmRuleName: 'no id' } }, 'body'],
    ];
    // Alarm JSON without an alarm id says so.
    const noId = await postEvent(orch, { alarmDetails: { alarmRuleName: 'still no id' } });
    expect(noId.body.error.message).toContain('no alarmId');
    for (const [body, field] of cases) {
      const answer = await postEvent(orch, body);
      expect(answer.status, JSON.stringify(body).slice(0, 60)).toBe(400);
      expect(answer.body.error.field).toBe(field);
    }
    const notJson = await postEvent(orch, undefined, { raw: '{"source":' });
    expect(notJson.status).toBe(400);
    expect(notJson.body.error.field).toBe('body');
  });

  it('refuses a signed event nested deeper than any alarm with 400, as every other route does', async () => {
    const deep = `{"alarmDetails":{"alarmId":7,"notes":${'['.repeat(100_000)}${']'.repeat(100_000)}}}`;
    const answer = await postEvent(orch, undefined, { raw: deep });
    expect(answer.status).toBe(400);
    expect(answer.body.error).toMatchObject({
      field: 'body',
      message: 'the body is nested more than 64 levels deep',
    });
    const polluted = await postEvent(orch, undefined, {
      raw: '{"source":"edr","alarmId":"8","fields":{"__proto__":{"SIP":"203.0.113.9"}}}',
    });
    expect(polluted.status).toBe(400);
    expect(polluted.body.error.field).toBe('fields.__proto__');
  });

  it('refuses a signed event sent as another content type, naming it, rather than as a bad signature', async () => {
    for (const contentType of ['text/plain', 'application/octet-stream']) {
      const answer = await postEvent(orch, edrEvent(`typed-${contentType}`, '203.0.113.60'), { contentType });
      expect(answer.status).toBe(400);
      expect(answer.body.error).toEqual({
        code: 'bad_request',
        message: 'send the body as application/json',
        field: 'content-type',
      });
    }
  });

  it('answers the row query only to a caller with a token', async () => {
    const anonymous = await client(orch).post('/api/v1/triggered-runs', {
      rows: [{ kind: 'alarm', key: '1' }],
    });
    expect(anonymous.status).toBe(401);
  });

  it('holds a rule run to its per-minute limit', async () => {
    const statuses = [];
    for (const sip of ['198.51.100.1', '198.51.100.2', '198.51.100.3']) {
      const body = EventAcceptedSchema.parse(
        (await postEvent(orch, { source: 'burst', logId: `burst-${sip}`, fields: { SIP: sip } })).body,
      );
      statuses.push(body.runs.length === 1 ? 'ran' : body.skipped[0]?.reason);
    }
    expect(statuses.slice(0, 2)).toEqual(['ran', 'ran']);
    expect(statuses[2]).toContain('limit of 2 runs a minute');
  });

  it('refuses a bad signature, an old timestamp and a replay, and audits each', async () => {
    const before = (await client(orch, TOKENS.dave).get('/api/v1/runs?limit=500')).body.runs.length;
    const event = edrEvent('edr-refused', '203.0.113.50');

    const forged = await postEvent(orch, event, { secret: 'not-the-configured-secret-at-all' });
    expect(forged.status).toBe(401);
    expect(forged.body.error.message).toContain('signature does not match');

    const old = await postEvent(orch, event, { timestamp: Math.floor(Date.now() / 1000) - 3600 });
    expect(old.status).toBe(401);
    expect(old.body.error.message).toContain('timestamp');

    const unsigned = await fetch(`${orch.url}/api/v1/events`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(event),
    });
    expect(unsigned.status).toBe(401);

    const good = await postEvent(orch, edrEvent('edr-replayed', '203.0.113.51'));
    expect(good.status).toBe(200);
    const replay = await postEvent(orch, undefined, {
      raw: good.raw,
      timestamp: Number(good.timestamp),
      signature: good.signature,
    });
    expect(replay.status).toBe(409);

    const refused = auditTrail(orch).filter(
      (row) => row.event === 'request.refused' && row.outcome.includes('/api/v1/events'),
    );
    expect(refused.map((row) => row.outcome.slice(0, 3))).toEqual(['401', '401', '401', '409']);
    expect(refused[0]!.outcome).toContain('signature does not match');
    expect(refused[1]!.outcome).toContain('timestamp');
    expect(refused[3]!.outcome).toContain('replay');
    const after = (await client(orch, TOKENS.dave).get('/api/v1/runs?limit=500')).body.runs.length;
    expect(after).toBe(before + 1); // only the good one ran
  });

  it("lets an approver approve a rule's side-effect run, but not the rule's author", async () => {
    const pending = (await client(orch, TOKENS.dave).get('/api/v1/runs?status=pending_approval&limit=500'))
      .body.runs as { id: string; requestedBy: string }[];
    const run = pending.find((r) => r.requestedBy === 'rule "Disable on AIE"')!;
    expect(run).toBeDefined();
    const byAuthor = await client(orch, TOKENS.bob).post(`/api/v1/runs/${run.id}/approvals`, {
      decision: 'approve',
    });
    expect(byAuthor.status).toBe(403);
    expect(byAuthor.body.error.message).toContain('rule "Disable on AIE"');
    const approved = await client(orch, TOKENS.carol).post(`/api/v1/runs/${run.id}/approvals`, {
      decision: 'approve',
    });
    expect(approved.status).toBe(200);
    const done = await runOf(run.id, 20);
    expect(done.status).toBe('succeeded');
    expect((done.output!.data as { argv: string[] }).argv).toEqual(['--disable', 'admin5']);
  });

  it('limits how many events one address may send a minute, signed or not', async () => {
    let answer = await postEvent(orch, { source: 'nobody-listens', logId: 'flood-0' });
    for (let i = 1; i < 60 && answer.status !== 429; i++) {
      answer = await postEvent(
        orch,
        { source: 'nobody-listens', logId: `flood-${i}` },
        { secret: 'wrong-secret-wrong-secret' },
      );
    }
    expect(answer.status).toBe(429);
    expect(answer.body.error.code).toBe('rate_limited');
  });
});
