/**
 * `npx tsx scripts/sign-demo-plugins.ts`: signs every demo plugin with the demo key, after a demo plugin
 * or its dataset changed. The demo orchestrator requires signatures, so an unsigned change does not run.
 */
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { exitWithUsageOnHelp } from '../src/orchestrator/cli-usage.ts';
import { signCommand } from '../src/orchestrator/plugin-sign-cli.ts';

exitWithUsageOnHelp(`usage: npx tsx scripts/sign-demo-plugins.ts

Signs every plugin folder in demo/plugins with the demo-only key in demo/signing (whose public key the
demo orchestrator config trusts). Run it after changing a demo plugin or regenerating its data.`);

const ROOT = path.resolve(import.meta.dirname, '..');
const PLUGINS = path.join(ROOT, 'demo', 'plugins');
const KEY = path.join(ROOT, 'demo', 'signing', 'gridside-demo-DEMO-ONLY.key');

for (const entry of readdirSync(PLUGINS, { withFileTypes: true })) {
  if (!entry.isDirectory() || entry.name.startsWith('_')) continue;
  const lines = await signCommand([
    '--key',
    KEY,
    '--signer',
    'Gridside demo (demo only)',
    path.join(PLUGINS, entry.name),
  ]);
  process.stdout.write(`${lines.join('\n')}\n`);
}
