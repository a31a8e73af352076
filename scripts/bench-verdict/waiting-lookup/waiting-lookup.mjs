// bench:verdict's lookup that waits: most enrichment plugins spend their time waiting for a remote service
// (a threat feed, a directory), not computing. This one waits WAIT_MS as such a lookup would, then prints a
// Cortex-style report, so a batch of it shows what Gridside adds when the plugins do not fill the cores.
import { isIP } from 'node:net';

export const WAIT_MS = 100;

const at = process.argv.indexOf('-ip');
const ip = at >= 0 ? process.argv[at + 1] : undefined;
if (!ip || isIP(ip) === 0) {
  process.stderr.write('waiting-lookup: -ip must be an IP address\n');
  process.exit(2);
}
setTimeout(() => {
  const taxonomies = [{ level: 'safe', namespace: 'Bench', predicate: 'Lookup', value: 'not listed' }];
  process.stdout.write(`${JSON.stringify({ summary: { taxonomies }, full: { ip, waitedMs: WAIT_MS } })}\n`);
}, WAIT_MS);
