import path from 'node:path';
import * as esbuild from 'esbuild';
import { minify, type Plugin } from 'vite';
import type { ContentScriptBuild } from '../../src/background/sites/content-script-build.ts';

/**
 * Builds the content script (src/content/main.ts) as classic scripts, so that Gridside declares no
 * web-accessible resources: a page can fetch any web-accessible file of an installed extension, and so
 * tell that Gridside is installed and which version. Files the worker registers
 * (`scripting.registerContentScripts`) or injects (`scripting.executeScript`) need no such declaration.
 *
 * Three esbuild passes (docs/content-script-build.md): the entry as one module, to learn what it holds and
 * what it loads with `import()`; those lazily loaded parts, with code splitting among themselves, taking
 * any module the entry holds from the entry rather than bundling a second copy; then the entry again,
 * handing those modules over. Each output becomes a classic script that defines itself on the content
 * script's module shelf (src/content/chunk-registry.ts), every `import()` a request to the worker to
 * inject that part. `content/gridside.js` (the shelf and the entry) is what the worker registers; every
 * part lives in its own files under content/.
 */

const ROOT = path.resolve(import.meta.dirname, '../..');
const ENTRY = 'src/content/main.ts';
const OUT = 'content';
/** The name each chunk's `import()` calls (a parameter of its wrapper, chunk-registry.ts). */
const LOAD = '__gridsideImport';

export interface ContentScriptFiles {
  build: ContentScriptBuild;
  /** Path in the extension → text. */
  files: Map<string, string>;
}

const esbuildOptions = (mode: string): esbuild.BuildOptions => ({
  absWorkingDir: ROOT,
  bundle: true,
  splitting: true,
  format: 'esm',
  write: false,
  metafile: true,
  minify: true,
  legalComments: 'none',
  target: ['chrome120', 'firefox142'],
  jsx: 'automatic',
  jsxImportSource: 'preact',
  // The sources read `import.meta.env.MODE` for demo/test-only code; as literals, production drops it.
  define: {
    'import.meta.env.MODE': JSON.stringify(mode),
    'import.meta.env.DEV': 'false',
    'import.meta.env.PROD': 'true',
  },
  logLevel: 'silent',
});

/** An `import()` of the content script entry, to be rewritten once the chunk's file name is known. */
const LAZY = '@gridside-lazy/';
/** An import, from a lazily loaded chunk, of a module of the content script file (chunk-registry.ts). */
const FROM_ENTRY = '@e/';
/** Every `import("…")` of one output, as esbuild writes them (counted against its metafile). */
const DYNAMIC_IMPORT = /\bimport\("([^"]+)"\)/g;

function withLoads(id: string, code: string, dynamicImports: number, rename: (specifier: string) => string) {
  let found = 0;
  const result = code.replace(DYNAMIC_IMPORT, (_match, specifier: string) => {
    found += 1;
    return `${LOAD}(${JSON.stringify(rename(specifier))})`;
  });
  if (found !== dynamicImports) {
    throw new Error(`${id}: found ${found} import() calls, esbuild reports ${dynamicImports}`);
  }
  return result;
}

const define = (id: string, code: string) =>
  `globalThis.__gridsideChunks.define(${JSON.stringify(id)},function(require,module,exports,${LOAD}){${code}});\n`;

const relative = (file: string) => path.relative(ROOT, file).split(path.sep).join('/');

/**
 * Resolves every import as esbuild would, then lets `decide` keep it in the bundle (undefined) or make it
 * external under another name.
 */
function redirect(decide: (file: string, kind: esbuild.ImportKind) => string | undefined): esbuild.Plugin {
  return {
    name: 'gridside-redirect',
    setup(build) {
      build.onResolve({ filter: /.*/ }, async (args) => {
        if (args.pluginData === 'resolving' || args.kind === 'entry-point') return undefined;
        const resolved = await build.resolve(args.path, {
          kind: args.kind,
          importer: args.importer,
          resolveDir: args.resolveDir,
          pluginData: 'resolving',
        });
        if (resolved.errors.length > 0 || !resolved.path) return undefined;
        const external = decide(resolved.path, args.kind);
        return external === undefined ? undefined : { path: external, external: true };
      });
    },
  };
}

/** The shelf itself, first in the content script file (an IIFE: it declares nothing in the world's scope). */
async function shelfCode(): Promise<string> {
  const result = await esbuild.build({
    absWorkingDir: ROOT,
    stdin: {
      contents: "import { installShelf } from './src/content/chunk-registry.ts'; installShelf();",
      resolveDir: ROOT,
      loader: 'ts',
    },
    bundle: true,
    write: false,
    format: 'iife',
    minify: true,
    target: ['chrome120', 'firefox142'],
  });
  return result.outputFiles?.[0]?.text ?? '';
}

/** A module of the entry that lazily loaded chunks use, and the names they import from it. */
interface SharedModule {
  file: string;
  /**
   * Each name imported → the short key the chunks use for it instead (names cannot be minified, and the
   * table of them is in the file every console page loads); null when a chunk imports the whole module.
   */
  names: Map<string, string> | null;
}

/** The entry hands what it shares to its module object through this (see entryDefine). */
const SHARE = '__gridsideShare';

/**
 * The content script entry as ONE module (the smallest file a page loads before the analyst acts), its
 * `import()`s left as markers, and each module in `shared` (what the lazily loaded chunks use of it)
 * shared as `m0`, `m1`...: a chunk must use the entry's instance of a module, not a copy
 * (pins-changed.ts, for one, is a list of listeners). Getters keep the bindings live, as imports are.
 * No `export` (no module-format helpers in the file every console page loads): the table goes to
 * `__gridsideShare`, which entryDefine declares.
 */
async function buildEntry(mode: string, shared: SharedModule[]) {
  const imports: string[] = [];
  const table = shared.flatMap(({ file, names }, i) => {
    const from = JSON.stringify(`./${file}`);
    // Imported for its effects only, which the entry's own copy had: nothing to hand over.
    if (names?.size === 0) return [];
    if (names === null) {
      imports.push(`import * as n${i} from ${from};`);
      return `m${i}:n${i}`;
    }
    const list = [...names];
    imports.push(`import{${list.map(([name], j) => `${name} as n${i}_${j}`).join(',')}}from ${from};`);
    return `m${i}:{${list.map(([, key], j) => `get ${key}(){return n${i}_${j}}`).join(',')}}`;
  });
  return esbuild.build({
    ...esbuildOptions(mode),
    stdin: {
      contents: `import ${JSON.stringify(`./${ENTRY}`)};${imports.join('')}${SHARE}({${table.join(',')}});`,
      resolveDir: ROOT,
      loader: 'ts',
    },
    format: 'esm',
    splitting: false,
    plugins: [redirect((file, kind) => (kind === 'dynamic-import' ? LAZY + relative(file) : undefined))],
  });
}

const entryDefine = (id: string, code: string) =>
  define(id, `var ${SHARE}=function(shared){module.exports=shared};${code}`);

/** An import of the entry's modules in a chunk (esbuild's ES module output): `import{a as b}from"…/3"`. */
const FROM_ENTRY_IMPORT = /\bimport(?:([^;"]*?)from)?"@e\/(\d+)"/g;
const NAMED = /^\{([^}]*)\}$/;

/** `a as b` or `a` → [imported name, local name]. */
function importItem(item: string): [string, string] {
  const [name = '', local = name] = item.trim().split(/\s+as\s+/);
  return [name, local];
}

/** What one chunk imports from the entry's modules, noted in `shared`. */
function noteImportsFromEntry(id: string, code: string, shared: SharedModule[]): void {
  let found = 0;
  for (const [, clause = '', index = ''] of code.matchAll(FROM_ENTRY_IMPORT)) {
    found += 1;
    const module = shared[Number(index)];
    if (!module) throw new Error(`${id}: imports unknown module ${index} of the entry`);
    const named = NAMED.exec(clause.trim());
    if (clause.trim() === '' || module.names === null) continue;
    // A namespace or default import: the chunk gets the whole module, under its own names.
    if (!named) module.names = null;
    else {
      for (const item of (named[1] ?? '').split(',')) {
        const [name] = importItem(item);
        if (!module.names.has(name)) module.names.set(name, `_${module.names.size.toString(36)}`);
      }
    }
  }
  if (found !== code.split(`"${FROM_ENTRY}`).length - 1) {
    throw new Error(`${id}: an import of the entry's modules has a form this build does not know`);
  }
}

/** The chunk's imports of the entry's modules, by the short keys `shared` gave their names. */
function importByKeys(code: string, shared: SharedModule[]): string {
  return code.replace(FROM_ENTRY_IMPORT, (whole, clause: string | undefined, index: string) => {
    const names = shared[Number(index)]?.names;
    const named = NAMED.exec(clause?.trim() ?? '');
    if (!names || !named) return whole;
    const items = (named[1] ?? '').split(',').map((item) => {
      const [name, local] = importItem(item);
      return `${names.get(name)} as ${local}`;
    });
    return `import{${items.join(',')}}from"${FROM_ENTRY}${index}"`;
  });
}

export async function buildContentScript(mode: string): Promise<ContentScriptFiles> {
  // 1. Which modules the entry holds, and which it loads later.
  const first = await buildEntry(mode, []);
  const entryModules = new Set(Object.keys(first.metafile?.inputs ?? {}));
  const lazyEntries = [...entryModules]
    .flatMap((file) => first.metafile?.inputs[file]?.imports ?? [])
    .filter((i) => i.kind === 'dynamic-import' && i.path.startsWith(LAZY))
    .map((i) => i.path.slice(LAZY.length));

  const both = lazyEntries.filter((file) => entryModules.has(file));
  if (both.length > 0) {
    // It would exist twice (once in the entry, once in the part), each copy with its own state.
    throw new Error(`${both.join(', ')}: imported both statically and with import() by the content script`);
  }

  // 2. The lazily loaded chunks, sharing their code among themselves; the entry's modules stay the entry's.
  const shared: SharedModule[] = [];
  const lazy = await esbuild.build({
    ...esbuildOptions(mode),
    entryPoints: [...new Set(lazyEntries)],
    outdir: OUT,
    entryNames: '[name]-[hash]',
    chunkNames: '[name]-[hash]',
    plugins: [
      redirect((file) => {
        const rel = relative(file);
        if (!entryModules.has(rel)) return undefined;
        if (!shared.some((m) => m.file === rel)) shared.push({ file: rel, names: new Map() });
        return FROM_ENTRY + shared.findIndex((m) => m.file === rel);
      }),
    ],
  });
  const outputs = lazy.metafile?.outputs ?? {};
  const idOf = (outPath: string) => path.posix.join(OUT, path.posix.basename(outPath));
  const lazyIds = new Map<string, string>();
  for (const [out, meta] of Object.entries(outputs)) {
    if (meta.entryPoint) lazyIds.set(meta.entryPoint, idOf(out));
  }
  const staticDeps = new Map<string, string[]>();
  const files = new Map<string, string>();
  const outputFiles = lazy.outputFiles ?? [];
  // All chunks' imports of the entry first: a module one chunk imports whole is shared under its names.
  for (const file of outputFiles) noteImportsFromEntry(relative(file.path), file.text, shared);
  for (const file of outputFiles) {
    const rel = relative(file.path);
    const meta = outputs[rel];
    if (!meta) throw new Error(`esbuild reported no metadata for ${rel}`);
    const id = idOf(rel);
    const internal = meta.imports.filter((i) => !i.external);
    staticDeps.set(
      id,
      internal.filter((i) => i.kind === 'import-statement').map((i) => idOf(i.path)),
    );
    const dynamic = internal.filter((i) => i.kind === 'dynamic-import').length;
    const code = withLoads(id, importByKeys(file.text, shared), dynamic, (specifier) => specifier);
    const cjs = await esbuild.transform(code, { format: 'cjs', minify: true, target: 'es2022' });
    files.set(id, define(id, cjs.code));
  }

  // 3. The entry again, now exporting what the chunks share with it.
  const entry = await buildEntry(mode, shared);
  const entryId = `${OUT}/main.js`;
  const entryCode = entry.outputFiles?.[0]?.text ?? '';
  const dynamic = Object.values(entry.metafile?.outputs ?? {})[0]?.imports.filter(
    (i) => i.kind === 'dynamic-import',
  ).length;
  const renamed = withLoads(entryId, entryCode, dynamic ?? 0, (specifier) => {
    const id = lazyIds.get(specifier.slice(LAZY.length));
    if (!specifier.startsWith(LAZY) || !id) throw new Error(`${entryId}: unexpected import(${specifier})`);
    return `./${path.posix.basename(id)}`;
  });
  const script = `${OUT}/gridside.js`;
  const whole = `${await shelfCode()}${entryDefine(entryId, renamed)}globalThis.__gridsideChunks.start(${JSON.stringify(entryId)});\n`;
  // One more pass, with Vite's own minifier (oxc) over the whole file: it takes 4 % more off the gzip size
  // of the file every console page loads than esbuild's alone.
  const minified = await minify(script, whole, { compress: { target: 'es2022' } });
  if (minified.errors.length > 0) throw new Error(`${script}: ${minified.errors.map(String).join('; ')}`);
  files.set(script, `${minified.code.trimEnd()}\n`);

  // A chunk's own static imports, dependencies first, each once.
  const withDeps = (id: string, seen = new Set<string>()): string[] => {
    if (seen.has(id)) return [];
    seen.add(id);
    return [...(staticDeps.get(id) ?? []).flatMap((dep) => withDeps(dep, seen)), id];
  };
  const chunks: Record<string, string[]> = {};
  for (const [out, meta] of Object.entries(outputs)) {
    if (meta.entryPoint) chunks[idOf(out)] = withDeps(idOf(out));
  }
  return { build: { script, chunks }, files };
}

const VIRTUAL = 'virtual:gridside-content-script';

/**
 * The Vite side: builds the content script when the extension build starts, gives the worker its file
 * names (`import contentScript from 'virtual:gridside-content-script'`) and emits its files into the
 * extension. Used by both browsers' builds (vite.config.ts).
 */
export function contentScriptBundle(allowed: {
  browser: 'chrome' | 'firefox';
  /** The frame pages manifest.config.ts declares: the only files a page may be able to load. */
  framePages: string[];
}): Plugin {
  let mode = 'production';
  let built: Promise<ContentScriptFiles> | undefined;
  return {
    name: 'gridside-content-script',
    configResolved(config) {
      mode = config.mode;
    },
    buildStart() {
      built = buildContentScript(mode);
    },
    resolveId(id) {
      return id === VIRTUAL ? `\0${VIRTUAL}` : null;
    },
    async load(id) {
      if (id !== `\0${VIRTUAL}`) return null;
      built ??= buildContentScript(mode);
      return `export default ${JSON.stringify((await built).build)};`;
    },
    async generateBundle() {
      built ??= buildContentScript(mode);
      for (const [fileName, source] of (await built).files) {
        this.emitFile({ type: 'asset', fileName, source });
      }
    },
    // The last word on what the extension lets pages fetch: frame pages only, in Chrome under a
    // per-session URL (Firefox has no such option, and its extension host is random per install).
    writeBundle(_options, bundle) {
      const asset = bundle['manifest.json'];
      if (asset?.type !== 'asset') return;
      const manifest = JSON.parse(String(asset.source)) as {
        web_accessible_resources?: { resources: string[]; use_dynamic_url?: boolean }[];
      };
      const exposed = (manifest.web_accessible_resources ?? []).flatMap((entry) =>
        entry.resources.filter(
          (resource) =>
            !allowed.framePages.includes(resource) ||
            (allowed.browser === 'chrome' && entry.use_dynamic_url !== true),
        ),
      );
      if (exposed.length > 0) {
        throw new Error(
          `the manifest lets any page fetch ${exposed.join(', ')}: Gridside declares only frame pages, ` +
            'in Chrome with use_dynamic_url (manifest.config.ts)',
        );
      }
    },
  };
}
