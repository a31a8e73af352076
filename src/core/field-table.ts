/**
 * The canonical LogRhythm field set as data (the logic lives in fields.ts): each field's name, in table
 * order, with the labels consoles show for it.
 *
 * Names are the SmartResponse Plugin alarm-field elements of `RemediationVersion1.xsd` (the first entries, in
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

export const FIELD_LABELS = {
  // ── SRP alarm-field elements, in XSD order ────────────────────────────────────────────────────────────
  AlarmId: ['Alarm ID', 'Alarm Number', 'Alarm No'],
  AlarmDate: ['Alarm Date', 'Alarm Time', 'Alarm Timestamp', 'Alarm Date Inserted'],
  AlarmRuleName: ['Alarm Rule Name', 'Alarm Name', 'Alarm Rule', 'AIE Rule Name'],
  // The log's message id; the Alarm API only exposes `messageId`, the closest match (docs/architecture.md §3).
  MARCMsgId: ['MARC Msg ID', 'MARC Message ID'],
  Direction: ['Direction', 'Direction Name', 'Traffic Direction'],
  // Alarm events carry no normal date, only `normalDateMax` (often the empty 0001-01-01 date) and `logDate`.
  NormalMessageDate: ['Normal Message Date', 'Normal Msg Date', 'Normal Date', 'Normalized Date'],
  MessageClass: [
    'Category',
    'Classification',
    'Log Class',
    'Message Class',
    'Msg Class',
    'Classification Name',
  ],
  CommonEvent: ['Common Event', 'Common Event Name', 'Event Name'],
  MPERule: ['MPE Rule', 'MPE Rule Name'],
  KnownSHost: ['Known Host (Origin)', 'Known Source Host'],
  KnownDHost: ['Known Host (Impacted)', 'Known Destination Host'],
  // LogRhythm 7 shows Known Service as "Known Application" (inference from the Log-Derived Data tabs).
  KnownService: ['Known Service', 'Known Application', 'Service', 'Service Name'],
  SIP: [
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
  DIP: [
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
  // `originHost` in search items is a display value: the host name, or the IP when no name was parsed.
  SHostName: [
    'Host Name (Origin)',
    'Hostname (Origin)',
    'Host (Origin)',
    'Source Host',
    'Source Hostname',
    'Src Host',
    'sname',
    'Origin Name',
  ],
  // "Computer" (Windows events, Sentinel) names the host that logged the event: the impacted host (inference).
  DHostName: [
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
  SPort: ['Port (Origin)', 'TCP/UDP Port (Origin)', 'Source Port', 'Src Port', 'sport'],
  DPort: ['Port (Impacted)', 'TCP/UDP Port (Impacted)', 'Destination Port', 'Dest Port', 'Dst Port', 'dport'],
  // LogRhythm 7 renamed the Protocol display field "Application" (inference; override it if a console differs).
  Protocol: ['Protocol', 'Protocol Name', 'protname', 'Application'],
  Login: [
    'User (Origin)',
    'Origin Login',
    'Login',
    'Login Name',
    'Source User',
    'Src User',
    'User',
    'Username',
  ],
  Account: [
    'Dest User',
    'User (Impacted)',
    'Impacted Account',
    'Account',
    'Account Name',
    'Target User',
    'Target Account',
    'Destination User',
  ],
  Sender: ['Sender Email', 'From Address', 'Sender', 'From', 'Email Sender', 'Sender Address', 'Mail From'],
  Recipient: [
    'Recipient Email',
    'To Address',
    'Recipient',
    'To',
    'Email Recipient',
    'Recipient Address',
    'Rcpt To',
  ],
  Subject: ['Subject', 'Email Subject', 'Mail Subject'],
  // The Alarm API has no `object` key, only `objectName` (docs/architecture.md §3).
  Object: ['Object', 'Object Path', 'File Path'],
  // Spelled as the XSD spells it. Windows logs put the Event ID here.
  VenderMessageId: ['Vendor Message ID', 'Vendor Msg ID', 'VMID', 'Event ID'],
  // Search items carry `kBytesIn` (kilobytes): a different unit, so it is not read as BytesIn.
  BytesIn: ['Bytes In', 'Bytes Received', 'Inbound Bytes'],
  BytesOut: ['Bytes Out', 'Bytes Sent', 'Outbound Bytes'],
  ItemsIn: ['Items In', 'Packets In', 'Items/Packets In'],
  ItemsOut: ['Items Out', 'Packets Out', 'Items/Packets Out'],
  Duration: ['Duration'],
  Process: ['Process', 'Process Name', 'Image', 'Executable'],
  Amount: ['Amount'],
  Quantity: ['Quantity'],
  Rate: ['Rate'],
  Size: ['Size', 'File Size'],
  Domain: ['Domain (Impacted)', 'Domain', 'Domain Name'],
  Group: ['Group', 'Group Name', 'User Group'],
  URL: ['URL Full', 'URL', 'Request URL', 'Full URL', 'URI'],
  Session: ['Session', 'Session ID'],
  SNetwork: ['Network (Origin)', 'Source Network'],
  DNetwork: ['Network (Impacted)', 'Destination Network'],
  SLocationCountry: ['Country (Origin)', 'Location Country (Origin)', 'Source Country'],
  SLocationRegion: ['Region (Origin)', 'Location Region (Origin)', 'Source Region'],
  // A location record is the most specific place resolved; lr-json.ts keeps its `name` only for cities.
  SLocationCity: ['City (Origin)', 'Location City (Origin)', 'Source City'],
  DLocationCountry: ['Country (Impacted)', 'Location Country (Impacted)', 'Destination Country'],
  DLocationRegion: ['Region (Impacted)', 'Location Region (Impacted)', 'Destination Region'],
  DLocationCity: ['City (Impacted)', 'Location City (Impacted)', 'Destination City'],
  SEntity: ['Entity (Origin)', 'Source Entity'],
  DEntity: ['Entity (Impacted)', 'Destination Entity'],
  // Search items carry the zone as a number (`originZone: 3`) plus its name; only the name is useful.
  SZone: ['Zone (Origin)', 'Source Zone'],
  DZone: ['Zone (Impacted)', 'Destination Zone'],
  Message: ['Message', 'Log Message', 'Raw Log', 'Raw Message', 'Log'],
  ProtocolNumber: ['Protocol Number', 'Protocol ID', 'protnum', 'IP Protocol'],

  // ── Extensions the XSD lacks (PIF fields 1000+, identities, log and alarm metadata) ───────────────────
  Hash: [
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
  CVE: ['CVE', 'CVE ID', 'Vulnerability'],
  ThreatName: ['Threat Name', 'Threat', 'Malware', 'Malware Name'],
  ThreatId: ['Threat ID'],
  UserAgent: ['User Agent Original', 'User Agent', 'HTTP User Agent'],
  Command: ['Process Command Line', 'Command', 'Command Line', 'Cmd'],
  ObjectName: ['Object Name', 'File Name', 'Filename'],
  ObjectType: ['Object Type'],
  Policy: ['Policy', 'Policy Name'],
  Result: ['Result', 'Outcome'],
  Reason: ['Reason'],
  // The log's own status (e.g. an HTTP code). An alarm grid's "Status" column is AlarmStatus: consoles that
  // label it plain "Status" need a field override (options page), as the label alone cannot tell.
  Status: ['Status', 'Log Status'],
  Severity: ['Severity'],
  VendorInfo: ['Vendor Info', 'Vendor Information'],
  Action: ['Vendor Action', 'Log Action'],
  ResponseCode: ['Response Code', 'Status Code', 'HTTP Status'],
  ProcessId: ['Process ID', 'PID'],
  ParentProcessName: ['Parent Process Name', 'Parent Process'],
  ParentProcessId: ['Parent Process ID', 'PPID'],
  ParentProcessPath: ['Parent Process Path'],
  SessionType: ['Session Type'],
  SMAC: ['Source MAC Address', 'MAC Address (Origin)', 'MAC (Origin)', 'Source MAC'],
  DMAC: ['Destination MAC Address', 'MAC Address (Impacted)', 'MAC (Impacted)', 'Destination MAC'],
  SNATIP: ['NAT IP Address (Origin)', 'NAT IP (Origin)', 'Source NAT IP'],
  DNATIP: ['NAT IP Address (Impacted)', 'NAT IP (Impacted)', 'Destination NAT IP'],
  SNATPort: ['NAT Port (Origin)', 'NAT TCP/UDP Port (Origin)', 'Source NAT Port'],
  DNATPort: ['NAT Port (Impacted)', 'NAT TCP/UDP Port (Impacted)', 'Destination NAT Port'],
  SInterface: ['Interface (Origin)', 'Source Interface'],
  DInterface: ['Interface (Impacted)', 'Destination Interface'],
  SUserIdentity: ['User (Origin) Identity', 'Identity (Origin)', 'Origin User Identity'],
  DUserIdentity: ['User (Impacted) Identity', 'Identity (Impacted)', 'Impacted User Identity'],
  SenderIdentity: ['Sender Identity'],
  RecipientIdentity: ['Recipient Identity'],
  LogSource: ['Log Source', 'Log Source Name', 'Message Source', 'Msg Source'],
  LogSourceHost: ['Log Source Host', 'Log Source Host Name', 'Log Source Hostname'],
  LogSourceType: ['Log Source Type Name', 'Log Source Type', 'Message Source Type', 'Msg Source Type'],
  // The log's risk-based priority (Analyzer Classification tab); an alarm's RBP is AlarmRbp.
  Priority: ['Priority', 'Log Priority', 'Priority (Risk-Based Priority)'],
  // "Log Source Entity" is the entity the log source belongs to: the log's (or alarm's) `entityName`, not
  // the log source itself, so it maps here and not to LogSource.
  Entity: ['Entity', 'Entity Name', 'Log Source Entity'],
  RootEntity: ['Root Entity', 'Root Entity Name'],
  ClassificationType: ['Classification Type', 'Log Class Type'],
  LogDate: [
    'Event Time',
    'Time Generated',
    'Log Timestamp',
    'Log Date',
    'Date',
    'Time',
    'Timestamp',
    'Log Time',
  ],
  // The log's id in LogRhythm (`messageId`, the search result `keyField`): identifies a log row.
  LogId: ['Log ID', 'Log Message ID'],
  AlarmStatus: ['Alarm Status', 'Alarm Status Name'],
  // Risk-based priority of the alarm, 0–100 (`rbpMax` in real JSON, `rBPMax` in the OpenAPI spec).
  AlarmRbp: ['RBP', 'Risk Based Priority', 'Alarm RBP', 'RBP Max', 'Max RBP', 'Risk'],
  EventCount: ['Event Count', 'Events', 'Alarm Event Count'],
} as const satisfies Readonly<Record<string, readonly string[]>>;
