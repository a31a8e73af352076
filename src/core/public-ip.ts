import { detectObservableType } from './observables.ts';

/**
 * Whether a value is an IP address that belongs to the internet at large, not to a private, loopback,
 * link-local, shared (carrier NAT), benchmarking, multicast or reserved range. Reputation services know
 * nothing useful about `10.1.2.3`, so auto-enrichment rules "when SIP is a public IP" skip those rows.
 * The documentation ranges (192.0.2.0/24, 198.51.100.0/24, 203.0.113.0/24, 2001:db8::/32) count as
 * public: examples, training consoles and the demo use them for internet hosts.
 */

/** IPv4 ranges that are not public, as [first octets, prefix length]. */
const NOT_PUBLIC_V4: ReadonlyArray<readonly [number[], number]> = [
  [[0], 8],
  [[10], 8],
  [[100, 64], 10],
  [[127], 8],
  [[169, 254], 16],
  [[172, 16], 12],
  [[192, 0, 0], 24],
  [[192, 168], 16],
  [[198, 18], 15],
  [[224], 4],
  [[240], 4],
];

function v4Number(octets: number[]): number {
  return ((octets[0]! << 24) | (octets[1]! << 16) | (octets[2]! << 8) | octets[3]!) >>> 0;
}

function isPublicV4(value: string): boolean {
  const address = v4Number(value.split('.').map(Number));
  return !NOT_PUBLIC_V4.some(([start, bits]) => {
    const base = v4Number([...start, 0, 0, 0, 0].slice(0, 4));
    const mask = bits === 0 ? 0 : (0xffffffff << (32 - bits)) >>> 0;
    return (address & mask) >>> 0 === (base & mask) >>> 0;
  });
}

function isPublicV6(value: string): boolean {
  const v = value.toLowerCase();
  if (v === '::' || v === '::1') return false;
  // An IPv4 address written as IPv6 (::ffff:10.0.0.1) is judged as that IPv4 address.
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(v);
  if (mapped) return isPublicV4(mapped[1]!);
  const first = Number.parseInt(v.split(':')[0] || '0', 16);
  if ((first & 0xfe00) === 0xfc00) return false; // unique local fc00::/7
  if ((first & 0xffc0) === 0xfe80) return false; // link-local fe80::/10
  if ((first & 0xff00) === 0xff00) return false; // multicast ff00::/8
  return true;
}

export function isPublicIp(value: string): boolean {
  const v = value.trim();
  if (detectObservableType(v) !== 'ip') return false;
  return v.includes(':') ? isPublicV6(v) : isPublicV4(v);
}
