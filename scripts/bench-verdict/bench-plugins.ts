import { chmodSync, cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { SIGNATURE_FILE, signPluginFolder } from '../../src/orchestrator/plugin-signature.ts';
import { REPO_ROOT } from '../../test/support/orchestrator-process.ts';
import { WAITING_LOOKUP_DIR } from './plugin-direct.ts';

/**
 * The plugins folder the bench's orchestrator serves: the demo plugins and the bench's waiting lookup,
 * signed here with the demo-only key the demo config trusts (the demo orchestrator runs signed plugins
 * only). A temporary folder: nothing is written into the repository.
 */
export async function benchPluginsFolder(): Promise<string> {
  const folder = mkdtempSync(path.join(tmpdir(), 'gridside-bench-plugins-'));
  // The orchestrator copies the folder with its mode, and its plugins run as another user.
  chmodSync(folder, 0o755);
  cpSync(path.join(REPO_ROOT, 'demo', 'plugins'), folder, { recursive: true });
  const lookup = path.join(folder, 'waiting-lookup');
  cpSync(WAITING_LOOKUP_DIR, lookup, { recursive: true });
  const key = readFileSync(path.join(REPO_ROOT, 'demo', 'signing', 'gridside-demo-DEMO-ONLY.key'), 'utf8');
  const signature = await signPluginFolder(lookup, key, 'Gridside bench (demo key)');
  writeFileSync(path.join(lookup, SIGNATURE_FILE), `${JSON.stringify(signature, null, 2)}\n`);
  return folder;
}

/** The bench's waiting lookup is read-only and cached, as the demo config says of IP Reputation. */
export function withWaitingLookup(config: Record<string, unknown>): void {
  config.actions = {
    ...(config.actions as Record<string, unknown> | undefined),
    'gridside-bench-waiting-lookup/waiting-lookup-origin-ip': { sideEffects: false, cacheTtlSeconds: 600 },
  };
}
