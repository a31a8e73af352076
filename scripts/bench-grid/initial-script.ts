import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { exitWithUsageOnHelp } from '../../src/orchestrator/cli-usage.ts';

/**
 * What a console page downloads and parses before the analyst ever opens the panel: the content script
 * file the background registers (scripts/support/content-script-bundle.ts builds it as one classic
 * script: the module shelf and the entry with everything it imports statically). Chunks reached only
 * through an `import()` (the panel, teach mode, the row marks' view) are injected by the worker on first
 * use and are not counted (docs/architecture.md §4: "the content script's initial bundle stays small").
 *
 * Size only, without the browser part of the benchmark: `npx tsx scripts/bench-grid/initial-script.ts [DIST]`.
 */

export interface InitialFile {
  file: string;
  bytes: number;
  gzipBytes: number;
}

export interface InitialScript {
  files: InitialFile[];
  gzipTotal: number;
  /** Chunks loaded on first use, listed so the reader can tell what was left out. */
  lazy: string[];
}

/** The worker's build record, `{script:"content/gridside.js",chunks:{…}}`, as it stands in the minified worker. */
const REGISTERED_SCRIPT = /["']?script["']?\s*:\s*["'`](content\/[^"'`]+\.js)["'`]/;
/** `import{a}from"./x.js"`, `import"./x.js"` (minified or not): how the worker's own chunks import. */
const STATIC_IMPORT = /\b(?:import|export)\s*(?:[\w$*{}\s,]+?\s*from\s*)?["'](\.{1,2}\/[^"']+\.js)["']/g;
/** The content script file the background worker registers (src/background/sites/content-scripts.ts). */
export function findRegisteredScript(dist: string): string {
  const manifest = JSON.parse(readFileSync(path.join(dist, 'manifest.json'), 'utf8')) as {
    background?: { service_worker?: string; scripts?: string[] };
  };
  const worker = manifest.background?.service_worker ?? manifest.background?.scripts?.[0];
  if (!worker) throw new Error(`${dist}/manifest.json names no background worker`);
  // The worker entry is a one-line loader; follow its static imports to find the build record.
  const seen = new Set<string>();
  const queue = [worker];
  while (queue.length > 0 && seen.size < 200) {
    const file = queue.shift()!;
    if (seen.has(file)) continue;
    seen.add(file);
    const code = readFileSync(path.join(dist, file), 'utf8');
    const hit = REGISTERED_SCRIPT.exec(code);
    if (hit) return hit[1]!;
    for (const m of code.matchAll(STATIC_IMPORT)) queue.push(resolveChunk(file, m[1]!));
  }
  throw new Error('could not find the content script file the background registers');
}

function resolveChunk(from: string, specifier: string): string {
  return path.posix.normalize(path.posix.join(path.posix.dirname(from), specifier));
}

export function measureInitialScript(dist: string): InitialScript {
  const file = findRegisteredScript(dist);
  const code = readFileSync(path.join(dist, file));
  const gzipBytes = gzipSync(code, { level: 9 }).length;
  // Every other file beside it is a part, or code parts share, that the worker injects on first use.
  const folder = path.posix.dirname(file);
  const lazy = readdirSync(path.join(dist, folder))
    .filter((name) => name.endsWith('.js'))
    .map((name) => `${folder}/${name}`)
    .filter((other) => other !== file);
  return { files: [{ file, bytes: code.length, gzipBytes }], gzipTotal: gzipBytes, lazy: lazy.sort() };
}

if (process.argv[1] && path.resolve(process.argv[1]) === path.resolve(import.meta.filename)) {
  exitWithUsageOnHelp(`usage: npx tsx scripts/bench-grid/initial-script.ts [DIST]
The gzip -9 size of the content script a console page loads before the panel is opened, read from a
built extension (default: dist/, e.g. after \`npx vite build --mode demo\`). bench:grid reports the same.`);
  const result = measureInitialScript(process.argv[2] ?? 'dist');
  for (const f of result.files) process.stdout.write(`${f.file}\t${f.bytes} bytes\t${f.gzipBytes} gzip -9\n`);
  process.stdout.write(`total gzip -9: ${result.gzipTotal} (${(result.gzipTotal / 1024).toFixed(2)} KB)\n`);
  process.stdout.write(`loaded on first use: ${result.lazy.join(', ') || 'none'}\n`);
}
