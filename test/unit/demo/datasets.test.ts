import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ASSETS, KNOWN_FILES, PUBLIC_IPS, THREAT_IPS, USERS } from '../../../demo/generator/datasets.ts';
import { DATA_DIR, lastReport, PLUGINS_DIR, runPlugin } from './run-plugin.ts';

const inPrivateRange = (ip: string): boolean => /^10\./.test(ip) || /^172\.(1[6-9]|2\d|3[01])\./.test(ip);

describe('demo datasets', () => {
  it('are the files each plugin package carries', () => {
    const copies: [string, string][] = [
      ['ip-reputation', 'threat-ips.json'],
      ['hash-reputation', 'file-hashes.json'],
      ['asset-owner', 'cmdb-assets.json'],
      ['asset-owner', 'users.json'],
      ['user-lookup', 'users.json'],
      ['disable-account', 'users.json'],
    ];
    for (const [plugin, file] of copies) {
      const copy = JSON.parse(readFileSync(join(PLUGINS_DIR, plugin, file), 'utf8'));
      expect(copy, `${plugin}/${file}`).toEqual(JSON.parse(readFileSync(join(DATA_DIR, file), 'utf8')));
    }
  });

  it('have a few hundred unique threat IPs, none of them in the benign list', () => {
    expect(THREAT_IPS.length).toBeGreaterThanOrEqual(200);
    expect(new Set(THREAT_IPS.map((t) => t.ip)).size).toBe(THREAT_IPS.length);
    const benign = new Set(PUBLIC_IPS.map((p) => p.ip));
    expect(THREAT_IPS.filter((t) => benign.has(t.ip))).toEqual([]);
    expect(new Set(THREAT_IPS.map((t) => t.category))).toEqual(
      new Set(['c2', 'botnet', 'scanner', 'tor-exit', 'bruteforce', 'phishing', 'malware-host']),
    );
    expect(
      THREAT_IPS.every((t) => t.confidence >= 0 && t.confidence <= 100 && t.first_seen <= t.last_seen),
    ).toBe(true);
    expect(THREAT_IPS.some((t) => t.ip.startsWith('203.0.113.'))).toBe(true);
  });

  it('keep the directory and the CMDB consistent', () => {
    const logins = new Set(USERS.map((u) => u.login));
    expect(logins.size).toBe(USERS.length);
    expect(USERS.every((u) => u.manager === '' || logins.has(u.manager))).toBe(true);
    expect(USERS.every((u) => u.upn === `${u.login}@corp.example.com` && u.domain === 'CORP')).toBe(true);
    expect(USERS.some((u) => !u.enabled)).toBe(true);
    expect(ASSETS.every((a) => logins.has(a.owner))).toBe(true);
    const ips = ASSETS.flatMap((a) => a.ips);
    expect(new Set(ips).size).toBe(ips.length);
    expect(ips.every(inPrivateRange)).toBe(true);
    expect(new Set(ASSETS.map((a) => a.hostname)).size).toBe(ASSETS.length);
    expect(ASSETS.map((a) => a.fqdn)).toContain('dc01.corp.example.com');
    expect(ASSETS.some((a) => /^[A-Z]{2,3}-(WKS|LT)-\d{4}$/.test(a.hostname))).toBe(true);
  });

  it('give every file three digests of the right length', () => {
    for (const file of KNOWN_FILES) {
      expect(file.sha256).toMatch(/^[0-9a-f]{64}$/);
      expect(file.sha1).toMatch(/^[0-9a-f]{40}$/);
      expect(file.md5).toMatch(/^[0-9a-f]{32}$/);
    }
    expect(new Set(KNOWN_FILES.map((f) => f.verdict))).toEqual(new Set(['malicious', 'suspicious', 'clean']));
  });
});

describe('geoip-asn', () => {
  const require = createRequire(import.meta.url);
  const asnCsv = join(dirname(require.resolve('@ip-location-db/asn/package.json')), 'asn-ipv4-num.csv');
  const toNumber = (ip: string): number => ip.split('.').reduce((n, octet) => n * 256 + Number(octet), 0);
  /** The slow, obvious answer: one pass over every range, for all the addresses at once. */
  const asnsByScan = (ips: string[]): Map<string, number> => {
    const wanted = ips.map((ip) => [ip, toNumber(ip)] as const);
    const found = new Map<string, number>();
    for (const line of readFileSync(asnCsv, 'utf8').split('\n')) {
      const comma = line.indexOf(',');
      const start = Number(line.slice(0, comma));
      const end = Number(line.slice(comma + 1, line.indexOf(',', comma + 1)));
      for (const [ip, n] of wanted) if (start <= n && n <= end) found.set(ip, Number(line.split(',')[2]));
    }
    return found;
  };

  it('agrees with a full scan of the CSVs for public addresses from the datasets', async () => {
    const sample = [
      ...PUBLIC_IPS.slice(0, 4),
      ...PUBLIC_IPS.filter((p) => p.service === '').slice(0, 3),
      ...THREAT_IPS.filter((t) => t.country !== 'ZZ').slice(0, 4),
    ];
    const runs = await Promise.all(sample.map((entry) => runPlugin('geoip-asn', ['-ip', entry.ip])));
    const expected = asnsByScan(sample.map((entry) => entry.ip));
    sample.forEach((entry, i) => {
      const run = runs[i]!;
      expect(run.code, run.stderr).toBe(0);
      const full = lastReport(run.stdout).full;
      expect(full.country, entry.ip).toBe(entry.country);
      expect(full.asn, entry.ip).toBe(expected.get(entry.ip) ?? null);
    });
  });

  it('reports Google DNS as US, AS15169', async () => {
    const run = await runPlugin('geoip-asn', ['-ip', '8.8.8.8']);
    expect(lastReport(run.stdout).summary.taxonomies.map((t) => `${t.predicate}=${t.value}`)).toEqual([
      'Country=US',
      'ASN=AS15169 Google LLC',
    ]);
  });

  it('handles the ends of the address space and refuses non-addresses', async () => {
    const [low, high, bad] = await Promise.all([
      runPlugin('geoip-asn', ['-ip', '0.0.0.1']),
      runPlugin('geoip-asn', ['-ip', '255.255.255.254']),
      runPlugin('geoip-asn', ['-ip', '8.8.8.8; id']),
    ]);
    expect(lastReport(low.stdout).full.asn).toBeNull();
    expect(lastReport(high.stdout).full.country).toBeNull();
    expect(bad.code).toBe(2);
  });
});
