import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { FIELDS } from '../../../src/core/fields.ts';
import {
  fieldsFromAlarmEvent,
  fieldsFromSearchItem,
  rowContextFromAlarmDetails,
} from '../../../src/core/lr-json.ts';
import { LIMITS, RowContextSchema } from '../../../src/core/row-context.ts';

// biome-ignore lint/suspicious/noExplicitAny: fixtures are read by path, as published
const fixture = (name: string): any =>
  JSON.parse(readFileSync(new URL(`../../fixtures/logrhythm/${name}`, import.meta.url), 'utf8'));

const alarmWithEvents = fixture('alarm_details_with_events.google-secops-marketplace.json');
const alarm = alarmWithEvents[0];
const alarmEvent = alarm.alarmEventsDetails[0];
const xsoarEvent = fixture('alarm_events.xsoar-readme-context.json').LogRhythm.AlarmEvents;
const alarmList = fixture('alarms_list.xsoar-readme-context.json').LogRhythm.Alarm;
const searchItem = fixture('search_result_items.google-secops-marketplace.json')[0].EntityResult[0];

const CONSOLE = 'https://siem.example.com';

const alarmApiSpec = readFileSync(
  new URL('../../fixtures/logrhythm/lr-alarm-api-7.7.0.openapi.splunk-soar-connector.yaml', import.meta.url),
  'utf8',
);
/** Property names of one `components.schemas` entry of the spec (a YAML block read by indentation). */
function specProperties(schema: string): Set<string> {
  const start = alarmApiSpec.indexOf(`\n    ${schema}:\n`);
  if (start < 0) throw new Error(`no ${schema} in the spec`);
  const rest = alarmApiSpec.slice(start + 1);
  const end = rest.slice(1).search(/\n {4}[A-Za-z]+:\n/);
  const block = end < 0 ? rest : rest.slice(0, end + 1);
  return new Set([...block.matchAll(/^ {8}([A-Za-z]+):$/gm)].map((m) => m[1] as string));
}

describe('Alarm API keys in the field table', () => {
  it('are keys the Alarm API 7.7.0 spec defines (EventDetail, AlarmDetails, nested location/network)', () => {
    const event = specProperties('EventDetail');
    const details = specProperties('AlarmDetails');
    const nested = new Set([...specProperties('OriginLocation'), ...specProperties('OriginNetwork')]);
    expect(event.has('originIP')).toBe(true);
    // Known gaps of the Alarm API: hashes and root entities are search-only.
    const notInAlarmApi = new Set(['Hash', 'RootEntity']);
    for (const field of FIELDS) {
      if (field.alarmApiKeys.length === 0 || notInAlarmApi.has(field.name)) continue;
      const known = field.alarmApiKeys.some((key) => {
        const [outer, inner] = key.split('.') as [string, string | undefined];
        return inner ? event.has(outer) && nested.has(inner) : event.has(outer) || details.has(outer);
      });
      expect(known, `${field.name}: ${field.alarmApiKeys.join(', ')}`).toBe(true);
    }
  });
});

describe('rowContextFromAlarmDetails (Google SecOps "Get Alarm Details" sample)', () => {
  const ctx = rowContextFromAlarmDetails(alarmWithEvents, CONSOLE);

  it('is a valid alarm RowContext keyed by the alarm id with high confidence', () => {
    expect(RowContextSchema.parse(ctx)).toEqual(ctx);
    expect(ctx.kind).toBe('alarm');
    expect(ctx.console).toBe(CONSOLE);
    expect(ctx.alarmId).toBe(String(alarm.alarmId));
    expect(ctx.key).toEqual({ value: String(alarm.alarmId), source: 'column', confidence: 'high' });
  });

  it('takes the alarm fields from the alarm', () => {
    expect(ctx.fields.AlarmId).toBe(String(alarm.alarmId));
    expect(ctx.fields.AlarmDate).toBe(alarm.alarmDate);
    expect(ctx.fields.AlarmRuleName).toBe(alarm.alarmRuleName);
    expect(ctx.fields.AlarmStatus).toBe(alarm.alarmStatusName);
    expect(ctx.fields.AlarmRbp).toBe(String(alarm.rbpMax));
    expect(ctx.fields.EventCount).toBe(String(alarm.eventCount));
    // The event's entity is empty; the alarm's entity fills the gap.
    expect(alarmEvent.entityName).toBe('');
    expect(ctx.fields.Entity).toBe(alarm.entityName);
  });

  it('takes the other fields from the first event', () => {
    expect(ctx.fields.Login).toBe(alarmEvent.login);
    expect(ctx.fields.Account).toBe(alarmEvent.account);
    expect(ctx.fields.CommonEvent).toBe(alarmEvent.commonEventName);
    expect(ctx.fields.MessageClass).toBe(alarmEvent.classificationName);
    expect(ctx.fields.LogSource).toBe(alarmEvent.logSourceName);
    expect(ctx.fields.LogDate).toBe(alarmEvent.logDate);
    expect(ctx.fields.Priority).toBe(String(alarmEvent.priority));
    expect(ctx.fields.LogId).toBe(String(alarmEvent.messageId));
  });

  it('leaves out LogRhythm empties: null, "", -1 and the 0001-01-01 date', () => {
    expect(alarmEvent.originIP).toBeNull();
    expect(ctx.fields.SIP).toBeUndefined();
    expect(alarmEvent.impactedName).toBe('');
    expect(ctx.fields.DHostName).toBeUndefined();
    expect(alarmEvent.originPort).toBe(-1);
    expect(ctx.fields.SPort).toBeUndefined();
    expect(alarmEvent.impactedLocation.dateUpdated).toMatch(/^0001-01-01/);
    expect(alarmEvent.normalDateMax).toMatch(/^0001-01-01/);
    // normalDateMax is empty, so the normal date falls back to the log date.
    expect(ctx.fields.NormalMessageDate).toBe(alarmEvent.logDate);
    for (const value of Object.values(ctx.fields)) expect(value).not.toBe('');
  });

  it('accepts the API shape { alarmDetails } with events under either spelling', () => {
    const { alarmEventsDetails, ...details } = alarm;
    for (const key of ['alarmEventsDetails', 'alarmsEventDetails']) {
      const beside = rowContextFromAlarmDetails(
        { alarmDetails: details, [key]: alarmEventsDetails },
        CONSOLE,
      );
      expect(beside.fields).toEqual(ctx.fields);
      const inside = rowContextFromAlarmDetails(
        { alarmDetails: { ...details, [key]: alarmEventsDetails } },
        CONSOLE,
      );
      expect(inside.fields).toEqual(ctx.fields);
    }
  });

  it('uses the first event only', () => {
    const second = { ...alarmEvent, login: 'someone-else', originIP: '10.9.9.9' };
    const two = rowContextFromAlarmDetails({ ...alarm, alarmEventsDetails: [alarmEvent, second] }, CONSOLE);
    expect(two.fields.Login).toBe(alarmEvent.login);
    expect(two.fields.SIP).toBeUndefined();
  });

  it('builds a context from an alarm list item without events', () => {
    const item = alarmList[0];
    const listCtx = rowContextFromAlarmDetails(item, CONSOLE);
    expect(listCtx.alarmId).toBe(String(item.alarmId));
    expect(listCtx.fields.AlarmRuleName).toBe(item.alarmRuleName);
    expect(listCtx.fields.AlarmStatus).toBe(item.alarmStatus);
    expect(listCtx.fields.Entity).toBe(item.entityName);
    expect(listCtx.fields.Login).toBeUndefined();
  });

  it('refuses JSON without an alarm id, whatever its shape', () => {
    for (const bad of [
      null,
      'alarm',
      42,
      [],
      {},
      { alarmDetails: 'x' },
      { alarmEventsDetails: [alarmEvent] },
    ]) {
      expect(() => rowContextFromAlarmDetails(bad, CONSOLE)).toThrow(/alarmId/);
    }
  });

  it('treats wrongly typed keys as absent instead of failing', () => {
    const odd = { ...alarm, alarmEventsDetails: 'not a list', alarmRuleName: { nested: true } };
    const oddCtx = rowContextFromAlarmDetails(odd, CONSOLE);
    expect(oddCtx.fields.AlarmRuleName).toBeUndefined();
    expect(oddCtx.fields.Login).toBeUndefined();
    expect(oddCtx.alarmId).toBe(String(alarm.alarmId));
  });

  it('cuts over-long values to the RowContext limit and says so', () => {
    const huge = 'A'.repeat(LIMITS.valueChars + 10);
    const long = rowContextFromAlarmDetails(
      { ...alarm, alarmEventsDetails: [{ ...alarmEvent, logMessage: huge }] },
      CONSOLE,
    );
    expect(long.fields.Message).toHaveLength(LIMITS.valueChars);
    expect(long.truncated).toEqual(['Message']);
  });
});

describe('fieldsFromAlarmEvent (XSOAR lr-alarm-events-list sample)', () => {
  const fields = fieldsFromAlarmEvent(xsoarEvent);

  it('maps Alarm API keys onto canonical fields as strings', () => {
    expect(fields.MessageClass).toBe(xsoarEvent.classificationName);
    expect(fields.CommonEvent).toBe(xsoarEvent.commonEventName);
    expect(fields.Direction).toBe(xsoarEvent.directionName);
    expect(fields.KnownService).toBe(xsoarEvent.serviceName);
    expect(fields.SZone).toBe(xsoarEvent.originZone);
    expect(fields.DEntity).toBe(xsoarEvent.impactedEntityName);
    expect(fields.Message).toBe(xsoarEvent.logMessage);
    expect(fields.Priority).toBe(String(xsoarEvent.priority));
    expect(fields.AlarmId).toBe(String(xsoarEvent.alarmId));
    for (const value of Object.values(fields)) expect(typeof value).toBe('string');
  });

  it('reads the crosswalk keys of a populated event, including nested location and network', () => {
    const event = {
      ...xsoarEvent,
      originIP: '10.1.2.3',
      impactedIP: '192.0.2.7',
      originName: 'ws-042.corp.example',
      impactedName: 'dc01.corp.example',
      impactedHostName: 'DC01 (known host)',
      login: 'alice',
      account: 'svc-backup',
      objectName: 'C:\\Windows\\Temp\\x.exe',
      impactedPort: 445,
      vendorMsgId: '4625',
      originMAC: '00:1A:2B:3C:4D:5E',
      originLocation: {
        ...xsoarEvent.originLocation,
        countryCode: 'NL',
        regionCode: 'NH',
        name: 'Amsterdam',
        type: 'City',
      },
      impactedLocation: {
        ...xsoarEvent.impactedLocation,
        countryCode: 'US',
        name: 'California',
        type: 'Region',
      },
      originNetwork: { ...xsoarEvent.originNetwork, name: 'Branch LAN' },
    };
    const f = fieldsFromAlarmEvent(event);
    expect(f).toMatchObject({
      SIP: event.originIP,
      DIP: event.impactedIP,
      SHostName: event.originName,
      DHostName: event.impactedName,
      KnownDHost: event.impactedHostName,
      Login: event.login,
      Account: event.account,
      Object: event.objectName,
      ObjectName: event.objectName,
      DPort: String(event.impactedPort),
      VenderMessageId: event.vendorMsgId,
      SMAC: event.originMAC,
      SLocationCountry: event.originLocation.countryCode,
      SLocationRegion: event.originLocation.regionCode,
      SLocationCity: event.originLocation.name,
      DLocationCountry: event.impactedLocation.countryCode,
      SNetwork: event.originNetwork.name,
    });
    // A region-level location has no city.
    expect(f.DLocationCity).toBeUndefined();
  });

  it('returns no fields for input that is not an object', () => {
    for (const bad of [null, undefined, 'x', 7, [xsoarEvent]]) expect(fieldsFromAlarmEvent(bad)).toEqual({});
  });
});

describe('fieldsFromSearchItem (Google SecOps search result sample)', () => {
  const fields = fieldsFromSearchItem(searchItem);

  it('maps Search API keys, which differ in case from the Alarm API', () => {
    expect(fields.SIP).toBe(searchItem.originIp);
    expect(fields.DIP).toBe(searchItem.impactedIp);
    expect(fields.DHostName).toBe(searchItem.impactedHost);
    expect(fields.SHostName).toBe(searchItem.originHost);
    expect(fields.SPort).toBe(String(searchItem.originPort));
    expect(fields.DPort).toBe(String(searchItem.impactedPort));
    expect(fields.URL).toBe(searchItem.url);
    expect(fields.Protocol).toBe(searchItem.protocolName);
    expect(fields.VenderMessageId).toBe(searchItem.vendorMessageId);
    expect(fields.MPERule).toBe(searchItem.mpeRuleName);
    expect(fields.LogSourceHost).toBe(searchItem.logSourceHostName);
    expect(fields.LogId).toBe(searchItem.messageId);
  });

  it('turns epoch-millisecond dates into ISO 8601', () => {
    expect(fields.NormalMessageDate).toBe(new Date(searchItem.normalDate).toISOString());
    expect(fields.LogDate).toBe(new Date(searchItem.logDate).toISOString());
  });

  it('takes zone names, not the numeric zone ids', () => {
    expect(fields.SZone).toBe(searchItem.originZoneName);
    expect(fields.SZone).not.toBe(String(searchItem.originZone));
  });

  it('does not read kilobytes as bytes', () => {
    expect(searchItem.kBytesIn).toBeDefined();
    expect(fields.BytesIn).toBeUndefined();
  });

  it('reads hash and object, which the Alarm API lacks', () => {
    const item = {
      ...searchItem,
      hash: 'd41d8cd98f00b204e9800998ecf8427e',
      object: 'C:\\x.exe',
      objectName: 'x.exe',
    };
    const f = fieldsFromSearchItem(item);
    expect(f.Hash).toBe(item.hash);
    expect(f.Object).toBe(item.object);
    expect(f.ObjectName).toBe(item.objectName);
  });

  it('prefers the parsed host name over the display host when both are present', () => {
    const f = fieldsFromSearchItem({ ...searchItem, impactedName: 'web01.example.com' });
    expect(f.DHostName).toBe('web01.example.com');
  });
});
