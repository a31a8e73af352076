// Gridside demo SRP: file hash reputation (MD5, SHA-1 or SHA-256) from the demo hash list
// (file-hashes.json, next to this script). Prints a Cortex-style report.
import { readFileSync } from 'node:fs';
import { fail, parseSwitches, printReport, requireApiKey, required } from './srp-args.mjs';

const PLUGIN = 'hash-reputation';
const args = parseSwitches(PLUGIN, process.argv.slice(2), {
  values: { '-hash': 'hash', '-apikey': 'apiKey' },
});
const given = required(PLUGIN, args, 'hash', '-hash', 'the file hash');
requireApiKey(PLUGIN, args, 'apiKey', '-apikey', 'Threat Feed API Key');
const kinds = { 32: 'md5', 40: 'sha1', 64: 'sha256' };
const kind = /^[0-9a-fA-F]+$/.test(given) ? kinds[given.length] : undefined;
if (!kind)
  fail(
    PLUGIN,
    `the value given with -hash (${given.length} characters) is not an MD5, SHA-1 or SHA-256 hex digest`,
  );
const hash = given.toLowerCase();

const files = JSON.parse(readFileSync(new URL('./file-hashes.json', import.meta.url), 'utf8'));
const file = files.find((f) => f[kind] === hash);
const LEVEL = { malicious: 'malicious', suspicious: 'suspicious', clean: 'safe' };

if (file) {
  const taxonomies = [
    { level: LEVEL[file.verdict], predicate: 'HashRep', value: `${file.verdict} (${file.detections})` },
  ];
  if (file.family) taxonomies.push({ level: 'info', predicate: 'Family', value: file.family });
  printReport('Gridside', taxonomies, { hash, hash_type: kind, known: true, ...file });
} else {
  printReport('Gridside', [{ level: 'info', predicate: 'HashRep', value: 'unknown' }], {
    hash,
    hash_type: kind,
    known: false,
  });
}
