// Builds the orchestrator to plain JavaScript: dist-orchestrator/gridside-orchestrator.js, one ES module
// that Node runs without TypeScript (the `gridside-orchestrator` bin loads it). Packages stay external:
// they are installed beside it by `npm ci --omit=dev`, and better-sqlite3 carries a native addon.
import { rmSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { build } from 'esbuild';
import { exitWithUsageOnHelp } from '../src/orchestrator/cli-usage.ts';

exitWithUsageOnHelp(`usage: npm run build:orchestrator [-- --outdir DIR]

Bundles src/orchestrator/cli.ts into DIR/gridside-orchestrator.js (default dist-orchestrator/), plain
JavaScript for Node 20, which bin/gridside-orchestrator.js starts.`);

const ROOT = path.resolve(import.meta.dirname, '..');

export async function buildOrchestrator(outdir = path.join(ROOT, 'dist-orchestrator')): Promise<string> {
  rmSync(outdir, { recursive: true, force: true });
  const outfile = path.join(outdir, 'gridside-orchestrator.js');
  await build({
    entryPoints: [path.join(ROOT, 'src/orchestrator/cli.ts')],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    packages: 'external',
    sourcemap: 'linked',
    logLevel: 'warning',
    banner: { js: '// Gridside orchestrator, built by scripts/build-orchestrator.ts. Do not edit.' },
  });
  return outfile;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { values } = parseArgs({ options: { outdir: { type: 'string' } }, strict: true });
  const outfile = await buildOrchestrator(values.outdir ? path.resolve(values.outdir) : undefined);
  process.stdout.write(`built ${path.relative(process.cwd(), outfile)}\n`);
}
