import { describe, expect, it } from 'vitest';
import {
  ALARM_COLUMNS,
  ASSETS,
  findHostileRows,
  generateAlarms,
  generateLogs,
  HOSTILE_SAMPLES,
  KNOWN_FILES,
  LOG_COLUMNS,
  PUBLIC_IPS,
  THREAT_IPS,
  USERS,
} from '../../../demo/generator/index.ts';

const logs = generateLogs({ seed: 42, count: 5000 });
const alarms = generateAlarms({ seed: 42, count: 1000 });

const threatIps = new Set(THREAT_IPS.map((t) => t.ip));
const assetIps = new Set(ASSETS.flatMap((a) => a.ips));
const assetNames = new Set(ASSETS.flatMap((a) => [a.hostname, a.fqdn]));
const publicIps = new Set(PUBLIC_IPS.map((p) => p.ip));
const hashes = new Set(KNOWN_FILES.flatMap((f) => [f.sha256, f.sha1, f.md5]));
/** The login part of jsmith, CORP\jsmith or jsmith@corp.example.com. */
const loginOf = (value: string): string => value.replace(/^.*\\/, '').replace(/@.*$/, '');
const logins = new Set(USERS.map((u) => u.login));
const share = <T>(rows: T[], test: (row: T) => boolean): number => rows.filter(test).length / rows.length;

describe('generateLogs', () => {
  it('gives the same rows for the same seed and different rows for another seed', () => {
    expect(generateLogs({ seed: 42, count: 5000 })).toEqual(logs);
    const other = generateLogs({ seed: 43, count: 5000 });
    expect(other).toHaveLength(5000);
    expect(other.map((r) => r.Message)).not.toEqual(logs.map((r) => r.Message));
  });

  it('returns exactly the requested count, including none', () => {
    expect(generateLogs({ seed: 1, count: 0 })).toEqual([]);
    expect(generateLogs({ seed: 1, count: 1 })).toHaveLength(1);
    expect(generateLogs({ seed: 1, count: 12_345 })).toHaveLength(12_345);
  });

  it('gives every row a unique LogId and lists the newest first', () => {
    expect(new Set(logs.map((r) => r.LogId)).size).toBe(logs.length);
    for (let i = 1; i < logs.length; i++) {
      expect(logs[i - 1]!.LogDate >= logs[i]!.LogDate).toBe(true);
      expect(Number(logs[i - 1]!.LogId)).toBeGreaterThan(Number(logs[i]!.LogId));
    }
    expect(logs.every((r) => !Number.isNaN(Date.parse(r.LogDate)) && r.LogDate.endsWith('Z'))).toBe(true);
  });

  it('does not depend on the clock unless an end date is given', () => {
    expect(logs[0]!.LogDate).toBe('2026-11-27T12:00:00.000Z');
    const shifted = generateLogs({ seed: 42, count: 10, end: '2027-01-01T00:00:00Z' });
    expect(shifted[0]!.LogDate).toBe('2027-01-01T00:00:00.000Z');
  });

  it('keeps fields in range and consistent with the raw message', () => {
    for (const row of logs) {
      expect(row.Priority).toBeGreaterThanOrEqual(0);
      expect(row.Priority).toBeLessThanOrEqual(100);
      expect(['Inbound', 'Outbound', 'Internal', 'External', 'Local', 'Unknown']).toContain(row.Direction);
      expect(row.MessageClass).not.toBe('');
      expect(row.CommonEvent).not.toBe('');
      expect(row.LogSource).not.toBe('');
      // The raw line names the origin by address, or by host name where the SIEM resolved the address.
      if (row.SIP) {
        const message = row.Message.toLowerCase();
        expect(message.includes(row.SIP) || message.includes(row.SHostName.toLowerCase()), row.Message).toBe(
          true,
        );
      }
      if (row.Hash) expect(row.Message.toLowerCase()).toContain(row.Hash);
    }
  });

  it('fills every column the console shows in a good share of rows', () => {
    for (const column of LOG_COLUMNS) {
      const filled = share(logs, (r) => r[column.field] !== '' && r[column.field] !== null);
      expect(filled, column.field).toBeGreaterThan(0.01);
    }
  });

  it('hits the datasets often, so enrichment plugins find something', () => {
    expect(share(logs, (r) => threatIps.has(r.SIP) || threatIps.has(r.DIP))).toBeGreaterThan(0.03);
    expect(share(logs, (r) => threatIps.has(r.SIP))).toBeGreaterThan(0.005);
    expect(share(logs, (r) => assetIps.has(r.SIP) || assetIps.has(r.DIP))).toBeGreaterThan(0.5);
    expect(share(logs, (r) => assetNames.has(r.SHostName) || assetNames.has(r.DHostName))).toBeGreaterThan(
      0.5,
    );
    expect(share(logs, (r) => r.Login !== '' && logins.has(loginOf(r.Login)))).toBeGreaterThan(0.4);
    expect(share(logs, (r) => hashes.has(r.Hash))).toBeGreaterThan(0.1);
    expect(share(logs, (r) => publicIps.has(r.DIP) || publicIps.has(r.SIP))).toBeGreaterThan(0.1);
  });

  it('writes logins in the forms consoles show: user, DOMAIN\\user and user@domain', () => {
    expect(logs.some((r) => /^[a-z0-9.-]+$/.test(r.Login) && logins.has(r.Login))).toBe(true);
    expect(logs.some((r) => r.Login.startsWith('CORP\\'))).toBe(true);
    expect(logs.some((r) => r.Login.endsWith('@corp.example.com'))).toBe(true);
  });

  it('seeds a small share of hostile values, one of them near the top', () => {
    const hostile = findHostileRows(logs);
    expect(hostile.length).toBeGreaterThan(0);
    expect(hostile.length / logs.length).toBeLessThan(0.02);
    expect(logs.slice(0, 10).some((r) => findHostileRows([r]).length === 1)).toBe(true);
    const kinds = new Set(hostile.map((h) => h.sample.name));
    expect(kinds.size).toBeGreaterThan(3);
    for (const { row, sample } of hostile) expect(row[sample.field]).toBe(sample.value);
  });

  it('has hostile samples covering HTML, shell metacharacters, switch look-alikes and a very long value', () => {
    const values = HOSTILE_SAMPLES.map((s) => s.value);
    expect(values.some((v) => /<script>|onerror=|onload=/.test(v))).toBe(true);
    expect(values.some((v) => /\$\(|`|&&|\|/.test(v))).toBe(true);
    expect(values.some((v) => v.startsWith('-'))).toBe(true);
    expect(values.some((v) => v.length > 5000)).toBe(true);
    expect(values.every((v) => !v.includes('\0'))).toBe(true);
  });
});

describe('generateAlarms', () => {
  it('is deterministic per seed', () => {
    expect(generateAlarms({ seed: 42, count: 1000 })).toEqual(alarms);
    expect(generateAlarms({ seed: 7, count: 1000 })).not.toEqual(alarms);
  });

  it('gives unique numeric alarm ids and sane alarm fields', () => {
    expect(alarms).toHaveLength(1000);
    expect(new Set(alarms.map((a) => a.AlarmId)).size).toBe(1000);
    for (const alarm of alarms) {
      expect(alarm.AlarmId).toMatch(/^\d+$/);
      expect(alarm.AlarmRbp).toBeGreaterThanOrEqual(0);
      expect(alarm.AlarmRbp).toBeLessThanOrEqual(100);
      expect(alarm.EventCount).toBeGreaterThanOrEqual(1);
      expect(alarm.AlarmStatus).toMatch(/^(New|Opened|Working|Escalated|Closed(: .+)?)$/);
      expect(alarm.AlarmRuleName).not.toBe('');
    }
    expect(new Set(alarms.map((a) => a.AlarmStatus)).size).toBeGreaterThan(5);
    expect(new Set(alarms.map((a) => a.AlarmRuleName)).size).toBeGreaterThan(5);
  });

  it("carries the first event's fields, and those hit the datasets", () => {
    expect(share(alarms, (a) => threatIps.has(a.SIP) || threatIps.has(a.DIP))).toBeGreaterThan(0.3);
    expect(share(alarms, (a) => assetNames.has(a.SHostName) || assetNames.has(a.DHostName))).toBeGreaterThan(
      0.5,
    );
    expect(share(alarms, (a) => hashes.has(a.Hash))).toBeGreaterThan(0.05);
  });

  it('fills every alarm column in some rows', () => {
    for (const column of ALARM_COLUMNS) {
      expect(
        share(alarms, (a) => a[column.field] !== '' && a[column.field] !== null),
        column.field,
      ).toBeGreaterThan(0.01);
    }
  });
});

describe('column definitions', () => {
  it('use the Web Console labels and unique fields', () => {
    const logLabels = Object.fromEntries(LOG_COLUMNS.map((c) => [c.field, c.label]));
    expect(logLabels).toMatchObject({
      SIP: 'IP Address (Origin)',
      DHostName: 'Host (Impacted)',
      Login: 'User (Origin)',
      LogDate: 'Log Date',
      MessageClass: 'Classification',
      CommonEvent: 'Common Event',
      Entity: 'Log Source Entity',
    });
    const alarmLabels = Object.fromEntries(ALARM_COLUMNS.map((c) => [c.field, c.label]));
    expect(alarmLabels).toMatchObject({
      AlarmId: 'Alarm ID',
      AlarmRuleName: 'Alarm Rule Name',
      AlarmStatus: 'Alarm Status',
      AlarmRbp: 'RBP',
      Entity: 'Entity',
      EventCount: 'Event Count',
      AlarmDate: 'Alarm Date',
    });
    expect(new Set(LOG_COLUMNS.map((c) => c.field)).size).toBe(LOG_COLUMNS.length);
    expect(new Set(ALARM_COLUMNS.map((c) => c.field)).size).toBe(ALARM_COLUMNS.length);
  });
});
