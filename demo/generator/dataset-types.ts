/** Shapes of the demo datasets in demo/data/. The demo plugins read the same JSON files. */

export type ThreatCategory =
  | 'c2'
  | 'botnet'
  | 'scanner'
  | 'tor-exit'
  | 'bruteforce'
  | 'phishing'
  | 'malware-host';

export interface ThreatIp {
  ip: string;
  category: ThreatCategory;
  /** 0–100, how sure the feed is. */
  confidence: number;
  first_seen: string;
  last_seen: string;
  source: string;
  /** Malware family or campaign for c2/botnet/malware-host entries, else ''. */
  family: string;
  /** ISO 3166 code from the GeoIP data ('ZZ' for documentation ranges). */
  country: string;
}

export interface PublicIp {
  ip: string;
  country: string;
  /** Well-known service behind the address ('Google Public DNS'), or '' for a plain internet host. */
  service: string;
}

export type HashVerdict = 'malicious' | 'suspicious' | 'clean';

export interface KnownFile {
  sha256: string;
  sha1: string;
  md5: string;
  file_name: string;
  file_size: number;
  family: string;
  verdict: HashVerdict;
  /** Engines flagging it, e.g. '54/72'. */
  detections: string;
  first_seen: string;
}

export type Criticality = 'low' | 'medium' | 'high' | 'critical';

export interface Asset {
  hostname: string;
  fqdn: string;
  ips: string[];
  asset_type: 'workstation' | 'laptop' | 'server' | 'network';
  role: string;
  owner: string;
  department: string;
  criticality: Criticality;
  os: string;
  location: string;
}

export interface DirectoryUser {
  login: string;
  domain: string;
  upn: string;
  email: string;
  display_name: string;
  title: string;
  department: string;
  /** Login of the manager, '' at the top. */
  manager: string;
  enabled: boolean;
  groups: string[];
  last_logon: string;
  sid: string;
  account_type: 'user' | 'admin' | 'service';
}
