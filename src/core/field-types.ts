import type { FieldName } from './fields.ts';

/**
 * The observable type of each canonical field: what connectors map onto their own data types (Cortex
 * `ip`, `hash`…) and what a pivot from a result may fill. Kept apart from the labels (field-table.ts):
 * the panel, the worker and the options page need it, the script every console page loads does not.
 */

/** What kind of observable a value is; connectors map it onto their own data types (Cortex `ip`, `hash`…). */
export type ObservableType =
  | 'ip'
  | 'host'
  | 'user'
  | 'hash'
  | 'url'
  | 'domain'
  | 'email'
  | 'port'
  | 'date'
  | 'mac'
  | 'cve'
  | 'id'
  | 'text'
  | 'number';

export const FIELD_TYPES = {
  AlarmId: 'id',
  AlarmDate: 'date',
  AlarmRuleName: 'text',
  MARCMsgId: 'id',
  Direction: 'text',
  NormalMessageDate: 'date',
  MessageClass: 'text',
  CommonEvent: 'text',
  MPERule: 'text',
  KnownSHost: 'host',
  KnownDHost: 'host',
  KnownService: 'text',
  SIP: 'ip',
  DIP: 'ip',
  SHostName: 'host',
  DHostName: 'host',
  SPort: 'port',
  DPort: 'port',
  Protocol: 'text',
  Login: 'user',
  Account: 'user',
  Sender: 'email',
  Recipient: 'email',
  Subject: 'text',
  Object: 'text',
  VenderMessageId: 'id',
  BytesIn: 'number',
  BytesOut: 'number',
  ItemsIn: 'number',
  ItemsOut: 'number',
  Duration: 'number',
  Process: 'text',
  Amount: 'number',
  Quantity: 'number',
  Rate: 'number',
  Size: 'number',
  Domain: 'domain',
  Group: 'text',
  URL: 'url',
  Session: 'text',
  SNetwork: 'text',
  DNetwork: 'text',
  SLocationCountry: 'text',
  SLocationRegion: 'text',
  SLocationCity: 'text',
  DLocationCountry: 'text',
  DLocationRegion: 'text',
  DLocationCity: 'text',
  SEntity: 'text',
  DEntity: 'text',
  SZone: 'text',
  DZone: 'text',
  Message: 'text',
  ProtocolNumber: 'number',
  Hash: 'hash',
  CVE: 'cve',
  ThreatName: 'text',
  ThreatId: 'id',
  UserAgent: 'text',
  Command: 'text',
  ObjectName: 'text',
  ObjectType: 'text',
  Policy: 'text',
  Result: 'text',
  Reason: 'text',
  Status: 'text',
  Severity: 'text',
  VendorInfo: 'text',
  Action: 'text',
  ResponseCode: 'text',
  ProcessId: 'id',
  ParentProcessName: 'text',
  ParentProcessId: 'id',
  ParentProcessPath: 'text',
  SessionType: 'text',
  SMAC: 'mac',
  DMAC: 'mac',
  SNATIP: 'ip',
  DNATIP: 'ip',
  SNATPort: 'port',
  DNATPort: 'port',
  SInterface: 'text',
  DInterface: 'text',
  SUserIdentity: 'user',
  DUserIdentity: 'user',
  SenderIdentity: 'user',
  RecipientIdentity: 'user',
  LogSource: 'text',
  LogSourceHost: 'host',
  LogSourceType: 'text',
  Priority: 'number',
  Entity: 'text',
  RootEntity: 'text',
  ClassificationType: 'text',
  LogDate: 'date',
  LogId: 'id',
  AlarmStatus: 'text',
  AlarmRbp: 'number',
  EventCount: 'number',
} as const satisfies Record<FieldName, ObservableType>;

/** The observable type of a canonical field; undefined for anything that is not one. */
export function observableTypeOf(name: string): ObservableType | undefined {
  return Object.hasOwn(FIELD_TYPES, name) ? FIELD_TYPES[name as FieldName] : undefined;
}
