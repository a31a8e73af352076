import type { FieldName } from '../fields.ts';
/**
 * The SmartResponse Plugin (SRP) model: what an `actions.xml` says, read once by `parseActionsXml`
 * (parse.ts) and used by the orchestrator to list and run actions.
 *
 * Schema: LogRhythm's RemediationVersion1.xsd (copy in test/fixtures/srp/). Names follow the XSD; `Order`
 * stays a string because real plugins write `Order="Unsorted"` and repeat numbers.
 */

/**
 * The alarm-field elements an SRP parameter can take its default from, in XSD order. They are also the
 * canonical Gridside field names (docs/architecture.md §3), so `{ field: 'SIP' }` needs no translation.
 * `VenderMessageId` is misspelt in the XSD and kept that way: real files must match it.
 */
export const SRP_ALARM_FIELDS = [
  'AlarmId',
  'AlarmDate',
  'AlarmRuleName',
  'MARCMsgId',
  'Direction',
  'NormalMessageDate',
  'MessageClass',
  'CommonEvent',
  'MPERule',
  'KnownSHost',
  'KnownDHost',
  'KnownService',
  'SIP',
  'DIP',
  'SHostName',
  'DHostName',
  'SPort',
  'DPort',
  'Protocol',
  'Login',
  'Account',
  'Sender',
  'Recipient',
  'Subject',
  'Object',
  'VenderMessageId',
  'BytesIn',
  'BytesOut',
  'ItemsIn',
  'ItemsOut',
  'Duration',
  'Process',
  'Amount',
  'Quantity',
  'Rate',
  'Size',
  'Domain',
  'Group',
  'URL',
  'Session',
  'SNetwork',
  'DNetwork',
  'SLocationCountry',
  'SLocationRegion',
  'SLocationCity',
  'DLocationCountry',
  'DLocationRegion',
  'DLocationCity',
  'SEntity',
  'DEntity',
  'SZone',
  'DZone',
  'Message',
  'ProtocolNumber',
] as const;
export type SrpAlarmField = (typeof SRP_ALARM_FIELDS)[number];

/** The alarm fields whose value is a date; the XSD gives them a `TimeFormat` child. */
export const SRP_DATE_FIELDS: ReadonlySet<SrpAlarmField> = new Set(['AlarmDate', 'NormalMessageDate']);

const ALARM_FIELD_SET: ReadonlySet<string> = new Set(SRP_ALARM_FIELDS);
export const isSrpAlarmField = (name: string): name is SrpAlarmField => ALARM_FIELD_SET.has(name);

/** `<TimeFormat TimeZone="Eastern Standard Time" FormattingString="MM-dd-yyyy hh:mm:ss" />`. */
export interface SrpTimeFormat {
  /** A Windows time-zone name (as LogRhythm writes them) or an IANA name. */
  timeZone?: string;
  /** A .NET date format string. */
  formattingString?: string;
}

/** Where a StringParameter's value comes from when nobody types one. */
/**
 * `field` is an XSD alarm field, or one of Gridside's extension fields (`Hash`, `CVE`, …: src/core/fields.ts),
 * which the parser accepts with a warning.
 */
export type SrpDefault =
  | { static: string }
  | { field: SrpAlarmField | FieldName; timeFormat?: SrpTimeFormat };

/** Fixed by the plugin author; the analyst never changes it (usually `-file script.ps1`). */
export interface SrpConstantParam {
  kind: 'constant';
  name: string;
  /** Verbatim, trailing spaces included; argv.ts says how it becomes tokens. */
  switch: string;
  /** Verbatim `Order` attribute: usually a number, sometimes "Unsorted", sometimes repeated. */
  order: string;
  /** 1-based line of the element in actions.xml, for messages that point the admin at the file. */
  line: number;
}

/** A value supplied per run: typed by the analyst, taken from the row, or from the orchestrator's config. */
export interface SrpStringParam {
  kind: 'string';
  name: string;
  switch: string;
  order: string;
  /** Wrapped in `<EncryptedParameter>`: a secret, filled from the orchestrator's config only. */
  encrypted: boolean;
  default?: SrpDefault;
  line: number;
}

export type SrpParam = SrpConstantParam | SrpStringParam;

export interface SrpAction {
  name: string;
  /** The executable, verbatim (`powershell.exe`, a full path, `python`); the orchestrator maps it. */
  command: string;
  /** In document order; argv.ts sorts them by `Order` when building the command line. */
  params: SrpParam[];
  line: number;
}

/**
 * Something the parser accepted but an admin may want to fix (an unknown attribute, a date default
 * without TimeFormat, an unresolvable time zone…). Parsing never fails because of a warning.
 */
export interface SrpWarning {
  file: string;
  line: number;
  column: number;
  message: string;
}

export interface SrpPlugin {
  name: string;
  version?: number;
  guid?: string;
  isLogRhythmPlugin?: boolean;
  actions: SrpAction[];
  /**
   * Lenient-parsing notes, in document order. Kept on the plugin (rather than returned beside it) so
   * `parseActionsXml` returns one value and callers that do not care can ignore them.
   */
  warnings: SrpWarning[];
}

/** `actions.xml:12:5: message`, the shape editors and terminals turn into a link. */
export const formatSrpLocation = (where: { file: string; line: number; column: number }): string =>
  `${where.file}:${where.line}:${where.column}`;

export const formatSrpWarning = (warning: SrpWarning): string =>
  `${formatSrpLocation(warning)}: ${warning.message}`;
