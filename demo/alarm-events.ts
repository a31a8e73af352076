import { isFieldName } from '../src/core/fields.ts';
import {
  EVENT_SIGNATURE_HEADER,
  EVENT_TIMESTAMP_HEADER,
  type EventAccepted,
} from '../src/core/triggers-api.ts';
import { signEvent } from '../src/orchestrator/webhook-signature.ts';

/**
 * The demo console's alarms as a SIEM would announce them to the orchestrator: each alarm row becomes the
 * documented event (`POST /api/v1/events`), signed with the demo config's webhook secret. `npm run demo`
 * posts the newest alarms at start, so the trigger rules of demo/orchestrator.config.json have already
 * enriched them when the analyst opens the Alarms tab.
 */

/** The demo's own webhook secret (demo/orchestrator.config.json); never a real one. */
export const DEMO_WEBHOOK_SECRET = 'gridside-demo-webhook-secret-3d9e1b70';

const AIE_PREFIX = /^AIE:\s*/;

/** One alarm row of the demo console (`/api/alarms`) → the documented event. */
export function alarmEvent(row: Record<string, unknown>): Record<string, unknown> {
  const fields: Record<string, string> = {};
  for (const [name, value] of Object.entries(row)) {
    if (!isFieldName(name) || value === null || value === undefined || value === '') continue;
    fields[name] = String(value);
  }
  const ruleName = typeof row.AlarmRuleName === 'string' ? row.AlarmRuleName : undefined;
  return {
    source: 'demo-console',
    alarmId: String(row.AlarmId),
    ...(ruleName ? { alarmRuleName: ruleName } : {}),
    ...(ruleName && AIE_PREFIX.test(ruleName) ? { aieRuleName: ruleName.replace(AIE_PREFIX, '') } : {}),
    ...(typeof row.AlarmRbp === 'number' ? { riskRating: row.AlarmRbp } : {}),
    fields,
  };
}

/** Posts one event, signed; resolves with what the orchestrator did with it. */
export async function postSignedEvent(
  orchestratorUrl: string,
  event: unknown,
  secret = DEMO_WEBHOOK_SECRET,
): Promise<EventAccepted> {
  const body = JSON.stringify(event);
  const timestamp = String(Math.floor(Date.now() / 1000));
  const response = await fetch(`${orchestratorUrl}/api/v1/events`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      [EVENT_TIMESTAMP_HEADER]: timestamp,
      [EVENT_SIGNATURE_HEADER]: signEvent(secret, timestamp, body),
    },
    body,
  });
  if (!response.ok) throw new Error(`POST /api/v1/events: ${response.status} ${await response.text()}`);
  return (await response.json()) as EventAccepted;
}

/** Posts the console's newest `count` alarms; resolves with how many runs the rules started. */
export async function postDemoAlarms(options: {
  orchestratorUrl: string;
  consoleUrl: string;
  count: number;
}): Promise<number> {
  const response = await fetch(`${options.consoleUrl}/api/alarms`);
  const rows = (await response.json()) as Record<string, unknown>[];
  let runs = 0;
  for (const row of rows.slice(0, options.count)) {
    runs += (await postSignedEvent(options.orchestratorUrl, alarmEvent(row))).runs.length;
  }
  return runs;
}
