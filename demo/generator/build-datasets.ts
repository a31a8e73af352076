/**
 * Writes the demo datasets (demo/data/*.json) from a fixed seed, and copies what each demo plugin reads
 * into that plugin's folder, so every SRP package stays self-contained like a real one.
 *
 *   npx tsx demo/generator/build-datasets.ts
 *
 * Public addresses are drawn from real ranges in @ip-location-db/geo-whois-asn-country, so GeoIP lookups
 * on demo rows resolve. The threat list, hashes, assets and people are fictional.
 */
import { copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type {
  Asset,
  Criticality,
  DirectoryUser,
  KnownFile,
  PublicIp,
  ThreatCategory,
  ThreatIp,
} from './dataset-types.ts';
import { createRandom, type Random } from './prng.ts';

const SEED = 20261127;
const NOW = Date.parse('2026-11-27T12:00:00Z');
const DAY = 86_400_000;
const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const rnd = createRandom(SEED);

const daysAgo = (r: Random, min: number, max: number): string =>
  new Date(NOW - r.int(min * 24, max * 24) * 3_600_000 - r.int(0, 3599) * 1000).toISOString();

// ---- GeoIP ranges --------------------------------------------------------------------------------------

interface Range {
  start: number;
  end: number;
  country: string;
}
const require = createRequire(import.meta.url);
const geoCsv = readFileSync(
  join(
    dirname(require.resolve('@ip-location-db/geo-whois-asn-country/package.json')),
    'geo-whois-asn-country-ipv4-num.csv',
  ),
  'utf8',
);
const byCountry = new Map<string, Range[]>();
for (const line of geoCsv.split('\n')) {
  const [s, e, country] = line.split(',');
  if (!s || !e || !country) continue;
  const start = Number(s);
  const end = Number(e);
  if (end - start < 255) continue;
  const list = byCountry.get(country) ?? [];
  if (list.length === 0) byCountry.set(country, list);
  list.push({ start, end, country });
}
const ipOf = (n: number): string => [n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255].join('.');
const countryOf = (ip: string): string => {
  const parts = ip.split('.').map(Number);
  const n =
    (((parts[0] ?? 0) << 24) >>> 0) + ((parts[1] ?? 0) << 16) + ((parts[2] ?? 0) << 8) + (parts[3] ?? 0);
  for (const list of byCountry.values())
    for (const r of list) if (n >= r.start && n <= r.end) return r.country;
  return 'ZZ';
};
/** A host address (not .0 or .255) inside a real range of `country`. */
const publicIpIn = (r: Random, country: string): string => {
  const range = r.pick(byCountry.get(country) ?? []);
  const n = r.int(range.start, range.end);
  const last = n & 255;
  return ipOf(last === 0 || last === 255 ? (n & ~255) + r.int(10, 250) : n);
};

// ---- Threat intel IPs ----------------------------------------------------------------------------------

const used = new Set<string>();
const threatCountries: [string, number][] = [
  ['RU', 12],
  ['CN', 12],
  ['US', 10],
  ['NL', 8],
  ['DE', 6],
  ['BR', 5],
  ['IR', 4],
  ['VN', 4],
  ['RO', 3],
  ['UA', 3],
  ['HK', 3],
  ['IN', 3],
  ['FR', 3],
  ['BG', 2],
  ['MD', 2],
  ['SC', 1],
  ['PA', 1],
  ['KR', 3],
  ['TR', 2],
];
const categories: [ThreatCategory, number][] = [
  ['c2', 14],
  ['botnet', 12],
  ['scanner', 26],
  ['tor-exit', 14],
  ['bruteforce', 16],
  ['phishing', 8],
  ['malware-host', 10],
];
const families: Record<ThreatCategory, string[]> = {
  c2: ['Cobalt Strike', 'Sliver', 'Brute Ratel', 'Havoc', 'Metasploit', 'Mythic'],
  botnet: ['Qakbot', 'Emotet', 'IcedID', 'Mirai', 'Pikabot', 'DarkGate'],
  'malware-host': ['AgentTesla', 'RedLine Stealer', 'Lumma Stealer', 'AsyncRAT', 'SocGholish'],
  phishing: ['Microsoft 365 credential phish', 'DocuSign lure', 'Payroll lure'],
  scanner: [],
  'tor-exit': [],
  bruteforce: [],
};
const sources: Record<ThreatCategory, string[]> = {
  c2: ['Gridside Demo Feed', 'Internal IR', 'C2-Tracker (sim)'],
  botnet: ['Gridside Demo Feed', 'Botnet C&C list (sim)'],
  'malware-host': ['URLhaus (sim)', 'Gridside Demo Feed'],
  phishing: ['OpenPhish (sim)', 'Internal IR'],
  scanner: ['Honeypot sensors (sim)', 'GreyNoise (sim)'],
  'tor-exit': ['Tor exit list (sim)'],
  bruteforce: ['Honeypot sensors (sim)', 'VPN gateway blocklist'],
};
const confidenceRange: Record<ThreatCategory, [number, number]> = {
  c2: [75, 100],
  botnet: [70, 98],
  'malware-host': [60, 95],
  phishing: [55, 95],
  scanner: [35, 85],
  'tor-exit': [90, 100],
  bruteforce: [45, 90],
};
const threatIps: ThreatIp[] = [];
const addThreat = (ip: string, country: string): void => {
  if (used.has(ip)) return;
  used.add(ip);
  const category = rnd.weighted(categories);
  const [lo, hi] = confidenceRange[category];
  const firstSeen = daysAgo(rnd, 3, 420);
  threatIps.push({
    ip,
    category,
    confidence: rnd.int(lo, hi),
    first_seen: firstSeen,
    last_seen: new Date(Math.min(NOW, Date.parse(firstSeen) + rnd.int(1, 200) * DAY)).toISOString(),
    source: rnd.pick(sources[category]),
    family: families[category].length > 0 ? rnd.pick(families[category]) : '',
    country,
  });
};
for (const prefix of ['192.0.2', '198.51.100', '203.0.113']) {
  for (let i = 0; i < 20; i++) addThreat(`${prefix}.${rnd.int(2, 254)}`, 'ZZ');
}
while (threatIps.length < 320) {
  const country = rnd.weighted(threatCountries);
  addThreat(publicIpIn(rnd, country), country);
}

// ---- Benign public IPs ---------------------------------------------------------------------------------

const services: [string, string][] = [
  ['8.8.8.8', 'Google Public DNS'],
  ['8.8.4.4', 'Google Public DNS'],
  ['1.1.1.1', 'Cloudflare DNS'],
  ['9.9.9.9', 'Quad9 DNS'],
  ['142.250.74.78', 'Google'],
  ['172.217.16.142', 'Google'],
  ['13.107.42.14', 'Microsoft 365'],
  ['52.96.165.18', 'Microsoft Exchange Online'],
  ['20.190.160.22', 'Microsoft Entra ID'],
  ['40.126.32.74', 'Microsoft Entra ID'],
  ['140.82.121.4', 'GitHub'],
  ['151.101.1.69', 'Fastly CDN'],
  ['104.16.132.229', 'Cloudflare CDN'],
  ['17.253.144.10', 'Apple'],
  ['157.240.221.35', 'Meta'],
  ['23.215.0.136', 'Akamai'],
  ['3.33.152.147', 'Amazon Web Services'],
  ['52.84.150.11', 'Amazon CloudFront'],
  ['34.117.59.81', 'Google Cloud'],
  ['162.125.248.18', 'Dropbox'],
  ['199.232.82.133', 'Fastly CDN'],
  ['185.199.108.153', 'GitHub Pages'],
  ['204.79.197.200', 'Microsoft Bing'],
  ['91.189.91.39', 'Canonical Ubuntu'],
];
const publicIps: PublicIp[] = services.map(([ip, service]) => {
  used.add(ip);
  return { ip, country: countryOf(ip), service };
});
const internetCountries: [string, number][] = [
  ['US', 30],
  ['DE', 8],
  ['GB', 8],
  ['FR', 6],
  ['JP', 6],
  ['CA', 5],
  ['AU', 4],
  ['NL', 5],
  ['SG', 3],
  ['BR', 4],
  ['IN', 5],
  ['SE', 2],
  ['ES', 3],
  ['IT', 3],
  ['CH', 2],
  ['PL', 2],
];
while (publicIps.length < 180) {
  const country = rnd.weighted(internetCountries);
  const ip = publicIpIn(rnd, country);
  if (used.has(ip)) continue;
  used.add(ip);
  publicIps.push({ ip, country, service: '' });
}

// ---- Users ---------------------------------------------------------------------------------------------

const firstNames = [
  'James',
  'Mary',
  'Robert',
  'Patricia',
  'John',
  'Jennifer',
  'Michael',
  'Linda',
  'David',
  'Elizabeth',
  'William',
  'Barbara',
  'Richard',
  'Susan',
  'Joseph',
  'Jessica',
  'Thomas',
  'Sarah',
  'Carlos',
  'Karen',
  'Daniel',
  'Nancy',
  'Matthew',
  'Lisa',
  'Anthony',
  'Priya',
  'Mark',
  'Sandra',
  'Wei',
  'Ashley',
  'Kevin',
  'Aisha',
  'Brian',
  'Emily',
  'George',
  'Fatima',
  'Raj',
  'Olga',
  'Hiroshi',
  'Ingrid',
  'Mateo',
  'Chloe',
  'Ahmed',
  'Sofia',
  'Liam',
  'Noor',
  'Ethan',
  'Grace',
  'Lucas',
  'Hannah',
];
const lastNames = [
  'Smith',
  'Johnson',
  'Williams',
  'Brown',
  'Jones',
  'Garcia',
  'Miller',
  'Davis',
  'Rodriguez',
  'Martinez',
  'Hernandez',
  'Lopez',
  'Wilson',
  'Anderson',
  'Thomas',
  'Taylor',
  'Moore',
  'Jackson',
  'Martin',
  'Lee',
  'Perez',
  'Thompson',
  'White',
  'Harris',
  'Sanchez',
  'Clark',
  'Ramirez',
  'Lewis',
  'Robinson',
  'Walker',
  'Young',
  'Allen',
  'King',
  'Wright',
  'Scott',
  'Patel',
  'Nguyen',
  'Chen',
  'Kowalski',
  'Muller',
  'Okafor',
  'Tanaka',
  'Ivanova',
  'Larsen',
  'Rossi',
  'Dubois',
  'Khan',
  'Singh',
  'Cohen',
  'Silva',
];
export const departments = [
  {
    name: 'Finance',
    code: 'FIN',
    titles: ['Accountant', 'Financial Analyst', 'Accounts Payable Specialist', 'Controller'],
  },
  {
    name: 'Human Resources',
    code: 'HR',
    titles: ['HR Generalist', 'Recruiter', 'Payroll Specialist', 'HR Business Partner'],
  },
  {
    name: 'IT',
    code: 'IT',
    titles: ['Systems Administrator', 'Service Desk Analyst', 'Network Engineer', 'Cloud Engineer'],
  },
  {
    name: 'Engineering',
    code: 'ENG',
    titles: ['Software Engineer', 'Senior Software Engineer', 'QA Engineer', 'DevOps Engineer'],
  },
  {
    name: 'Sales',
    code: 'SAL',
    titles: ['Account Executive', 'Sales Development Rep', 'Sales Engineer', 'Account Manager'],
  },
  {
    name: 'Marketing',
    code: 'MKT',
    titles: ['Marketing Specialist', 'Content Writer', 'Campaign Manager', 'Designer'],
  },
  { name: 'Legal', code: 'LEG', titles: ['Paralegal', 'Corporate Counsel', 'Compliance Analyst'] },
  {
    name: 'Operations',
    code: 'OPS',
    titles: ['Operations Analyst', 'Logistics Coordinator', 'Facilities Coordinator'],
  },
  { name: 'Security', code: 'SEC', titles: ['SOC Analyst', 'Security Engineer', 'Incident Responder'] },
  { name: 'Executive', code: 'EXE', titles: ['Executive Assistant', 'Chief of Staff'] },
] as const;
const deptWeights: [number, number][] = departments.map((_, i) => [
  i,
  [14, 6, 10, 16, 14, 8, 4, 8, 5, 3][i] ?? 1,
]);
const users: DirectoryUser[] = [];
const logins = new Set<string>();
let rid = 1104;
const addUser = (u: Omit<DirectoryUser, 'upn' | 'email' | 'domain' | 'sid'>): DirectoryUser => {
  const user: DirectoryUser = {
    ...u,
    domain: 'CORP',
    upn: `${u.login}@corp.example.com`,
    email: u.account_type === 'user' ? `${u.login}@corp.example.com` : '',
    sid: `S-1-5-21-3623811015-3361044348-30300820-${rid++}`,
  };
  users.push(user);
  logins.add(u.login);
  return user;
};
const heads = new Map<string, string>();
addUser({
  login: 'mchen',
  display_name: 'Margaret Chen',
  title: 'Chief Executive Officer',
  department: 'Executive',
  manager: '',
  enabled: true,
  groups: ['Domain Users', 'GG-Executive', 'VPN Users'],
  last_logon: daysAgo(rnd, 0, 2),
  account_type: 'user',
});
while (users.length < 200) {
  const first = rnd.pick(firstNames);
  const last = rnd.pick(lastNames);
  let login = `${first[0]}${last}`.toLowerCase();
  for (let n = 2; logins.has(login); n++) login = `${first[0]}${last}${n}`.toLowerCase();
  const dept = departments[rnd.weighted(deptWeights)] ?? departments[0];
  const head = heads.get(dept.name);
  const groups = ['Domain Users', `GG-${dept.name.replace(/ /g, '')}`];
  if (rnd.chance(0.45)) groups.push('VPN Users');
  if (dept.code === 'FIN' && rnd.chance(0.4)) groups.push('SAP-Finance-Approvers');
  if (dept.code === 'IT' && rnd.chance(0.3)) groups.push('Server Operators');
  const enabled = rnd.chance(0.93);
  addUser({
    login,
    display_name: `${first} ${last}`,
    title: head ? rnd.pick(dept.titles) : `Director of ${dept.name}`,
    department: dept.name,
    manager: head ?? 'mchen',
    enabled,
    groups,
    last_logon: enabled ? daysAgo(rnd, 0, 20) : daysAgo(rnd, 40, 200),
    account_type: 'user',
  });
  if (!head) heads.set(dept.name, login);
  if ((dept.code === 'IT' || dept.code === 'SEC') && rnd.chance(0.5)) {
    addUser({
      login: `adm-${login}`,
      display_name: `${first} ${last} (Admin)`,
      title: 'Privileged account',
      department: dept.name,
      manager: login,
      enabled: true,
      groups: [
        'Domain Users',
        dept.code === 'IT' ? 'Domain Admins' : 'GG-Security-Tier0',
        'Remote Desktop Users',
      ],
      last_logon: daysAgo(rnd, 0, 10),
      account_type: 'admin',
    });
  }
}
const itHead = heads.get('IT') ?? 'mchen';
for (const [login, role] of [
  ['svc_backup', 'Veeam backup'],
  ['svc_sql', 'SQL Server engine'],
  ['svc_sccm', 'Configuration Manager'],
  ['svc_scanner', 'Vulnerability scanner'],
  ['svc_lrsrp', 'SIEM SmartResponse runner'],
] as const) {
  addUser({
    login,
    display_name: `Service - ${role}`,
    title: 'Service account',
    department: 'IT',
    manager: itHead,
    enabled: true,
    groups: ['Domain Users', 'GG-ServiceAccounts'],
    last_logon: daysAgo(rnd, 0, 1),
    account_type: 'service',
  });
}

// ---- Assets --------------------------------------------------------------------------------------------

const sites = [
  { name: 'Chicago HQ', octet: 20 },
  { name: 'London Office', octet: 30 },
  { name: 'Singapore Office', octet: 40 },
];
const people = users.filter((u) => u.account_type === 'user');
const assets: Asset[] = [];
const hostIps = new Set<string>();
const uniqueIp = (make: () => string): string => {
  for (;;) {
    const ip = make();
    if (!hostIps.has(ip)) {
      hostIps.add(ip);
      return ip;
    }
  }
};
const servers: [string, string, Criticality, string, string][] = [
  ['dc01', 'Domain controller', 'critical', 'Windows Server 2022 Datacenter', '10.10.0.10'],
  ['dc02', 'Domain controller', 'critical', 'Windows Server 2022 Datacenter', '10.10.0.11'],
  ['fs01', 'File server', 'high', 'Windows Server 2019 Standard', '10.10.1.20'],
  ['exch01', 'Exchange hybrid server', 'high', 'Windows Server 2019 Standard', '10.10.1.30'],
  ['sql-prd-01', 'SQL Server (ERP)', 'critical', 'Windows Server 2022 Standard', '10.10.2.15'],
  ['sql-prd-02', 'SQL Server (HR)', 'critical', 'Windows Server 2022 Standard', '10.10.2.16'],
  ['sap-prd-01', 'SAP S/4HANA application', 'critical', 'SUSE Linux Enterprise Server 15 SP5', '10.10.2.40'],
  ['sccm01', 'Configuration Manager', 'high', 'Windows Server 2022 Standard', '10.10.1.50'],
  ['veeam01', 'Backup server', 'high', 'Windows Server 2022 Standard', '10.10.1.60'],
  ['jump01', 'Admin jump host', 'high', 'Windows Server 2022 Standard', '10.10.5.5'],
  ['git01', 'Source control', 'high', 'Ubuntu 22.04 LTS', '10.10.3.21'],
  ['build01', 'CI build agent', 'medium', 'Ubuntu 22.04 LTS', '10.10.3.31'],
  ['build02', 'CI build agent', 'medium', 'Ubuntu 22.04 LTS', '10.10.3.32'],
  ['print01', 'Print server', 'low', 'Windows Server 2019 Standard', '10.10.1.80'],
  ['lrxm01', 'SIEM platform manager', 'critical', 'Windows Server 2019 Standard', '10.10.6.10'],
];
for (const [name, role, criticality, os, ip] of servers) {
  hostIps.add(ip);
  assets.push({
    hostname: name.toUpperCase(),
    fqdn: `${name}.corp.example.com`,
    ips: [ip],
    asset_type: 'server',
    role,
    owner: itHead,
    department: 'IT',
    criticality,
    os,
    location: 'Chicago HQ Data Center',
  });
}
const dmz: [string, string, Criticality, string, string][] = [
  ['web01', 'Public website', 'high', 'Ubuntu 22.04 LTS', '172.16.10.21'],
  ['web02', 'Public website', 'high', 'Ubuntu 22.04 LTS', '172.16.10.22'],
  ['vpn-gw01', 'VPN gateway', 'critical', 'Palo Alto PAN-OS 11.1', '172.16.10.5'],
  ['mail-relay01', 'Mail relay', 'high', 'RHEL 9.4', '172.16.10.25'],
  ['api-gw01', 'Partner API gateway', 'high', 'RHEL 9.4', '172.16.10.30'],
  ['ftp01', 'Partner file transfer', 'medium', 'Windows Server 2019 Standard', '172.16.10.40'],
];
for (const [name, role, criticality, os, ip] of dmz) {
  hostIps.add(ip);
  assets.push({
    hostname: name.toUpperCase(),
    fqdn: `${name}.dmz.corp.example.com`,
    ips: [ip, `172.16.20.${ip.split('.')[3]}`],
    asset_type: 'server',
    role,
    owner: itHead,
    department: 'IT',
    criticality,
    os,
    location: 'Frankfurt Colocation',
  });
}
const workstationOs = [
  'Windows 11 Enterprise 23H2',
  'Windows 11 Enterprise 24H2',
  'Windows 10 Enterprise 22H2',
];
const numbers = new Set<string>();
for (const person of people) {
  if (assets.length >= 230) break;
  const dept = departments.find((d) => d.name === person.department) ?? departments[0];
  const site = rnd.weighted(sites.map((s, i) => [s, [6, 3, 2][i] ?? 1] as const));
  const laptop = rnd.chance(0.45);
  let number = '';
  do number = String(rnd.int(1, 1999)).padStart(4, '0');
  while (numbers.has(dept.code + number));
  numbers.add(dept.code + number);
  const hostname = `${dept.code}-${laptop ? 'LT' : 'WKS'}-${number}`;
  const mac = laptop && rnd.chance(0.25);
  const vlan = departments.indexOf(dept) + 1;
  assets.push({
    hostname,
    fqdn: `${hostname.toLowerCase()}.corp.example.com`,
    ips: [uniqueIp(() => `10.${site.octet}.${vlan * 4 + rnd.int(0, 3)}.${rnd.int(10, 250)}`)],
    asset_type: laptop ? 'laptop' : 'workstation',
    role: `${dept.name} ${laptop ? 'laptop' : 'workstation'}`,
    owner: person.login,
    department: dept.name,
    criticality:
      dept.code === 'EXE' || dept.code === 'FIN'
        ? rnd.pick(['medium', 'high'] as const)
        : rnd.pick(['low', 'low', 'medium'] as const),
    os: mac ? 'macOS 14 Sonoma' : rnd.pick(workstationOs),
    location: site.name,
  });
}

// ---- Hashes --------------------------------------------------------------------------------------------

const malwareFamilies: [string, string[], 'malicious' | 'suspicious'][] = [
  ['Emotet', ['invoice_{n}.doc', 'scan_{n}.xlsm'], 'malicious'],
  ['Qakbot', ['Document_{n}.one', 'report_{n}.dll'], 'malicious'],
  ['AgentTesla', ['PO-{n}.exe', 'quotation_{n}.scr'], 'malicious'],
  ['Cobalt Strike Beacon', ['beacon_x64.exe', 'update{n}.dll', 'svchost.exe'], 'malicious'],
  ['RedLine Stealer', ['setup_{n}.exe', 'crack_{n}.exe'], 'malicious'],
  ['LockBit 3.0', ['lb3_{n}.exe', 'locker.exe'], 'malicious'],
  ['AsyncRAT', ['client_{n}.exe', 'AsyncClient.exe'], 'malicious'],
  ['IcedID', ['license.dat', 'init_{n}.dll'], 'malicious'],
  ['Lumma Stealer', ['Setup_Installer_{n}.exe'], 'malicious'],
  ['Mimikatz', ['mimikatz.exe', 'mimidrv.sys'], 'suspicious'],
  ['PsExec', ['PsExec64.exe', 'PSEXESVC.exe'], 'suspicious'],
  ['AnyDesk (unsanctioned)', ['AnyDesk.exe'], 'suspicious'],
  ['Rclone', ['rclone.exe'], 'suspicious'],
];
const cleanFiles = [
  'putty.exe',
  '7z.exe',
  'ChromeSetup.exe',
  'Teams.exe',
  'OneDriveSetup.exe',
  'notepad++.exe',
  'AcroRd32.exe',
  'Zoom.exe',
  'python.exe',
  'git.exe',
  'code.exe',
  'WINWORD.EXE',
  'EXCEL.EXE',
  'msedge.exe',
  'slack.exe',
];
const hashes: KnownFile[] = [
  // The real EICAR test file: any antivirus flags it, so it is a safe, recognisable known-bad value.
  {
    sha256: '275a021bbfb6489e54d471899f7db9d1663fc695ec2fe2a2c4538aabf651fd0f',
    sha1: '3395856ce81f2b7382dee72602f798b642f14140',
    md5: '44d88612fea8a8f36de82e1278abb02f',
    file_name: 'eicar.com',
    file_size: 68,
    family: 'EICAR-Test-File',
    verdict: 'malicious',
    detections: '65/72',
    first_seen: '2006-05-22T17:03:52.000Z',
  },
];
for (let i = 0; i < 150; i++) {
  const clean = i % 3 === 2;
  const [family, names, verdict] = clean ? ['', cleanFiles, 'clean' as const] : rnd.pick(malwareFamilies);
  const total = rnd.int(68, 74);
  hashes.push({
    sha256: rnd.hex(64),
    sha1: rnd.hex(40),
    md5: rnd.hex(32),
    file_name: rnd.pick(names).replace('{n}', String(rnd.int(1000, 99999))),
    file_size: rnd.int(24_000, 9_800_000),
    family,
    verdict,
    detections: `${verdict === 'malicious' ? rnd.int(35, total) : verdict === 'suspicious' ? rnd.int(3, 20) : 0}/${total}`,
    first_seen: daysAgo(rnd, 1, 700),
  });
}

// ---- Write ---------------------------------------------------------------------------------------------

const write = (name: string, rows: unknown[]): void => {
  writeFileSync(join(root, 'data', name), `${JSON.stringify(rows, null, 1)}\n`);
};
write('threat-ips.json', threatIps);
write('public-ips.json', publicIps);
write('users.json', users);
write('cmdb-assets.json', assets);
write('file-hashes.json', hashes);

/** Which dataset each plugin reads, copied next to its script so the package is self-contained. */
export const PLUGIN_DATA: Record<string, string[]> = {
  'ip-reputation': ['threat-ips.json'],
  'hash-reputation': ['file-hashes.json'],
  'asset-owner': ['cmdb-assets.json', 'users.json'],
  'user-lookup': ['users.json'],
  'disable-account': ['users.json'],
};
for (const [plugin, files] of Object.entries(PLUGIN_DATA)) {
  for (const file of files) copyFileSync(join(root, 'data', file), join(root, 'plugins', plugin, file));
}
console.log(
  `threat IPs ${threatIps.length}, public IPs ${publicIps.length}, users ${users.length}, assets ${assets.length}, hashes ${hashes.length}`,
);
