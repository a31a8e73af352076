/**
 * The canonical LogRhythm field set as data (the logic lives in fields.ts).
 *
 * Names are the SmartResponse Plugin alarm-field elements of `RemediationVersion1.xsd` (srp: true), so an SRP
 * parameter default such as `<remv1:DHostName />` names a field directly; fields the XSD lacks (hashes, CVEs,
 * MACs, identities, log metadata) are extensions (srp: false). The XSD list is checked
 * against test/fixtures/srp/RemediationVersion1.xsd; the crosswalk is described in docs/architecture.md §3.
 *
 * - labels: display names consoles show (Web Console Analyzer columns, PIF display names, common variants).
 *   Matching ignores case, spaces and punctuation, and a label `X (Origin)` / `X (Impacted)` also matches
 *   `Origin X` / `Impacted X` (fields.ts adds those), so they are not listed twice.
 *
 * What the LogRhythm APIs call each field is in lr-field-keys.ts: only the worker needs it, and the content
 * script, which needs the labels, stays smaller without it.
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

interface FieldRow {
  name: string;
  type: ObservableType;
  srp: boolean;
  labels: readonly string[];
}

export const FIELD_TABLE = [
  // ── SRP alarm-field elements, in XSD order ────────────────────────────────────────────────────────────
  {
    name: 'AlarmId',
    type: 'id',
    srp: true,
    labels: ['Alarm ID', 'Alarm Number', 'Alarm No'],
  },
  {
    name: 'AlarmDate',
    type: 'date',
    srp: true,
    labels: ['Alarm Date', 'Alarm Time', 'Alarm Timestamp', 'Alarm Date Inserted'],
  },
  {
    name: 'AlarmRuleName',
    type: 'text',
    srp: true,
    labels: ['Alarm Rule Name', 'Alarm Name', 'Alarm Rule', 'AIE Rule Name'],
  },
  {
    // The log's message id; the Alarm API only exposes `messageId`, the closest match (docs/architecture.md §3).
    name: 'MARCMsgId',
    type: 'id',
    srp: true,
    labels: ['MARC Msg ID', 'MARC Message ID'],
  },
  {
    name: 'Direction',
    type: 'text',
    srp: true,
    labels: ['Direction', 'Direction Name', 'Traffic Direction'],
  },
  {
    // Alarm events carry no normal date, only `normalDateMax` (often the empty 0001-01-01 date) and `logDate`.
    name: 'NormalMessageDate',
    type: 'date',
    srp: true,
    labels: ['Normal Message Date', 'Normal Msg Date', 'Normal Date', 'Normalized Date'],
  },
  {
    name: 'MessageClass',
    type: 'text',
    srp: true,
    labels: ['Category', 'Classification', 'Log Class', 'Message Class', 'Msg Class', 'Classification Name'],
  },
  {
    name: 'CommonEvent',
    type: 'text',
    srp: true,
    labels: ['Common Event', 'Common Event Name', 'Event Name'],
  },
  {
    name: 'MPERule',
    type: 'text',
    srp: true,
    labels: ['MPE Rule', 'MPE Rule Name'],
  },
  {
    name: 'KnownSHost',
    type: 'host',
    srp: true,
    labels: ['Known Host (Origin)', 'Known Source Host'],
  },
  {
    name: 'KnownDHost',
    type: 'host',
    srp: true,
    labels: ['Known Host (Impacted)', 'Known Destination Host'],
  },
  {
    // LogRhythm 7 shows Known Service as "Known Application" (inference from the Log-Derived Data tabs).
    name: 'KnownService',
    type: 'text',
    srp: true,
    labels: ['Known Service', 'Known Application', 'Service', 'Service Name'],
  },
  {
    name: 'SIP',
    type: 'ip',
    srp: true,
    labels: [
      'IP Address (Origin)',
      'Address (Origin)',
      'IP (Origin)',
      'Origin IP',
      'Source IP',
      'Source IP Address',
      'Source Address',
      'Src IP',
      'Client IP',
    ],
  },
  {
    name: 'DIP',
    type: 'ip',
    srp: true,
    labels: [
      'IP Address (Impacted)',
      'Address (Impacted)',
      'IP (Impacted)',
      'Impacted IP',
      'Destination IP',
      'Destination IP Address',
      'Destination Address',
      'Dest IP',
      'Dst IP',
      'Target IP',
      'Server IP',
    ],
  },
  {
    // `originHost` in search items is a display value: the host name, or the IP when no name was parsed.
    name: 'SHostName',
    type: 'host',
    srp: true,
    labels: [
      'Host Name (Origin)',
      'Hostname (Origin)',
      'Host (Origin)',
      'Source Host',
      'Source Hostname',
      'Src Host',
      'sname',
      'Origin Name',
    ],
  },
  {
    // "Computer" (Windows events, Sentinel) names the host that logged the event: the impacted host (inference).
    name: 'DHostName',
    type: 'host',
    srp: true,
    labels: [
      'Computer',
      'Computer Name',
      'Host Name (Impacted)',
      'Hostname (Impacted)',
      'Host (Impacted)',
      'Destination Host',
      'Destination Hostname',
      'Dest Host',
      'Dst Host',
      'Target Host',
      'dname',
      'Impacted Name',
    ],
  },
  {
    name: 'SPort',
    type: 'port',
    srp: true,
    labels: ['Port (Origin)', 'TCP/UDP Port (Origin)', 'Source Port', 'Src Port', 'sport'],
  },
  {
    name: 'DPort',
    type: 'port',
    srp: true,
    labels: [
      'Port (Impacted)',
      'TCP/UDP Port (Impacted)',
      'Destination Port',
      'Dest Port',
      'Dst Port',
      'dport',
    ],
  },
  {
    // LogRhythm 7 renamed the Protocol display field "Application" (inference; override it if a console differs).
    name: 'Protocol',
    type: 'text',
    srp: true,
    labels: ['Protocol', 'Protocol Name', 'protname', 'Application'],
  },
  {
    name: 'Login',
    type: 'user',
    srp: true,
    labels: [
      'User (Origin)',
      'Origin Login',
      'Login',
      'Login Name',
      'Source User',
      'Src User',
      'User',
      'Username',
    ],
  },
  {
    name: 'Account',
    type: 'user',
    srp: true,
    labels: [
      'Dest User',
      'User (Impacted)',
      'Impacted Account',
      'Account',
      'Account Name',
      'Target User',
      'Target Account',
      'Destination User',
    ],
  },
  {
    name: 'Sender',
    type: 'email',
    srp: true,
    labels: ['Sender Email', 'From Address', 'Sender', 'From', 'Email Sender', 'Sender Address', 'Mail From'],
  },
  {
    name: 'Recipient',
    type: 'email',
    srp: true,
    labels: [
      'Recipient Email',
      'To Address',
      'Recipient',
      'To',
      'Email Recipient',
      'Recipient Address',
      'Rcpt To',
    ],
  },
  {
    name: 'Subject',
    type: 'text',
    srp: true,
    labels: ['Subject', 'Email Subject', 'Mail Subject'],
  },
  {
    // The Alarm API has no `object` key, only `objectName` (docs/architecture.md §3).
    name: 'Object',
    type: 'text',
    srp: true,
    labels: ['Object', 'Object Path', 'File Path'],
  },
  {
    // Spelled as the XSD spells it. Windows logs put the Event ID here.
    name: 'VenderMessageId',
    type: 'id',
    srp: true,
    labels: ['Vendor Message ID', 'Vendor Msg ID', 'VMID', 'Event ID'],
  },
  {
    // Search items carry `kBytesIn` (kilobytes): a different unit, so it is not read as BytesIn.
    name: 'BytesIn',
    type: 'number',
    srp: true,
    labels: ['Bytes In', 'Bytes Received', 'Inbound Bytes'],
  },
  {
    name: 'BytesOut',
    type: 'number',
    srp: true,
    labels: ['Bytes Out', 'Bytes Sent', 'Outbound Bytes'],
  },
  {
    name: 'ItemsIn',
    type: 'number',
    srp: true,
    labels: ['Items In', 'Packets In', 'Items/Packets In'],
  },
  {
    name: 'ItemsOut',
    type: 'number',
    srp: true,
    labels: ['Items Out', 'Packets Out', 'Items/Packets Out'],
  },
  {
    name: 'Duration',
    type: 'number',
    srp: true,
    labels: ['Duration'],
  },
  {
    name: 'Process',
    type: 'text',
    srp: true,
    labels: ['Process', 'Process Name', 'Image', 'Executable'],
  },
  {
    name: 'Amount',
    type: 'number',
    srp: true,
    labels: ['Amount'],
  },
  {
    name: 'Quantity',
    type: 'number',
    srp: true,
    labels: ['Quantity'],
  },
  {
    name: 'Rate',
    type: 'number',
    srp: true,
    labels: ['Rate'],
  },
  {
    name: 'Size',
    type: 'number',
    srp: true,
    labels: ['Size', 'File Size'],
  },
  {
    name: 'Domain',
    type: 'domain',
    srp: true,
    labels: ['Domain (Impacted)', 'Domain', 'Domain Name'],
  },
  {
    name: 'Group',
    type: 'text',
    srp: true,
    labels: ['Group', 'Group Name', 'User Group'],
  },
  {
    name: 'URL',
    type: 'url',
    srp: true,
    labels: ['URL Full', 'URL', 'Request URL', 'Full URL', 'URI'],
  },
  {
    name: 'Session',
    type: 'text',
    srp: true,
    labels: ['Session', 'Session ID'],
  },
  {
    name: 'SNetwork',
    type: 'text',
    srp: true,
    labels: ['Network (Origin)', 'Source Network'],
  },
  {
    name: 'DNetwork',
    type: 'text',
    srp: true,
    labels: ['Network (Impacted)', 'Destination Network'],
  },
  {
    name: 'SLocationCountry',
    type: 'text',
    srp: true,
    labels: ['Country (Origin)', 'Location Country (Origin)', 'Source Country'],
  },
  {
    name: 'SLocationRegion',
    type: 'text',
    srp: true,
    labels: ['Region (Origin)', 'Location Region (Origin)', 'Source Region'],
  },
  {
    // A location record is the most specific place resolved; lr-json.ts keeps its `name` only for cities.
    name: 'SLocationCity',
    type: 'text',
    srp: true,
    labels: ['City (Origin)', 'Location City (Origin)', 'Source City'],
  },
  {
    name: 'DLocationCountry',
    type: 'text',
    srp: true,
    labels: ['Country (Impacted)', 'Location Country (Impacted)', 'Destination Country'],
  },
  {
    name: 'DLocationRegion',
    type: 'text',
    srp: true,
    labels: ['Region (Impacted)', 'Location Region (Impacted)', 'Destination Region'],
  },
  {
    name: 'DLocationCity',
    type: 'text',
    srp: true,
    labels: ['City (Impacted)', 'Location City (Impacted)', 'Destination City'],
  },
  {
    name: 'SEntity',
    type: 'text',
    srp: true,
    labels: ['Entity (Origin)', 'Source Entity'],
  },
  {
    name: 'DEntity',
    type: 'text',
    srp: true,
    labels: ['Entity (Impacted)', 'Destination Entity'],
  },
  {
    // Search items carry the zone as a number (`originZone: 3`) plus its name; only the name is useful.
    name: 'SZone',
    type: 'text',
    srp: true,
    labels: ['Zone (Origin)', 'Source Zone'],
  },
  {
    name: 'DZone',
    type: 'text',
    srp: true,
    labels: ['Zone (Impacted)', 'Destination Zone'],
  },
  {
    name: 'Message',
    type: 'text',
    srp: true,
    labels: ['Message', 'Log Message', 'Raw Log', 'Raw Message', 'Log'],
  },
  {
    name: 'ProtocolNumber',
    type: 'number',
    srp: true,
    labels: ['Protocol Number', 'Protocol ID', 'protnum', 'IP Protocol'],
  },

  // ── Extensions the XSD lacks (PIF fields 1000+, identities, log and alarm metadata) ───────────────────
  {
    name: 'Hash',
    type: 'hash',
    srp: false,
    labels: [
      'SHA512',
      'File MD5',
      'File SHA1',
      'File SHA256',
      'File Hash SHA256',
      'File Hash SHA1',
      'File Hash MD5',
      'Hash',
      'File Hash',
      'Hash Value',
      'SHA256',
      'SHA-1',
      'SHA1',
      'MD5',
      'Checksum',
    ],
  },
  {
    name: 'CVE',
    type: 'cve',
    srp: false,
    labels: ['CVE', 'CVE ID', 'Vulnerability'],
  },
  {
    name: 'ThreatName',
    type: 'text',
    srp: false,
    labels: ['Threat Name', 'Threat', 'Malware', 'Malware Name'],
  },
  {
    name: 'ThreatId',
    type: 'id',
    srp: false,
    labels: ['Threat ID'],
  },
  {
    name: 'UserAgent',
    type: 'text',
    srp: false,
    labels: ['User Agent Original', 'User Agent', 'HTTP User Agent'],
  },
  {
    name: 'Command',
    type: 'text',
    srp: false,
    labels: ['Process Command Line', 'Command', 'Command Line', 'Cmd'],
  },
  {
    name: 'ObjectName',
    type: 'text',
    srp: false,
    labels: ['Object Name', 'File Name', 'Filename'],
  },
  {
    name: 'ObjectType',
    type: 'text',
    srp: false,
    labels: ['Object Type'],
  },
  {
    name: 'Policy',
    type: 'text',
    srp: false,
    labels: ['Policy', 'Policy Name'],
  },
  {
    name: 'Result',
    type: 'text',
    srp: false,
    labels: ['Result', 'Outcome'],
  },
  {
    name: 'Reason',
    type: 'text',
    srp: false,
    labels: ['Reason'],
  },
  {
    // The log's own status (e.g. an HTTP code). An alarm grid's "Status" column is AlarmStatus: consoles that
    // label it plain "Status" need a field override (options page), as the label alone cannot tell.
    name: 'Status',
    type: 'text',
    srp: false,
    labels: ['Status', 'Log Status'],
  },
  {
    name: 'Severity',
    type: 'text',
    srp: false,
    labels: ['Severity'],
  },
  {
    name: 'VendorInfo',
    type: 'text',
    srp: false,
    labels: ['Vendor Info', 'Vendor Information'],
  },
  {
    name: 'Action',
    type: 'text',
    srp: false,
    labels: ['Vendor Action', 'Log Action'],
  },
  {
    name: 'ResponseCode',
    type: 'text',
    srp: false,
    labels: ['Response Code', 'Status Code', 'HTTP Status'],
  },
  {
    name: 'ProcessId',
    type: 'id',
    srp: false,
    labels: ['Process ID', 'PID'],
  },
  {
    name: 'ParentProcessName',
    type: 'text',
    srp: false,
    labels: ['Parent Process Name', 'Parent Process'],
  },
  {
    name: 'ParentProcessId',
    type: 'id',
    srp: false,
    labels: ['Parent Process ID', 'PPID'],
  },
  {
    name: 'ParentProcessPath',
    type: 'text',
    srp: false,
    labels: ['Parent Process Path'],
  },
  {
    name: 'SessionType',
    type: 'text',
    srp: false,
    labels: ['Session Type'],
  },
  {
    name: 'SMAC',
    type: 'mac',
    srp: false,
    labels: ['Source MAC Address', 'MAC Address (Origin)', 'MAC (Origin)', 'Source MAC'],
  },
  {
    name: 'DMAC',
    type: 'mac',
    srp: false,
    labels: ['Destination MAC Address', 'MAC Address (Impacted)', 'MAC (Impacted)', 'Destination MAC'],
  },
  {
    name: 'SNATIP',
    type: 'ip',
    srp: false,
    labels: ['NAT IP Address (Origin)', 'NAT IP (Origin)', 'Source NAT IP'],
  },
  {
    name: 'DNATIP',
    type: 'ip',
    srp: false,
    labels: ['NAT IP Address (Impacted)', 'NAT IP (Impacted)', 'Destination NAT IP'],
  },
  {
    name: 'SNATPort',
    type: 'port',
    srp: false,
    labels: ['NAT Port (Origin)', 'NAT TCP/UDP Port (Origin)', 'Source NAT Port'],
  },
  {
    name: 'DNATPort',
    type: 'port',
    srp: false,
    labels: ['NAT Port (Impacted)', 'NAT TCP/UDP Port (Impacted)', 'Destination NAT Port'],
  },
  {
    name: 'SInterface',
    type: 'text',
    srp: false,
    labels: ['Interface (Origin)', 'Source Interface'],
  },
  {
    name: 'DInterface',
    type: 'text',
    srp: false,
    labels: ['Interface (Impacted)', 'Destination Interface'],
  },
  {
    name: 'SUserIdentity',
    type: 'user',
    srp: false,
    labels: ['User (Origin) Identity', 'Identity (Origin)', 'Origin User Identity'],
  },
  {
    name: 'DUserIdentity',
    type: 'user',
    srp: false,
    labels: ['User (Impacted) Identity', 'Identity (Impacted)', 'Impacted User Identity'],
  },
  {
    name: 'SenderIdentity',
    type: 'user',
    srp: false,
    labels: ['Sender Identity'],
  },
  {
    name: 'RecipientIdentity',
    type: 'user',
    srp: false,
    labels: ['Recipient Identity'],
  },
  {
    name: 'LogSource',
    type: 'text',
    srp: false,
    labels: ['Log Source', 'Log Source Name', 'Message Source', 'Msg Source'],
  },
  {
    name: 'LogSourceHost',
    type: 'host',
    srp: false,
    labels: ['Log Source Host', 'Log Source Host Name', 'Log Source Hostname'],
  },
  {
    name: 'LogSourceType',
    type: 'text',
    srp: false,
    labels: ['Log Source Type Name', 'Log Source Type', 'Message Source Type', 'Msg Source Type'],
  },
  {
    // The log's risk-based priority (Analyzer Classification tab); an alarm's RBP is AlarmRbp.
    name: 'Priority',
    type: 'number',
    srp: false,
    labels: ['Priority', 'Log Priority', 'Priority (Risk-Based Priority)'],
  },
  {
    // "Log Source Entity" is the entity the log source belongs to: the log's (or alarm's) `entityName`, not
    // the log source itself, so it maps here and not to LogSource.
    name: 'Entity',
    type: 'text',
    srp: false,
    labels: ['Entity', 'Entity Name', 'Log Source Entity'],
  },
  {
    name: 'RootEntity',
    type: 'text',
    srp: false,
    labels: ['Root Entity', 'Root Entity Name'],
  },
  {
    name: 'ClassificationType',
    type: 'text',
    srp: false,
    labels: ['Classification Type', 'Log Class Type'],
  },
  {
    name: 'LogDate',
    type: 'date',
    srp: false,
    labels: [
      'Event Time',
      'Time Generated',
      'Log Timestamp',
      'Log Date',
      'Date',
      'Time',
      'Timestamp',
      'Log Time',
    ],
  },
  {
    // The log's id in LogRhythm (`messageId`, the search result `keyField`): identifies a log row.
    name: 'LogId',
    type: 'id',
    srp: false,
    labels: ['Log ID', 'Log Message ID'],
  },
  {
    name: 'AlarmStatus',
    type: 'text',
    srp: false,
    labels: ['Alarm Status', 'Alarm Status Name'],
  },
  {
    // Risk-based priority of the alarm, 0–100 (`rbpMax` in real JSON, `rBPMax` in the OpenAPI spec).
    name: 'AlarmRbp',
    type: 'number',
    srp: false,
    labels: ['RBP', 'Risk Based Priority', 'Alarm RBP', 'RBP Max', 'Max RBP', 'Risk'],
  },
  {
    name: 'EventCount',
    type: 'number',
    srp: false,
    labels: ['Event Count', 'Events', 'Alarm Event Count'],
  },
] as const satisfies readonly FieldRow[];
