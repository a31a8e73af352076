/**
 * The demo datasets, typed, with the lookups the generator needs. Bundled into the demo console with the
 * generator (about 300 KB of JSON), and read from disk by the demo plugins.
 */
import assetsJson from '../data/cmdb-assets.json' with { type: 'json' };
import hashesJson from '../data/file-hashes.json' with { type: 'json' };
import publicIpsJson from '../data/public-ips.json' with { type: 'json' };
import threatIpsJson from '../data/threat-ips.json' with { type: 'json' };
import usersJson from '../data/users.json' with { type: 'json' };
import type { Asset, DirectoryUser, KnownFile, PublicIp, ThreatCategory, ThreatIp } from './dataset-types.ts';

export const THREAT_IPS = threatIpsJson as ThreatIp[];
export const PUBLIC_IPS = publicIpsJson as PublicIp[];
export const KNOWN_FILES = hashesJson as KnownFile[];
export const ASSETS = assetsJson as Asset[];
export const USERS = usersJson as DirectoryUser[];

export const threatsIn = (...categories: ThreatCategory[]): ThreatIp[] =>
  THREAT_IPS.filter((t) => categories.includes(t.category));

export const ENDPOINTS = ASSETS.filter((a) => a.asset_type === 'workstation' || a.asset_type === 'laptop');
export const INTERNAL_SERVERS = ASSETS.filter(
  (a) => a.asset_type === 'server' && a.ips[0]?.startsWith('10.'),
);
export const DMZ_SERVERS = ASSETS.filter((a) => a.ips[0]?.startsWith('172.16.'));
export const DOMAIN_CONTROLLERS = ASSETS.filter((a) => a.role === 'Domain controller');
export const VPN_GATEWAY = ASSETS.find((a) => a.role === 'VPN gateway') ?? (DMZ_SERVERS[0] as Asset);
export const PEOPLE = USERS.filter((u) => u.account_type === 'user');
export const ADMINS = USERS.filter((u) => u.account_type === 'admin');
export const SERVICE_ACCOUNTS = USERS.filter((u) => u.account_type === 'service');
export const usersByLogin = new Map(USERS.map((u) => [u.login, u]));
export const BAD_FILES = KNOWN_FILES.filter((f) => f.verdict !== 'clean');
export const CLEAN_FILES = KNOWN_FILES.filter((f) => f.verdict === 'clean');
