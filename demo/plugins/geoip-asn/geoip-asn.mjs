// Gridside demo SRP: country and autonomous system (ASN, organisation) of an IPv4 address, from the
// @ip-location-db CSV files (geo-whois-asn-country and asn, "ipv4-num" flavour: start,end,... sorted by
// start). Each lookup binary-searches the files in place by seeking, about 20 small reads per file, so a
// run needs no index, no cache and no start-up parse of the 30 MB of CSV.
//
// Where the CSVs are: $GRIDSIDE_IP_LOCATION_DB (the folder holding asn/ and geo-whois-asn-country/),
// else the @ip-location-db packages resolved from this script, else from the working directory.
import { closeSync, fstatSync, openSync, readFileSync, readSync } from 'node:fs';
import { createRequire } from 'node:module';
import { isIP } from 'node:net';
import { dirname, join } from 'node:path';
import { fail, parseSwitches, printReport, required } from './srp-args.mjs';

const PLUGIN = 'geoip-asn';
const args = parseSwitches(PLUGIN, process.argv.slice(2), { values: { '-ip': 'ip' } });
const ip = required(PLUGIN, args, 'ip', '-ip', 'the IP address');
const family = isIP(ip);
if (family === 0) fail(PLUGIN, `the value given with -ip (${ip.length} characters) is not an IP address`);
if (family === 6) {
  printReport('Gridside', [{ level: 'info', predicate: 'GeoIP', value: 'IPv6 not covered by the demo' }], {
    ip,
  });
  process.exit(0);
}

function packageDir(name) {
  if (process.env.GRIDSIDE_IP_LOCATION_DB) return join(process.env.GRIDSIDE_IP_LOCATION_DB, name);
  for (const base of [import.meta.url, join(process.cwd(), 'package.json')]) {
    try {
      return dirname(createRequire(base).resolve(`@ip-location-db/${name}/package.json`));
    } catch {
      // try the next place
    }
  }
  fail(PLUGIN, `cannot find the @ip-location-db/${name} data; install it or set GRIDSIDE_IP_LOCATION_DB`, 1);
}

const toNumber = (v4) => v4.split('.').reduce((n, octet) => n * 256 + Number(octet), 0);

/** The CSV line whose [start, end] range holds `n`, or undefined. */
function lookup(file, n) {
  const fd = openSync(file, 'r');
  try {
    const size = fstatSync(fd).size;
    const buffer = Buffer.alloc(4096);
    const read = (pos, length) =>
      buffer.subarray(0, readSync(fd, buffer, 0, Math.min(length, buffer.length), pos));
    // First line start at or after `pos`.
    const lineStart = (pos) => {
      if (pos === 0) return 0;
      const chunk = read(pos - 1, 1024);
      const newline = chunk.indexOf(10);
      return newline < 0 ? size : pos + newline;
    };
    const startAt = (pos) => Number(read(pos, 24).toString('latin1').split(',', 1)[0]);
    // Invariant: the last line starting at or below `n` begins in [lo, hi).
    let lo = 0;
    let hi = size;
    while (hi - lo > 2048) {
      const mid = Math.floor((lo + hi) / 2);
      const line = lineStart(mid);
      if (line >= hi) hi = mid;
      else if (startAt(line) <= n) lo = line;
      else hi = line;
    }
    const lines = read(lo, hi - lo + 1024)
      .toString('utf8')
      .split('\n');
    let found;
    let offset = lo;
    for (const line of lines) {
      if (offset >= hi) break;
      offset += Buffer.byteLength(line) + 1;
      const comma = line.indexOf(',');
      if (comma < 0 || Number(line.slice(0, comma)) > n) break;
      found = line;
    }
    if (!found) return undefined;
    const fields = found.split(',');
    return Number(fields[1]) >= n ? found : undefined;
  } finally {
    closeSync(fd);
  }
}

const n = toNumber(ip);
const geoDir = packageDir('geo-whois-asn-country');
const asnDir = packageDir('asn');
const geoLine = lookup(join(geoDir, 'geo-whois-asn-country-ipv4-num.csv'), n);
const asnLine = lookup(join(asnDir, 'asn-ipv4-num.csv'), n);
const country = geoLine?.split(',')[2]?.trim();
let asn;
let org;
if (asnLine) {
  const [, , number, ...rest] = asnLine.split(',');
  asn = Number(number);
  org = rest
    .join(',')
    .trim()
    .replace(/^"(.*)"$/, '$1')
    .replace(/""/g, '"');
}
const version = JSON.parse(readFileSync(join(asnDir, 'package.json'), 'utf8')).version;

const taxonomies = [];
taxonomies.push({ level: 'info', predicate: 'Country', value: country ?? 'unknown' });
taxonomies.push({ level: 'info', predicate: 'ASN', value: asn ? `AS${asn} ${org}` : 'unknown' });
printReport('Gridside', taxonomies, {
  ip,
  country: country ?? null,
  asn: asn ?? null,
  organization: org ?? null,
  database: `@ip-location-db ${version}`,
});
