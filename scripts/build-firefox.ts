import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { exitWithUsageOnHelp } from '../src/orchestrator/cli-usage.ts';

/**
 * `npm run build:firefox [-- --lint] [-- --demo]`: the Firefox MV3 build in dist-firefox/.
 *
 * The same Vite build as for Chrome, from the same manifest source: `extensionConfig('firefox')`
 * (vite.config.ts) gives the manifest Firefox's background and add-on settings (manifest.config.ts),
 * nothing is patched afterwards. With `--lint`, `web-ext lint` runs on the result and any error fails the
 * build. With `--demo`, it is the demo build (`--mode demo`: localhost declared, demo seed read), which
 * the Firefox end-to-end tests load, as the Chromium ones load dist/.
 */

const USAGE = `usage: npx tsx scripts/build-firefox.ts [--demo] [--lint]
Builds the Firefox extension into dist-firefox/ from the same sources and manifest as the Chrome one.
  --demo   the demo build (localhost declared, demo seed read), as the Firefox end-to-end tests load
  --lint   then run web-ext lint on the result; any error fails the build`;

const ROOT = path.resolve(import.meta.dirname, '..');
const OUT = path.join(ROOT, 'dist-firefox');

function run(command: string, args: string[]): void {
  const result = spawnSync(command, args, { cwd: ROOT, stdio: 'inherit' });
  if (result.status !== 0) throw new Error(`${command} ${args.join(' ')} failed`);
}

async function main(): Promise<void> {
  exitWithUsageOnHelp(USAGE);
  // Loaded after --help: the build tool is the slow part of starting.
  const { build } = await import('vite');
  const { extensionConfig } = await import('../vite.config.ts');
  await build({
    ...extensionConfig('firefox'),
    root: ROOT,
    configFile: false,
    mode: process.argv.includes('--demo') ? 'demo' : 'production',
  });
  process.stdout.write(`Firefox build written to ${path.relative(ROOT, OUT)}/\n`);
  if (process.argv.includes('--lint')) {
    // --self-hosted: the add-on is distributed by its users' administrators, not through AMO.
    run('npx', ['web-ext', 'lint', '--source-dir', OUT, '--self-hosted', '--no-config-discovery']);
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`build-firefox: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
