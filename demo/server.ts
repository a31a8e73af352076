import { readFile, stat } from 'node:fs/promises';
import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, resolve, sep } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { transform } from 'esbuild';
import { ALARM_COLUMNS, generateAlarms, generateLogs, LOG_COLUMNS } from './generator/index.ts';
import { gridPageBundle, gridPageHtml } from './grid-bundles.ts';

/**
 * The demo console: a stand-in for the LogRhythm Web Console Analyzer that the demo and the end-to-end
 * tests run against (docs/architecture.md §1). It serves the console pages, their TypeScript page scripts
 * (transpiled on request), ag-Grid 36 and 35 straight from node_modules (UMD builds, so the pages need no
 * bundler), and seeded log and alarm data as JSON. Under `/grids/` it serves pages built on other real grid
 * libraries (demo/grids/README.md), their scripts bundled from node_modules by esbuild.
 */

export interface DemoConsoleOptions {
  port?: number;
  host?: string;
  seed?: number;
  logs?: number;
  alarms?: number;
}

export interface DemoConsole {
  /** Base URL without a trailing slash, e.g. `http://127.0.0.1:8080`. */
  url: string;
  close(): Promise<void>;
}

const here = fileURLToPath(new URL('.', import.meta.url));
const repoRoot = resolve(here, '..');
const consoleDir = resolve(here, 'console');
const gridsDir = resolve(here, 'grids');

/** URL prefix → folder. Nothing outside these folders is ever served. */
const STATIC_ROOTS: ReadonlyArray<{ prefix: string; dir: string }> = [
  {
    prefix: '/vendor/ag-grid-community-35/',
    dir: resolve(repoRoot, 'node_modules/ag-grid-community-35/dist'),
  },
  { prefix: '/vendor/ag-grid-community/', dir: resolve(repoRoot, 'node_modules/ag-grid-community/dist') },
  { prefix: '/vendor/slickgrid/', dir: resolve(repoRoot, 'node_modules/slickgrid/dist/styles/css') },
  { prefix: '/vendor/tabulator-tables/', dir: resolve(repoRoot, 'node_modules/tabulator-tables/dist/css') },
  { prefix: '/grids/', dir: gridsDir },
  { prefix: '/vendor/angular/', dir: resolve(repoRoot, 'node_modules/angular') },
  { prefix: '/vendor/angular-ui-grid/', dir: resolve(repoRoot, 'node_modules/angular-ui-grid') },
  // Pages the end-to-end tests use to attack Gridside's in-page layer (plain HTML and JS, never bundled).
  { prefix: '/test-pages/', dir: resolve(repoRoot, 'test/e2e/pages') },
  { prefix: '/', dir: consoleDir },
];

const CONTENT_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.ts': 'text/javascript; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.ttf': 'font/ttf',
};

/**
 * JSON payloads are serialized once at startup: 50,000 logs are tens of megabytes and a page load must not
 * wait for a fresh stringify. Not compressed: over loopback, gzip costs more CPU than it saves in transfer.
 */
function cacheJson(value: unknown): Buffer {
  return Buffer.from(JSON.stringify(value));
}

/** Maps a request path onto a file inside one of the static roots, or null (traversal, unknown type). */
export function resolveStaticPath(pathname: string): string | null {
  let decoded: string;
  try {
    decoded = decodeURIComponent(pathname);
  } catch {
    return null;
  }
  if (decoded.includes('\0') || decoded.includes('\\')) return null;
  if (decoded.split('/').some((part) => part === '..')) return null;
  const root = STATIC_ROOTS.find((r) => decoded.startsWith(r.prefix));
  if (!root) return null;
  const file = resolve(root.dir, `.${decoded.slice(root.prefix.length - 1)}`);
  if (!file.startsWith(root.dir + sep)) return null;
  if (!(extname(file) in CONTENT_TYPES)) return null;
  return file;
}

/** Page scripts are TypeScript; browsers get plain ES modules. Cached per file modification time. */
const transpiled = new Map<string, { mtimeMs: number; code: string }>();

async function pageScript(file: string, mtimeMs: number): Promise<string> {
  const hit = transpiled.get(file);
  if (hit && hit.mtimeMs === mtimeMs) return hit.code;
  const source = await readFile(file, 'utf8');
  const { code } = await transform(source, {
    loader: 'ts',
    format: 'esm',
    target: 'es2022',
    sourcemap: 'inline',
    sourcefile: file,
  });
  transpiled.set(file, { mtimeMs, code });
  return code;
}

function send(res: ServerResponse, status: number, type: string, body: string | Buffer, extra = {}): void {
  res.writeHead(status, {
    'Content-Type': type,
    'Content-Length': Buffer.byteLength(body),
    // The demo is edited while it runs; never let a browser keep a stale page, script or data set.
    'Cache-Control': 'no-store',
    'X-Content-Type-Options': 'nosniff',
    ...extra,
  });
  res.end(res.req.method === 'HEAD' ? undefined : body);
}

function notFound(res: ServerResponse): void {
  send(res, 404, 'text/plain; charset=utf-8', 'Not found\n');
}

async function sendStatic(res: ServerResponse, pathname: string): Promise<void> {
  const file = resolveStaticPath(pathname);
  if (!file) return notFound(res);
  const info = await stat(file).catch(() => null);
  if (!info?.isFile()) return notFound(res);
  const ext = extname(file);
  const type = CONTENT_TYPES[ext]!;
  const isPageScript = ext === '.ts' && file.startsWith(consoleDir + sep);
  if (ext === '.ts' && !isPageScript) return notFound(res);
  send(res, 200, type, isPageScript ? await pageScript(file, info.mtimeMs) : await readFile(file));
}

export async function startDemoConsole(options: DemoConsoleOptions = {}): Promise<DemoConsole> {
  const { port = 0, host = '127.0.0.1', seed = 42, logs = 50_000, alarms = 500 } = options;
  const rows: Readonly<Record<string, readonly unknown[]>> = {
    '/api/logs': generateLogs({ seed, count: logs }),
    '/api/alarms': generateAlarms({ seed, count: alarms }),
  };
  const api: Readonly<Record<string, Buffer>> = {
    '/api/logs': cacheJson(rows['/api/logs']),
    '/api/alarms': cacheJson(rows['/api/alarms']),
    '/api/columns': cacheJson({ logs: LOG_COLUMNS, alarms: ALARM_COLUMNS }),
  };

  const server = createServer((req, res) => {
    const handle = async (): Promise<void> => {
      if (req.method !== 'GET' && req.method !== 'HEAD') {
        return send(res, 405, 'text/plain; charset=utf-8', 'Method not allowed\n', { Allow: 'GET, HEAD' });
      }
      const { pathname, searchParams } = new URL(req.url ?? '/', 'http://demo.invalid');
      if (pathname === '/')
        return send(res, 302, 'text/plain; charset=utf-8', '', { Location: '/index.html' });
      const json = api[pathname];
      const limit = searchParams.get('limit');
      const all = rows[pathname];
      if (all && limit !== null) {
        // One page of a search (the plain table page shows the first 500 logs); small, so not cached.
        const count = Number.parseInt(limit, 10);
        if (!(count >= 0)) return send(res, 400, 'text/plain; charset=utf-8', 'limit must be a number\n');
        return send(res, 200, CONTENT_TYPES['.json']!, JSON.stringify(all.slice(0, count)));
      }
      if (json) return send(res, 200, CONTENT_TYPES['.json']!, json);
      if (pathname.startsWith('/api/')) return notFound(res);
      const bundled = await gridPageBundle(pathname, gridsDir, repoRoot);
      if (bundled !== null) return send(res, 200, CONTENT_TYPES['.js']!, bundled);
      const libraryPage = await gridPageHtml(pathname, gridsDir);
      if (libraryPage !== null) return send(res, 200, CONTENT_TYPES['.html']!, libraryPage);
      return sendStatic(res, pathname);
    };
    handle().catch((error: unknown) => {
      console.error('gridside-demo-console: request failed', req.url, error);
      if (!res.headersSent) send(res, 500, 'text/plain; charset=utf-8', 'Internal error\n');
      else res.destroy();
    });
  });

  await new Promise<void>((resolveListen, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolveListen());
  });
  const address = server.address() as AddressInfo;
  return {
    url: `http://${host}:${address.port}`,
    close: () =>
      new Promise<void>((resolveClose, reject) => {
        server.close((error) => (error ? reject(error) : resolveClose()));
        server.closeAllConnections();
      }),
  };
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      port: { type: 'string', default: '8080' },
      seed: { type: 'string', default: '42' },
      logs: { type: 'string', default: '50000' },
      alarms: { type: 'string', default: '500' },
    },
  });
  const demo = await startDemoConsole({
    port: Number(values.port),
    seed: Number(values.seed),
    logs: Number(values.logs),
    alarms: Number(values.alarms),
  });
  console.log(`gridside-demo-console listening on ${demo.url}`);
  const stop = (): void => {
    demo.close().finally(() => process.exit(0));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
}
