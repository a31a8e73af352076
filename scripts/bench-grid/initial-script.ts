import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';

/**
 * What a console page downloads and parses before the analyst ever opens the panel: the content-script
 * loader the background registers, the main chunk the loader imports, and every chunk those import
 * STATICALLY. Chunks reached only through a dynamic `import()` (the Preact panel) load on first use and
 * are not counted (docs/architecture.md §4: "the content script's initial bundle stays small").
 */

export interface InitialFile {
  file: string;
  bytes: number;
  gzipBytes: number;
}

export interface InitialScript {
  files: InitialFile[];
  gzipTotal: number;
  /** Dynamic-only chunks seen on the way, listed so the reader can tell what was left out. */
  lazy: string[];
}

/** crxjs names the loader `assets/main.ts-loader-<hash>.js`; the background registers exactly that path. */
const LOADER_PATH = /assets\/main\.ts-loader-[\w-]+\.js/;
/** `import{a}from"./x.js"`, `import"./x.js"`, `export{a}from"./x.js"` (minified or not); not `import(`. */
const STATIC_IMPORT = /\b(?:import|export)\s*(?:[\w$*{}\s,]+?\s*from\s*)?["'](\.{1,2}\/[^"']+\.js)["']/g;
const DYNAMIC_IMPORT = /\bimport\(\s*[`"'](\.{1,2}\/[^`"']+\.js)[`"']\s*\)/g;
/** The loader's `import(chrome.runtime.getURL("assets/main.ts-<hash>.js"))`: always runs, so it is initial. */
const LOADER_IMPORT =
  /import\(\s*(?:\/\*[^*]*\*\/\s*)?chrome\.runtime\.getURL\(\s*["']([^"']+\.js)["']\s*\)\s*\)/g;

/** The loader file the background worker registers as the content script (src/background/sites/content-scripts.ts). */
export function findRegisteredLoader(dist: string): string {
  const manifest = JSON.parse(readFileSync(path.join(dist, 'manifest.json'), 'utf8')) as {
    background?: { service_worker?: string };
  };
  const worker = manifest.background?.service_worker;
  if (!worker) throw new Error(`${dist}/manifest.json has no background.service_worker`);
  // The worker entry is a one-line loader; follow its static imports to find the registration string.
  const seen = new Set<string>();
  const queue = [worker];
  while (queue.length > 0) {
    const file = queue.shift()!;
    if (seen.has(file)) continue;
    seen.add(file);
    const code = readFileSync(path.join(dist, file), 'utf8');
    const hit = LOADER_PATH.exec(code);
    if (hit) return hit[0];
    for (const m of code.matchAll(STATIC_IMPORT)) queue.push(resolveChunk(file, m[1]!));
    if (seen.size > 200) break;
  }
  // Fallback for a background that names the file differently: the single loader in assets/.
  const loaders = readdirSync(path.join(dist, 'assets')).filter((f) => /^main\.ts-loader-.*\.js$/.test(f));
  if (loaders.length === 1) return `assets/${loaders[0]}`;
  throw new Error('could not find the content-script loader the background registers');
}

function resolveChunk(from: string, specifier: string): string {
  return path.posix.normalize(path.posix.join(path.posix.dirname(from), specifier));
}

export function measureInitialScript(dist: string): InitialScript {
  const loader = findRegisteredLoader(dist);
  const files: InitialFile[] = [];
  const lazy = new Set<string>();
  const seen = new Set<string>();
  const queue = [loader];
  while (queue.length > 0 && seen.size < 500) {
    const file = queue.shift()!;
    if (seen.has(file)) continue;
    seen.add(file);
    const code = readFileSync(path.join(dist, file));
    files.push({ file, bytes: code.length, gzipBytes: gzipSync(code, { level: 9 }).length });
    const text = code.toString('utf8');
    for (const m of text.matchAll(STATIC_IMPORT)) queue.push(resolveChunk(file, m[1]!));
    for (const m of text.matchAll(LOADER_IMPORT)) queue.push(path.posix.normalize(m[1]!));
    for (const m of text.matchAll(DYNAMIC_IMPORT)) lazy.add(resolveChunk(file, m[1]!));
  }
  for (const file of seen) lazy.delete(file);
  return {
    files,
    gzipTotal: files.reduce((sum, f) => sum + f.gzipBytes, 0),
    lazy: [...lazy].sort(),
  };
}
