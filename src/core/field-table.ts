/**
 * The canonical LogRhythm field set as data (the logic lives in fields.ts).
 *
 * Names are the SmartResponse Plugin alarm-field elements of `RemediationVersion1.xsd` (the first rows, in
 * XSD order: `SRP_ALARM_FIELDS`), so an SRP parameter default such as `<remv1:DHostName />` names a field
 * directly; fields the XSD lacks (hashes, CVEs, MACs, identities, log metadata) are extensions, after them.
 * The XSD list is checked against test/fixtures/srp/RemediationVersion1.xsd; the crosswalk is described in
 * docs/architecture.md §3.
 *
 * - labels: display names consoles show (Web Console Analyzer columns, PIF display names, common variants).
 *   Matching ignores case, spaces and punctuation, and a label `X (Origin)` / `X (Impacted)` also matches
 *   `Origin X` / `Impacted X` (fields.ts adds those), so they are not listed twice.
 *
 * What the LogRhythm APIs call each field is in lr-field-keys.ts, and each field's observable type in
 * field-types.ts: the content script every console page loads needs only the labels, and stays smaller
 * without them.
 */

interface FieldRow {
  name: string;
  labels: readonly string[];
}

export const FIELD_TABLE = [
  // ── SRP alarm-field elements, in XSD order ────────────────────────────────────────────────────────────
  {
    name: 'AlarmId',
    labels: ['Alarm ID', 'Alarm Number', 'Alarm No'],
  },
  {
    name: 'AlarmDate',
    labels: ['Alarm Date', 'Alarm Time', 'Alarm Timestamp', 'Alarm Date Inserted'],
  },
  {
    name: 'AlarmRuleName',
    labels: ['Alarm Rule Name', 'Alarm Name', 'Alarm Rule', 'AIE Rule Name'],
  },
  {
    // The log's message id; the Alarm API only exposes `messageId`, the closest match (docs/architecture.md §3).
    name: 'MARCMsgId',
    labels: ['MARC Msg ID', 'MARC Message ID'],
  },
  {
    name: 'Direction',
    labels: ['Direction', 'Direction Name', 'Traffic Direction'],
  },
  {
    // Alarm events carry no normal date, only `normalDateMax` (often the empty 0001-01-01 date) and `logDate`.
    name: 'NormalMessageDate',
    labels: ['Normal Message Date', 'Normal Msg Date', 'Normal Date', 'Normalized Date'],
  },
  {
    name: 'MessageClass',
    labels: ['Category', 'Classification', 'Log Class', 'Message Class', 'Msg Class', 'Classification Name'],
  },
  {
    name: 'CommonEvent',
    labels: ['Common Event', 'Common Event Name', 'Event Name'],
  },
  {
    name: 'MPERule',
    labels: ['MPE Rule', 'MPE Rule Name'],
  },
  {
    name: 'KnownSHost',
    labels: ['Known Host (Origin)', 'Known Source Host'],
  },
  {
    name: 'KnownDHost',
    labels: ['Known Host (Impacted)', 'Known Destination Host'],
  },
  {
    // LogRhythm 7 shows Known Service as "Known Application" (inference from the Log-Derived Data tabs).
    name: 'KnownService',
    labels: ['Known Service', 'Known Application', 'Service', 'Service Name'],
  },
  {
    name: 'SIP',
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
    labels: ['Port (Origin)', 'TCP/UDP Port (Origin)', 'Source Port', 'Src Port', 'sport'],
  },
  {
    name: 'DPort',
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
    labels: ['Protocol', 'Protocol Name', 'protname', 'Application'],
  },
  {
    name: 'Login',
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
    labels: ['Sender Email', 'From Address', 'Sender', 'From', 'Email Sender', 'Sender Address', 'Mail From'],
  },
  {
    name: 'Recipient',
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
    labels: ['Subject', 'Email Subject', 'Mail Subject'],
  },
  {
    // The Alarm API has no `object` key, only `objectName` (docs/architecture.md §3).
    name: 'Object',
    labels: ['Object', 'Object Path', 'File Path'],
  },
  {
    // Spelled as the XSD spells it. Windows logs put the Event ID here.
    name: 'VenderMessageId',
    labels: ['Vendor Message ID', 'Vendor Msg ID', 'VMID', 'Event ID'],
  },
  {
    // Search items carry `kBytesIn` (kilobytes): a different unit, so it is not read as BytesIn.
    name: 'BytesIn',
    labels: ['Bytes In', 'Bytes Received', 'Inbound Bytes'],
  },
  {
    name: 'BytesOut',
    labels: ['Bytes Out', 'Bytes Sent', 'Outbound Bytes'],
  },
  {
    name: 'ItemsIn',
    labels: ['Items In', 'Packets In', 'Items/Packets In'],
  },
  {
    name: 'ItemsOut',
    labels: ['Items Out', 'Packets Out', 'Items/Packets Out'],
  },
  {
    name: 'Duration',
    labels: ['Duration'],
  },
  {
    name: 'Process',
    labels: ['Process', 'Process Name', 'Image', 'Executable'],
  },
  {
    name: 'Amount',
    labels: ['Amount'],
  },
  {
    name: 'Quantity',
    labels: ['Quantity'],
  },
  {
    name: 'Rate',
    labels: ['Rate'],
  },
  {
    name: 'Size',
    labels: ['Size', 'File Size'],
  },
  {
    name: 'Domain',
    labels: ['Domain (Impacted)', 'Domain', 'Domain Name'],
  },
  {
    name: 'Group',
    labels: ['Group', 'Group Name', 'User Group'],
  },
  {
    name: 'URL',
    labels: ['URL Full', 'URL', 'Request URL', 'Full URL', 'URI'],
  },
  {
    name: 'Session',
    labels: ['Session', 'Session ID'],
  },
  {
    name: 'SNetwork',
    labels: ['Network (Origin)', 'Source Network'],
  },
  {
    name: 'DNetwork',
    labels: ['Network (Impacted)', 'Destination Network'],
  },
  {
    name: 'SLocationCountry',
    labels: ['Country (Origin)', 'Location Country (Origin)', 'Source Country'],
  },
  {
    name: 'SLocationRegion',
    labels: ['Region (Origin)', 'Location Region (Origin)', 'Source Region'],
  },
  {
    // A location record is the most specific place resolved; lr-json.ts keeps its `name` only for cities.
    name: 'SLocationCity',
    labels: ['City (Origin)', 'Location City (Origin)', 'Source City'],
  },
  {
    name: 'DLocationCountry',
    labels: ['Country (Impacted)', 'Location Country (Impacted)', 'Destination Country'],
  },
  {
    name: 'DLocationRegion',
    labels: ['Region (Impacted)', 'Location Region (Impacted)', 'Destination Region'],
  },
  {
    name: 'DLocationCity',
    labels: ['City (Impacted)', 'Location City (Impacted)', 'Destination City'],
  },
  {
    name: 'SEntity',
    labels: ['Entity (Origin)', 'Source Entity'],
  },
  {
    name: 'DEntity',
    labels: ['Entity (Impacted)', 'Destination Entity'],
  },
  {
    // Search items carry the zone as a number (`originZone: 3`) plus its name; only the name is useful.
    name: 'SZone',
    labels: ['Zone (Origin)', 'Source Zone'],
  },
  {
    name: 'DZone',
    labels: ['Zone (Impacted)', 'Destination Zone'],
  },
  {
    name: 'Message',
    labels: ['Message', 'Log Message', 'Raw Log', 'Raw Message', 'Log'],
  },
  {
    name: 'ProtocolNumber',
    labels: ['Protocol Number', 'Protocol ID', 'protnum', 'IP Protocol'],
  },

  // ── Extensions the XSD lacks (PIF fields 1000+, identities, log and alarm metadata) ───────────────────
  {
    name: 'Hash',
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
    labels: ['CVE', 'CVE ID', 'Vulnerability'],
  },
  {
    name: 'ThreatName',
    labels: ['Threat Name', 'Threat', 'Malware', 'Malware Name'],
  },
  {
    name: 'ThreatId',
    labels: ['Threat ID'],
  },
  {
    name: 'UserAgent',
    labels: ['User Agent Original', 'User Agent', 'HTTP User Agent'],
  },
  {
    name: 'Command',
    labels: ['Process Command Line', 'Command', 'Command Line', 'Cmd'],
  },
  {
    name: 'ObjectName',
    labels: ['Object Name', 'File Name', 'Filename'],
  },
  {
    name: 'ObjectType',
    labels: ['Object Type'],
  },
  {
    name: 'Policy',
    labels: ['Policy', 'Policy Name'],
  },
  {
    name: 'Result',
    labels: ['Result', 'Outcome'],
  },
  {
    name: 'Reason',
    labels: ['Reason'],
  },
  {
    // The log's own status (e.g. an HTTP code). An alarm grid's "Status" column is AlarmStatus: consoles that
    // label it plain "Status" need a field override (options page), as the label alone cannot tell.
    name: 'Status',
    labels: ['Status', 'Log Status'],
  },
  {
    name: 'Severity',
    labels: ['Severity'],
  },
  {
    name: 'VendorInfo',
    labels: ['Vendor Info', 'Vendor Information'],
  },
  {
    name: 'Action',
    labels: ['Vendor Action', 'Log Action'],
  },
  {
    name: 'ResponseCode',
    labels: ['Response Code', 'Status Code', 'HTTP Status'],
  },
  {
    name: 'ProcessId',
    labels: ['Process ID', 'PID'],
  },
  {
    name: 'ParentProcessName',
    labels: ['Parent Process Name', 'Parent Process'],
  },
  {
    name: 'ParentProcessId',
    labels: ['Parent Process ID', 'PPID'],
  },
  {
    name: 'ParentProcessPath',
    labels: ['Parent Process Path'],
  },
  {
    name: 'SessionType',
    labels: ['Session Type'],
  },
  {
    name: 'SMAC',
    labels: ['Source MAC Address', 'MAC Address (Origin)', 'MAC (Origin)', 'Source MAC'],
  },
  {
    name: 'DMAC',
    labels: ['Destination MAC Address', 'MAC Address (Impacted)', 'MAC (Impacted)', 'Destination MAC'],
  },
  {
    name: 'SNATIP',
    labels: ['NAT IP Address (Origin)', 'NAT IP (Origin)', 'Source NAT IP'],
  },
  {
    name: 'DNATIP',
    labels: ['NAT IP Address (Impacted)', 'NAT IP (Impacted)', 'Destination NAT IP'],
  },
  {
    name: 'SNATPort',
    labels: ['NAT Port (Origin)', 'NAT TCP/UDP Port (Origin)', 'Source NAT Port'],
  },
  {
    name: 'DNATPort',
    labels: ['NAT Port (Impacted)', 'NAT TCP/UDP Port (Impacted)', 'Destination NAT Port'],
  },
  {
    name: 'SInterface',
    labels: ['Interface (Origin)', 'Source Interface'],
  },
  {
    name: 'DInterface',
    labels: ['Interface (Impacted)', 'Destination Interface'],
  },
  {
    name: 'SUserIdentity',
    labels: ['User (Origin) Identity', 'Identity (Origin)', 'Origin User Identity'],
  },
  {
    name: 'DUserIdentity',
    labels: ['User (Impacted) Identity', 'Identity (Impacted)', 'Impacted User Identity'],
  },
  {
    name: 'SenderIdentity',
    labels: ['Sender Identity'],
  },
  {
    name: 'RecipientIdentity',
    labels: ['Recipient Identity'],
  },
  {
    name: 'LogSource',
    labels: ['Log Source', 'Log Source Name', 'Message Source', 'Msg Source'],
  },
  {
    name: 'LogSourceHost',
    labels: ['Log Source Host', 'Log Source Host Name', 'Log Source Hostname'],
  },
  {
    name: 'LogSourceType',
    labels: ['Log Source Type Name', 'Log Source Type', 'Message Source Type', 'Msg Source Type'],
  },
  {
    // The log's risk-based priority (Analyzer Classification tab); an alarm's RBP is AlarmRbp.
    name: 'Priority',
    labels: ['Priority', 'Log Priority', 'Priority (Risk-Based Priority)'],
  },
  {
    // "Log Source Entity" is the entity the log source belongs to: the log's (or alarm's) `entityName`, not
    // the log source itself, so it maps here and not to LogSource.
    name: 'Entity',
    labels: ['Entity', 'Entity Name', 'Log Source Entity'],
  },
  {
    name: 'RootEntity',
    labels: ['Root Entity', 'Root Entity Name'],
  },
  {
    name: 'ClassificationType',
    labels: ['Classification Type', 'Log Class Type'],
  },
  {
    name: 'LogDate',
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
    labels: ['Log ID', 'Log Message ID'],
  },
  {
    name: 'AlarmStatus',
    labels: ['Alarm Status', 'Alarm Status Name'],
  },
  {
    // Risk-based priority of the alarm, 0–100 (`rbpMax` in real JSON, `rBPMax` in the OpenAPI spec).
    name: 'AlarmRbp',
    labels: ['RBP', 'Risk Based Priority', 'Alarm RBP', 'RBP Max', 'Max RBP', 'Risk'],
  },
  {
    name: 'EventCount',
    labels: ['Event Count', 'Events', 'Alarm Event Count'],
  },
] as const satisfies readonly FieldRow[];
