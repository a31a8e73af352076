import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { observableTypeOf } from '../../../src/core/field-types.ts';
import {
  FIELDS,
  fieldForLabel,
  isFieldName,
  normalizeLabel,
  ROW_KEY_FIELDS,
} from '../../../src/core/fields.ts';
import { LR_FIELD_KEYS } from '../../../src/core/lr-field-keys.ts';
import { SRP_ALARM_FIELDS } from '../../../src/core/srp/model.ts';

const xsd = readFileSync(
  new URL('../../fixtures/logrhythm/RemediationVersion1.xsd', import.meta.url),
  'utf8',
);
/** The SRP alarm-field elements, read from the real schema (not retyped). */
const xsdAlarmFields = [...xsd.matchAll(/<xs:element name="(\w+)" substitutionGroup="AlarmField"/g)].map(
  (m) => m[1],
);

describe('canonical field set', () => {
  it('gives no label, once normalized, to two fields: each label and its side-first form find its own', () => {
    const elsewhere: string[] = [];
    for (const def of FIELDS) {
      const labels = [def.name, ...def.labels];
      for (const label of def.labels) {
        const side = /^(.*?)\s*\((origin|impacted)\)$/i.exec(label);
        if (side) labels.push(`${side[2]} ${side[1]}`);
      }
      for (const label of labels) {
        const found = fieldForLabel(label);
        if (found !== def.name) elsewhere.push(`"${label}" of ${def.name} finds ${found}`);
      }
    }
    expect(elsewhere).toEqual([]);
  });

  it('covers every SRP alarm-field element of RemediationVersion1.xsd, first and in schema order', () => {
    expect(xsdAlarmFields.length).toBeGreaterThan(50);
    expect(SRP_ALARM_FIELDS).toEqual(xsdAlarmFields);
    expect(FIELDS.slice(0, xsdAlarmFields.length).map((f) => f.name)).toEqual(xsdAlarmFields);
  });

  it('adds the fields the XSD lacks as extensions, not as SRP elements', () => {
    for (const name of [
      'Hash',
      'CVE',
      'ThreatName',
      'UserAgent',
      'Command',
      'SMAC',
      'DNATIP',
      'SUserIdentity',
      'LogSource',
      'LogDate',
      'LogId',
      'AlarmStatus',
      'AlarmRbp',
      'EventCount',
    ]) {
      expect(isFieldName(name), name).toBe(true);
      expect(SRP_ALARM_FIELDS as readonly string[], name).not.toContain(name);
    }
  });

  it('has unique names and gives every field a way to be read from the LogRhythm APIs', () => {
    const names = FIELDS.map((f) => f.name);
    expect(new Set(names).size).toBe(names.length);
    for (const f of FIELDS) {
      expect(
        LR_FIELD_KEYS[f.name].alarm.length + LR_FIELD_KEYS[f.name].search.length,
        f.name,
      ).toBeGreaterThan(0);
    }
  });

  it('types observables the way connectors need them', () => {
    expect(observableTypeOf('SIP')).toBe('ip');
    expect(observableTypeOf('DHostName')).toBe('host');
    expect(observableTypeOf('Login')).toBe('user');
    expect(observableTypeOf('Hash')).toBe('hash');
    expect(observableTypeOf('URL')).toBe('url');
    expect(observableTypeOf('Sender')).toBe('email');
    expect(observableTypeOf('DPort')).toBe('port');
    expect(observableTypeOf('AlarmDate')).toBe('date');
    expect(observableTypeOf('SMAC')).toBe('mac');
    expect(observableTypeOf('CVE')).toBe('cve');
    expect(observableTypeOf('Origin IP')).toBeUndefined();
  });

  it('keys rows by alarm id first, then by the log id', () => {
    expect(ROW_KEY_FIELDS[0]).toBe('AlarmId');
    expect(ROW_KEY_FIELDS).toContain('LogId');
    for (const name of ROW_KEY_FIELDS) expect(observableTypeOf(name)).toBe('id');
    expect(ROW_KEY_FIELDS).not.toContain('VenderMessageId');
  });
});

describe('normalizeLabel', () => {
  it('ignores case, whitespace and punctuation', () => {
    const key = normalizeLabel('IP Address (Origin)');
    expect(normalizeLabel('ip address origin')).toBe(key);
    expect(normalizeLabel('IPAddress(Origin)')).toBe(key);
    expect(normalizeLabel('  IP_Address - [ORIGIN]\t')).toBe(key);
    expect(normalizeLabel('ＩＰ Address (Origin)')).toBe(key); // full-width letters
    expect(normalizeLabel('IP Address (Impacted)')).not.toBe(key);
  });
});

describe('fieldForLabel', () => {
  it.each([
    ['IP Address (Origin)', 'SIP'],
    ['Origin IP', 'SIP'],
    ['Address (Origin)', 'SIP'],
    ['Source IP', 'SIP'],
    ['sip', 'SIP'],
    ['IP Address (Impacted)', 'DIP'],
    ['Impacted IP', 'DIP'],
    ['Host Name (Impacted)', 'DHostName'],
    ['Host (Impacted)', 'DHostName'],
    ['Impacted Host', 'DHostName'],
    ['Destination Host', 'DHostName'],
    ['dname', 'DHostName'],
    ['Host (Origin)', 'SHostName'],
    ['Origin Host Name', 'SHostName'],
    ['User (Origin)', 'Login'],
    ['Origin Login', 'Login'],
    ['Login', 'Login'],
    ['User (Impacted)', 'Account'],
    ['Impacted User', 'Account'],
    ['Classification', 'MessageClass'],
    ['Log Class', 'MessageClass'],
    ['Common Event', 'CommonEvent'],
    ['MPE Rule Name', 'MPERule'],
    ['Known Host (Origin)', 'KnownSHost'],
    ['Log Source Entity', 'Entity'],
    ['Entity', 'Entity'],
    ['Log Source', 'LogSource'],
    ['Log Source Type', 'LogSourceType'],
    ['Hash', 'Hash'],
    ['File Hash', 'Hash'],
    ['SHA256', 'Hash'],
    ['MD5', 'Hash'],
    ['Log Date', 'LogDate'],
    ['Date', 'LogDate'],
    ['Alarm ID', 'AlarmId'],
    ['AlarmId', 'AlarmId'],
    ['Alarm Rule Name', 'AlarmRuleName'],
    ['Alarm Name', 'AlarmRuleName'],
    ['Alarm Status', 'AlarmStatus'],
    ['RBP', 'AlarmRbp'],
    ['Risk Based Priority', 'AlarmRbp'],
    ['Risk-Based Priority', 'AlarmRbp'],
    ['Event Count', 'EventCount'],
    ['Alarm Date', 'AlarmDate'],
    ['Port (Impacted)', 'DPort'],
    ['TCP/UDP Port (Origin)', 'SPort'],
    ['Country (Origin)', 'SLocationCountry'],
    ['Zone (Impacted)', 'DZone'],
    ['Vendor Message ID', 'VenderMessageId'],
    ['User Agent', 'UserAgent'],
    ['Command Line', 'Command'],
    ['MAC Address (Origin)', 'SMAC'],
    ['Log ID', 'LogId'],
  ])('%s → %s', (label, field) => {
    expect(fieldForLabel(label)).toBe(field);
  });

  it.each([
    ['src_ip', 'SIP'],
    ['source.ip', 'SIP'],
    ['dest_ip', 'DIP'],
    ['destination.port', 'DPort'],
    ['user.name', 'Login'],
    ['file.hash.sha256', 'Hash'],
    ['user_agent.original', 'UserAgent'],
    ['process.command_line', 'Command'],
    ['Computer', 'DHostName'],
  ])('understands the field names other consoles use: %s → %s', (label, field) => {
    expect(fieldForLabel(label)).toBe(field);
  });

  it('matches regardless of case, spacing and punctuation', () => {
    expect(fieldForLabel('IPADDRESS(ORIGIN)')).toBe('SIP');
    expect(fieldForLabel('host name  -  impacted')).toBe('DHostName');
    expect(fieldForLabel(' user_origin ')).toBe('Login');
  });

  it('matches every canonical name, exactly and in any case', () => {
    for (const f of FIELDS) {
      expect(fieldForLabel(f.name)).toBe(f.name);
      expect(fieldForLabel(f.name.toLowerCase())).toBe(f.name);
    }
  });

  it('matches every label in the table to its own field (no label shadowed by another field)', () => {
    for (const f of FIELDS) for (const label of f.labels) expect(fieldForLabel(label), label).toBe(f.name);
  });

  it('leaves unknown columns unmapped', () => {
    expect(fieldForLabel('Favourite Colour')).toBeUndefined();
    expect(fieldForLabel('')).toBeUndefined();
    expect(fieldForLabel('(  )')).toBeUndefined();
    expect(fieldForLabel('Origin')).toBeUndefined();
  });

  it('lets user overrides win over the crosswalk, matched the same insensitive way', () => {
    const overrides = { 'origin ip': 'DIP', 'Custom Src': 'sip', Status: 'Alarm Status' };
    expect(fieldForLabel('Origin IP', overrides)).toBe('DIP');
    expect(fieldForLabel('Custom-Src', overrides)).toBe('SIP');
    expect(fieldForLabel('Status', overrides)).toBe('AlarmStatus');
    expect(fieldForLabel('Status')).toBe('Status');
    // Labels the overrides do not mention keep the crosswalk.
    expect(fieldForLabel('Impacted IP', overrides)).toBe('DIP');
    expect(fieldForLabel('Host (Origin)', overrides)).toBe('SHostName');
  });

  it('treats an empty override as "no field" and ignores an override naming no field', () => {
    expect(fieldForLabel('Origin IP', { 'Origin IP': '' })).toBeUndefined();
    expect(fieldForLabel('Origin IP', { 'Origin IP': 'NotAField' })).toBe('SIP');
  });

  it('sees a changed overrides object (a new options save) rather than a stale cache', () => {
    expect(fieldForLabel('Origin IP', { 'Origin IP': 'DIP' })).toBe('DIP');
    expect(fieldForLabel('Origin IP', { 'Origin IP': 'Login' })).toBe('Login');
  });
});

describe('isFieldName', () => {
  it('accepts canonical names only, exactly', () => {
    expect(isFieldName('SIP')).toBe(true);
    expect(isFieldName('VenderMessageId')).toBe(true);
    expect(isFieldName('sip')).toBe(false);
    expect(isFieldName('Origin IP')).toBe(false);
    expect(isFieldName('toString')).toBe(false);
    expect(isFieldName(42)).toBe(false);
  });
});
