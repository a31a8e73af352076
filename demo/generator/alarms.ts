/**
 * `generateAlarms`: seeded AI Engine alarms, newest first. Each alarm carries its first event's fields, as
 * LogRhythm's alarm grid drill-down shows them and as SRP alarm-field defaults read them.
 */
import { blankRow, type LogRow } from './log-row.ts';
import { SCENARIOS, type ScenarioName } from './log-scenarios.ts';
import { DEMO_END, type GenerateOptions, timestamps } from './logs.ts';
import { createRandom } from './prng.ts';

type FirstEventFields = Pick<
  LogRow,
  | 'MessageClass'
  | 'CommonEvent'
  | 'LogSource'
  | 'SHostName'
  | 'SIP'
  | 'DHostName'
  | 'DIP'
  | 'Login'
  | 'Account'
  | 'Object'
  | 'Process'
  | 'URL'
  | 'Hash'
  | 'Direction'
  | 'SPort'
  | 'DPort'
  | 'Protocol'
  | 'Domain'
  | 'Subject'
  | 'Sender'
  | 'Recipient'
>;

export interface AlarmRow extends FirstEventFields {
  /** Numeric string, unique. */
  AlarmId: string;
  AlarmRuleName: string;
  AlarmStatus: string;
  /** Risk-based priority, 0–100. */
  AlarmRbp: number;
  Entity: string;
  EventCount: number;
  /** ISO 8601, UTC. */
  AlarmDate: string;
}

/** AI Engine rules and the event that trips them. */
const RULES: [name: string, scenario: ScenarioName, weight: number][] = [
  ['AIE: Brute Force Attack Against Single Account', 'logon-failure', 8],
  ['AIE: VPN Logon From Known Bad IP', 'vpn-logon', 5],
  ['AIE: Outbound Connection To Known C2', 'firewall-outbound', 9],
  ['AIE: Port Scan From Known Scanner', 'firewall-inbound', 6],
  ['AIE: Malware Detected Not Cleaned', 'malware', 7],
  ['AIE: Suspicious Process Execution', 'process', 6],
  ['AIE: Blocked Access To Phishing Site', 'web', 4],
  ['AIE: Phishing Email Delivered', 'mail', 5],
  ['AIE: User Added To Privileged Group', 'account-change', 3],
];
const STATUSES: [string, number][] = [
  ['New', 40],
  ['Opened', 14],
  ['Working', 12],
  ['Escalated', 6],
  ['Closed', 2],
  ['Closed: Resolved', 10],
  ['Closed: False Alarm', 8],
  ['Closed: Unresolved', 3],
  ['Closed: Reported', 2],
  ['Closed: Monitor', 3],
];
const ENTITIES: [string, number][] = [
  ['Primary Site', 6],
  ['London Office', 2],
  ['Singapore Office', 1],
  ['Global Entity', 1],
];
const ruleWeights = RULES.map((rule) => [rule, rule[2]] as const);

export function generateAlarms(options: GenerateOptions): AlarmRow[] {
  const { seed, count } = options;
  // A different stream from generateLogs with the same seed, so alarms do not mirror the first log rows.
  const r = createRandom(seed ^ 0x5eed_a1a7);
  const firstId = 4_000_000 + (Math.abs(Math.trunc(seed)) % 900) * 10_000;
  const rows: AlarmRow[] = new Array(count);
  let i = 0;
  for (const stamp of timestamps(r, count, options.end ?? DEMO_END, options.spanHours ?? 7 * 24)) {
    const [ruleName, scenario] = r.weighted(ruleWeights);
    const event = blankRow('', stamp);
    SCENARIOS[scenario].fill(r, event, stamp, true);
    const { Priority, Message: _message, Entity: _entity, LogId: _id, LogDate: _date, ...firstEvent } = event;
    rows[i++] = {
      AlarmId: String(firstId + count - i),
      AlarmRuleName: ruleName,
      AlarmStatus: r.weighted(STATUSES),
      AlarmRbp: Math.max(0, Math.min(100, Priority + r.int(-10, 5))),
      Entity: r.weighted(ENTITIES),
      EventCount: r.chance(0.6) ? r.int(1, 12) : r.int(13, 900),
      AlarmDate: stamp,
      ...firstEvent,
    };
  }
  return rows;
}
