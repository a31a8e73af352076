import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TriggeredRunsSchema } from '../../src/core/triggers-api.ts';
import { type EngineServer, type RecordedRequest, startEngineServer } from '../support/engine-servers.ts';
import {
  type OrchestratorHandle,
  restartOrchestrator,
  startOrchestrator,
} from '../support/orchestrator-process.ts';
import { baseConfig, client, PLUGINS, TOKENS, waitUntil } from './setup.ts';
import { auditTrail, logrhythmFixture } from './trigger-setup.ts';

/**
 * The LogRhythm Alarm API poll, against a local server answering with recorded LogRhythm documents: each
 * new matching alarm runs once, the stored cursor and handled ids carry over a restart, and an alarm
 * inserted later is picked up on a later round.
 */

type Alarm = Record<string, unknown>;
const LISTED = logrhythmFixture<{ LogRhythm: { Alarm: Alarm[] } }>('alarms_list.xsoar-readme-context.json')
  .LogRhythm.Alarm;
const DETAILS = logrhythmFixture<Alarm[]>('alarm_details_with_events.google-secops-marketplace.json')[0]!;
const { alarmEventsDetails: EVENTS, ...DETAILS_ONLY } = DETAILS;

/** `GET /alarms` honours `dateInserted` (from that date on) as LogRhythm does; the test adds alarms to it. */
function alarmApi(server: EngineServer, listed: Alarm[]) {
  server.on('GET /lr-alarm-api/alarms', (req: RecordedRequest) => {
    const since = Date.parse(req.query.get('dateInserted') ?? '') || 0;
    const items = listed.filter((alarm) => Date.parse(String(alarm.dateInserted)) >= since);
    return { json: { alarmsSearchDetails: items, alarmsCount: items.length, statusCode: 200 } };
  });
  // The recorded details, under the id asked for; the events come from their own endpoint.
  server.on('GET /lr-alarm-api/alarms/:id', (req: RecordedRequest) => {
    const id = Number(req.path.split('/').at(-1));
    const listedAlarm = listed.find((alarm) => alarm.alarmId === id);
    if (!listedAlarm) return { status: 404, json: { message: 'alarm not found' } };
    return { json: { alarmDetails: { ...DETAILS_ONLY, ...listedAlarm, alarmId: id } } };
  });
  server.on('GET /lr-alarm-api/alarms/:id/events', () => ({ json: { alarmsEventDetails: EVENTS } }));
}

const detailReads = (server: EngineServer, id: number) =>
  server.requests.filter((req) => req.path === `/lr-alarm-api/alarms/${id}`).length;
const listReads = (server: EngineServer) =>
  server.requests.filter((req) => req.path === '/lr-alarm-api/alarms').length;

const LR_TOKEN = 'lr-api-token-for-the-poll-test';

let server: EngineServer;
let orch: OrchestratorHandle;
let config: Record<string, unknown>;
const listed = [...LISTED];

beforeAll(async () => {
  server = await startEngineServer();
  alarmApi(server, listed);
  config = baseConfig({
    triggers: {
      logrhythmPoll: {
        url: server.url,
        token: { env: 'LR_POLL_TOKEN' },
        intervalSeconds: 1,
        since: '2021-01-01T00:00:00Z',
      },
      rules: [
        {
          name: 'Heartbeat echo',
          action: 'test-echo/echo-row',
          match: { sources: ['logrhythm-poll'], alarmRules: ['LogRhythm Agent Heartbeat Missed'] },
          // Each alarm's values are the same (recorded events): dedupe would hide the second run.
          dedupeSeconds: 0,
        },
      ],
    },
  });
  orch = await startOrchestrator({ plugins: PLUGINS, config, env: { LR_POLL_TOKEN: LR_TOKEN } });
});
afterAll(async () => {
  await orch.stop();
  orch.cleanup();
  await server.close();
});

const triggeredRuns = () =>
  auditTrail(orch).filter((row) => row.event === 'trigger.fired' && row.actor === 'rule "Heartbeat echo"');

describe('LogRhythm Alarm API poll', () => {
  it('runs the rule once for each new matching alarm', async () => {
    expect(await waitUntil(() => triggeredRuns().length >= 2, 20_000)).toBe(true);
    // A few more rounds: nothing is handled twice.
    const rounds = listReads(server);
    expect(await waitUntil(() => listReads(server) >= rounds + 2, 10_000)).toBe(true);
    const fired = triggeredRuns();
    expect(fired.map((row) => row.outcome.split(' ')[1]).sort()).toEqual(['334', '882']);
    expect(detailReads(server, 882)).toBe(1);
    expect(detailReads(server, 334)).toBe(1);
    // The poll presents the configured token and asks from its cursor, oldest first.
    const list = server.requests.find((req) => req.path === '/lr-alarm-api/alarms')!;
    expect(list.headers.authorization).toBe(`Bearer ${LR_TOKEN}`);
    expect(list.query.get('orderby')).toBe('DateInserted');
    expect(list.query.get('dir')).toBe('ascending');
    expect(list.query.get('dateInserted')).toBe('2021-01-01T00:00:00Z');
    // Later rounds continue from the newest alarm seen.
    const later = server.requests.filter((req) => req.path === '/lr-alarm-api/alarms').at(-1)!;
    expect(later.query.get('dateInserted')).toBe('2021-10-13T09:13:20.103');

    const marks = await client(orch, TOKENS.alice).post('/api/v1/triggered-runs', {
      rows: [
        { kind: 'alarm', key: '882' },
        { kind: 'alarm', key: '334' },
      ],
    });
    const rows = TriggeredRunsSchema.parse(marks.body).rows;
    expect(Object.keys(rows).sort()).toEqual(['alarm:334', 'alarm:882']);
  });

  it('handles no alarm twice across a restart, and picks up one inserted later', async () => {
    expect(await orch.stop()).toBe(0);
    const readsBefore = detailReads(server, 882) + detailReads(server, 334);
    const listsBefore = listReads(server);
    orch = await restartOrchestrator(orch, {
      plugins: PLUGINS,
      config,
      env: { LR_POLL_TOKEN: LR_TOKEN },
    });
    expect(await waitUntil(() => listReads(server) >= listsBefore + 2, 15_000)).toBe(true);
    expect(triggeredRuns()).toHaveLength(2);
    expect(detailReads(server, 882) + detailReads(server, 334)).toBe(readsBefore);
    // The cursor survived: the first request after the restart starts from the newest alarm seen.
    const firstAfter = server.requests.filter((req) => req.path === '/lr-alarm-api/alarms')[listsBefore]!;
    expect(firstAfter.query.get('dateInserted')).toBe('2021-10-13T09:13:20.103');

    listed.push({ ...LISTED[0]!, alarmId: 901, dateInserted: '2021-10-14T08:00:00.000' });
    expect(await waitUntil(() => triggeredRuns().length === 3, 15_000)).toBe(true);
    const lists = listReads(server);
    expect(await waitUntil(() => listReads(server) >= lists + 2, 10_000)).toBe(true);
    expect(triggeredRuns()).toHaveLength(3);
    expect(detailReads(server, 901)).toBe(1);
  });
});
