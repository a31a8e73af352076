import { readFile, stat } from 'node:fs/promises';
import { resolve, sep } from 'node:path';
import { build } from 'esbuild';

/**
 * The library pages under `/grids/` (SlickGrid, Tabulator, EUI, MUI X) are ES modules that import their
 * grid library, and for two of them React, from node_modules. Browsers cannot resolve bare imports, so
 * `/grids/<name>.js` is `demo/grids/<name>.ts` bundled by esbuild on first request, from node_modules
 * only. A bundle is rebuilt when one of the project's own files in it changed (the demo is edited while
 * it runs); library code is taken as installed.
 */

interface Bundle {
  code: string;
  /** The project's own source files in the bundle, with the modification time they were bundled at. */
  inputs: Array<{ file: string; mtimeMs: number }>;
}

const bundles = new Map<string, Promise<Bundle>>();

async function isCurrent(bundle: Bundle): Promise<boolean> {
  for (const input of bundle.inputs) {
    const info = await stat(input.file).catch(() => null);
    if (!info || info.mtimeMs !== input.mtimeMs) return false;
  }
  return true;
}

async function bundle(entry: string, repoRoot: string): Promise<Bundle> {
  const result = await build({
    entryPoints: [entry],
    absWorkingDir: repoRoot,
    bundle: true,
    write: false,
    // Only names the output in memory; nothing is written.
    outdir: 'grids-bundle',
    format: 'esm',
    target: 'es2022',
    // React and MUI pick their production code paths on this, as a console's own build would.
    define: { 'process.env.NODE_ENV': '"production"' },
    minify: true,
    metafile: true,
    logLevel: 'silent',
  });
  const code = result.outputFiles.find((file) => file.path.endsWith('.js'))?.text ?? '';
  const own = Object.keys(result.metafile.inputs).filter((input) => !input.includes('node_modules/'));
  const inputs = await Promise.all(
    own.map(async (input) => {
      const file = resolve(repoRoot, input);
      return { file, mtimeMs: (await stat(file)).mtimeMs };
    }),
  );
  return { code, inputs };
}

/** The bundled page script for `/grids/<name>.js`, or null when there is no such page. */
export async function gridPageBundle(
  pathname: string,
  gridsDir: string,
  repoRoot: string,
): Promise<string | null> {
  const match = /^\/grids\/([a-z0-9-]+)\.js$/.exec(pathname);
  if (!match) return null;
  const entry = resolve(gridsDir, `${match[1]}.ts`);
  if (!entry.startsWith(gridsDir + sep)) return null;
  if (!(await stat(entry).catch(() => null))?.isFile()) return null;
  const cached = bundles.get(entry);
  if (cached) {
    const done = await cached.catch(() => null);
    if (done && (await isCurrent(done))) return done.code;
  }
  const fresh = bundle(entry, repoRoot);
  bundles.set(entry, fresh);
  fresh.catch(() => bundles.delete(entry));
  return (await fresh).code;
}

/**
 * The library pages: one shape (the console's bar, search summary, a grid host and a status bar, as a real
 * console page has them), filled per library from `demo/grids/page-template.html`.
 */
const LIBRARY_PAGES: Readonly<Record<string, { library: string; stylesheet?: string }>> = {
  slickgrid: { library: 'SlickGrid', stylesheet: '/vendor/slickgrid/slick-alpine-theme.css' },
  tabulator: { library: 'Tabulator', stylesheet: '/vendor/tabulator-tables/tabulator.min.css' },
  eui: { library: 'Elastic EUI' },
  mui: { library: 'MUI X' },
  'mui-dialog': { library: 'MUI Dialog' },
  'eui-modal': { library: 'Elastic EUI modal' },
  'radix-dialog': { library: 'Radix Dialog' },
  tanstack: { library: 'TanStack Table' },
};

/** The HTML of `/grids/<name>.html` for a library page, or null when there is no such page. */
export async function gridPageHtml(pathname: string, gridsDir: string): Promise<string | null> {
  const name = /^\/grids\/([a-z0-9-]+)\.html$/.exec(pathname)?.[1];
  const page = name !== undefined && Object.hasOwn(LIBRARY_PAGES, name) ? LIBRARY_PAGES[name] : undefined;
  if (!name || !page) return null;
  const template = await readFile(resolve(gridsDir, 'page-template.html'), 'utf8');
  const stylesheet = page.stylesheet ? `\n  <link rel="stylesheet" href="${page.stylesheet}">` : '';
  return template
    .replaceAll('{{library}}', page.library)
    .replaceAll('{{stylesheet}}', stylesheet)
    .replaceAll('{{name}}', name);
}
