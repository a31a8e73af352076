// Gridside demo SRP: IP reputation from the demo threat list (threat-ips.json, next to this script).
// Prints a Cortex-style report. Offline; the API key is checked but not used, as a real feed would need it.
import { readFileSync } from 'node:fs';
import { isIP } from 'node:net';
import { fail, parseSwitches, printReport, requireApiKey, required } from './srp-args.mjs';

const PLUGIN = 'ip-reputation';
const args = parseSwitches(PLUGIN, process.argv.slice(2), { values: { '-ip': 'ip', '-apikey': 'apiKey' } });
const ip = required(PLUGIN, args, 'ip', '-ip', 'the IP address');
requireApiKey(PLUGIN, args, 'apiKey', '-apikey', 'Threat Feed API Key');
if (isIP(ip) === 0)
  fail(PLUGIN, `the value given with -ip (${ip.length} characters) is not an IPv4 or IPv6 address`);

const PRIVATE = [
  /^10\./,
  /^172\.(1[6-9]|2\d|3[01])\./,
  /^192\.168\./,
  /^127\./,
  /^169\.254\./,
  /^(fc|fd)[0-9a-f]{2}:/i,
  /^::1$/,
];
const list = JSON.parse(readFileSync(new URL('./threat-ips.json', import.meta.url), 'utf8'));
const entry = list.find((e) => e.ip === ip);

/** Command-and-control and malware hosts are malicious when the feed is sure; everything else listed is suspicious. */
function levelOf(e) {
  if (['c2', 'botnet', 'malware-host'].includes(e.category))
    return e.confidence >= 70 ? 'malicious' : 'suspicious';
  if (e.category === 'phishing' && e.confidence >= 80) return 'malicious';
  return 'suspicious';
}

if (entry) {
  const taxonomies = [
    { level: levelOf(entry), predicate: 'IPRep', value: `${entry.category} (${entry.confidence})` },
  ];
  if (entry.family) taxonomies.push({ level: 'info', predicate: 'Family', value: entry.family });
  printReport('Gridside', taxonomies, { ip, listed: true, ...entry, feed_size: list.length });
} else if (PRIVATE.some((p) => p.test(ip))) {
  printReport('Gridside', [{ level: 'info', predicate: 'IPRep', value: 'private address' }], {
    ip,
    listed: false,
    private: true,
  });
} else {
  printReport('Gridside', [{ level: 'safe', predicate: 'IPRep', value: 'not listed' }], {
    ip,
    listed: false,
    feed_size: list.length,
  });
}
