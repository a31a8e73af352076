/**
 * `npm run build:firefox [-- --lint] [-- --demo]`: the Firefox MV3 build in dist-firefox/.
 *
 * Vite builds the same production extension as for Chrome; the manifest then gets what Firefox needs and
 * Chrome ignores: `background.scripts` (Firefox runs MV3 backgrounds as event pages, not service workers),
 * and `browser_specific_settings.gecko` with the add-on id, the minimum version and the data-collection
 * declaration (Gridside sends row data only to the orchestrator the user configured, and collects nothing).
 * With `--lint`, `web-ext lint` runs on the result and any error fails the build. With `--demo`, it is the
 * demo build (`vite build --mode demo`: localhost declared, demo seed read), which the Firefox end-to-end
 * tests load, as the Chromium ones load dist/.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

const ROOT = path.resolve(import.meta.dirname, '..');
const OUT = path.join(ROOT, 'dist-firefox');
export const GECKO_ID = 'gridside@gridside.dev';

interface Manifest {
  background?: { service_worker?: string; scripts?: string[]; type?: string };
  browser_specific_settings?: unknown;
  [key: string]: unknown;
}

export function firefoxManifest(manifest: Manifest): Manifest {
  const worker = manifest.background?.service_worker;
  if (!worker) throw new Error('the built manifest has no background.service_worker');
  return {
    ...manifest,
    background: { ...manifest.background, scripts: [worker], type: 'module' },
    browser_specific_settings: {
      gecko: {
        id: GECKO_ID,
        strict_min_version: '142.0',
        data_collection_permissions: { required: ['none'] },
      },
    },
  };
}

function run(command: string, args: string[]): void {
  const result = spawnSync(command, args, { cwd: ROOT, stdio: 'inherit' });
  if (result.status !== 0) throw new Error(`${command} ${args.join(' ')} failed`);
}

if (import.meta.url === `file://${process.argv[1]}`) {
  try {
    const demo = process.argv.includes('--demo') ? ['--mode', 'demo'] : [];
    run('npx', ['vite', 'build', ...demo, '--outDir', OUT]);
    const manifestPath = path.join(OUT, 'manifest.json');
    const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as Manifest;
    writeFileSync(manifestPath, `${JSON.stringify(firefoxManifest(manifest), null, 2)}\n`);
    process.stdout.write(`Firefox build written to ${path.relative(ROOT, OUT)}/\n`);
    if (process.argv.includes('--lint')) {
      // --self-hosted: the add-on is distributed by its users' administrators, not through AMO.
      run('npx', ['web-ext', 'lint', '--source-dir', OUT, '--self-hosted', '--no-config-discovery']);
    }
  } catch (error) {
    process.stderr.write(`build-firefox: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  }
}
