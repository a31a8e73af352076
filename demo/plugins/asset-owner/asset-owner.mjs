// Gridside demo SRP: who owns a host, and how critical it is, from the demo CMDB (cmdb-assets.json and
// users.json, next to this script). Accepts a host name, an FQDN or an IP address.
import { readFileSync } from 'node:fs';
import { isIP } from 'node:net';
import { fail, parseSwitches, printReport, required } from './srp-args.mjs';

const PLUGIN = 'asset-owner';
const args = parseSwitches(PLUGIN, process.argv.slice(2), { values: { '-target': 'target' } });
const target = required(PLUGIN, args, 'target', '-target', 'the host name or IP address');
const byIp = isIP(target) !== 0;
if (!byIp && !/^[A-Za-z0-9][A-Za-z0-9.-]{0,252}$/.test(target)) {
  fail(
    PLUGIN,
    `the value given with -target (${target.length} characters) is neither a host name nor an IP address`,
  );
}

const read = (name) => JSON.parse(readFileSync(new URL(`./${name}`, import.meta.url), 'utf8'));
const assets = read('cmdb-assets.json');
const users = read('users.json');
const name = target.toLowerCase();
const asset = byIp
  ? assets.find((a) => a.ips.includes(target))
  : assets.find(
      (a) =>
        a.hostname.toLowerCase() === name || a.fqdn === name || a.fqdn.split('.')[0] === name.split('.')[0],
    );

/** Criticality drives the chip colour: the more critical the asset, the louder the chip. */
const LEVEL = { critical: 'malicious', high: 'suspicious', medium: 'info', low: 'safe' };

if (!asset) {
  printReport('Gridside', [{ level: 'info', predicate: 'Asset', value: 'not in CMDB' }], {
    query: target,
    found: false,
  });
} else {
  const owner = users.find((u) => u.login === asset.owner);
  printReport(
    'Gridside',
    [
      { level: LEVEL[asset.criticality], predicate: 'Criticality', value: asset.criticality },
      {
        level: 'info',
        predicate: 'Owner',
        value: owner ? `${owner.display_name} (${owner.login})` : asset.owner,
      },
      { level: 'info', predicate: 'Department', value: asset.department },
    ],
    { query: target, found: true, ...asset, owner_record: owner ?? null },
  );
}
