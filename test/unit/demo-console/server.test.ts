import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ALARM_COLUMNS, generateLogs, LOG_COLUMNS } from '../../../demo/generator/index.ts';
import { type DemoConsole, startDemoConsole } from '../../../demo/server.ts';

interface RawResponse {
  status: number;
  type: string;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** A request with the path sent byte for byte (fetch would normalize `..` away before it left). */
function get(base: string, path: string, method = 'GET'): Promise<RawResponse> {
  const { hostname, port } = new URL(base);
  return new Promise((resolve, reject) => {
    const req = request({ hostname, port, path, method }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () =>
        resolve({
          status: res.statusCode ?? 0,
          type: String(res.headers['content-type'] ?? ''),
          headers: res.headers,
          body: Buffer.concat(chunks).toString('utf8'),
        }),
      );
    });
    req.on('error', reject);
    req.end();
  });
}

const SEED = 7;
const PAGES = [
  '/index.html',
  '/analyzer.html',
  '/analyzer-v35.html',
  '/table.html',
  '/aria.html',
  '/custom-grid.html',
];

let demo: DemoConsole;
let expectedLogs: ReturnType<typeof generateLogs>;

beforeAll(async () => {
  demo = await startDemoConsole({ port: 0, seed: SEED });
  expectedLogs = generateLogs({ seed: SEED, count: 50_000 });
}, 120_000);

afterAll(async () => {
  await demo?.close();
});

describe('demo console pages and assets', () => {
  it('listens on loopback only', () => {
    expect(demo.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
  });

  it.each(PAGES)('serves %s as HTML, never cached', async (path) => {
    const res = await get(demo.url, path);
    expect(res.status).toBe(200);
    expect(res.type).toMatch(/^text\/html/);
    expect(res.headers['cache-control']).toBe('no-store');
    expect(res.body).toMatch(/<!doctype html>/i);
  });

  it('redirects / to the page index', async () => {
    const res = await get(demo.url, '/');
    expect(res.status).toBe(302);
    expect(res.headers.location).toBe('/index.html');
  });

  it.each(PAGES)(
    'every script, style and link %s refers to loads, and page scripts need no bundler',
    async (page) => {
      const html = (await get(demo.url, page)).body;
      const refs = [...html.matchAll(/(?:src|href)="(\/[^"#]*)/g)].map((m) => m[1]!);
      expect(refs.length).toBeGreaterThan(0);
      const seen = new Set<string>();
      const queue = [...refs];
      while (queue.length > 0) {
        const path = queue.shift()!;
        if (seen.has(path)) continue;
        seen.add(path);
        const res = await get(demo.url, path);
        expect(res.status, path).toBe(200);
        if (path.endsWith('.css')) expect(res.type).toMatch(/^text\/css/);
        if (path.endsWith('.ts') || path.endsWith('.js')) {
          expect(res.type, path).toMatch(/^text\/javascript/);
        }
        if (path.endsWith('.ts')) {
          // Transpiled: no type-only syntax left, and every import is a path the browser can fetch.
          expect(res.body).not.toMatch(/^import type /m);
          for (const m of res.body.matchAll(/^import\s[^'"]*['"]([^'"]+)['"]/gm)) {
            expect(m[1], `${path} imports ${m[1]}`).toMatch(/^\.{0,2}\//);
            queue.push(new URL(m[1]!, `http://x${path}`).pathname);
          }
        }
      }
    },
  );

  it('serves ag-Grid 36 and 35 from their own packages', async () => {
    const v36 = await get(demo.url, '/vendor/ag-grid-community/ag-grid-community.min.js');
    const v35 = await get(demo.url, '/vendor/ag-grid-community-35/ag-grid-community.min.js');
    expect(v36.status).toBe(200);
    expect(v35.status).toBe(200);
    expect(v36.type).toMatch(/^text\/javascript/);
    // v36 renders rows in one scrolling container; the v35 build still has the split centre container.
    expect(v36.body).toContain('ag-grid-scrolling-container');
    expect(v35.body).toContain('ag-center-cols-container');
  });
});

describe('demo console data', () => {
  it('serves 50,000 seeded logs, the same rows the generator gives for the seed', async () => {
    const res = await get(demo.url, '/api/logs');
    expect(res.status).toBe(200);
    expect(res.type).toMatch(/^application\/json/);
    const rows = JSON.parse(res.body) as { LogId: string }[];
    expect(rows).toHaveLength(50_000);
    expect(rows[0]!.LogId).toBe(expectedLogs[0]!.LogId);
    expect(rows[49_999]!.LogId).toBe(expectedLogs[49_999]!.LogId);
  });

  it('serves one page of logs when asked for a limit', async () => {
    const rows = JSON.parse((await get(demo.url, '/api/logs?limit=500')).body) as { LogId: string }[];
    expect(rows).toHaveLength(500);
    expect(rows.map((r) => r.LogId)).toEqual(expectedLogs.slice(0, 500).map((r) => r.LogId));
    expect((await get(demo.url, '/api/logs?limit=abc')).status).toBe(400);
  });

  it('serves 500 alarms with unique ids and the column layout', async () => {
    const alarms = JSON.parse((await get(demo.url, '/api/alarms')).body) as { AlarmId: string }[];
    expect(alarms).toHaveLength(500);
    expect(new Set(alarms.map((a) => a.AlarmId)).size).toBe(500);
    const columns = JSON.parse((await get(demo.url, '/api/columns')).body);
    expect(columns).toEqual({ logs: LOG_COLUMNS, alarms: ALARM_COLUMNS });
  });
});

describe('demo console refuses what it must not serve', () => {
  it.each([
    '/../package.json',
    '/%2e%2e/package.json',
    '/%2E%2E/%2E%2E/etc/passwd',
    '/..%2f..%2fpackage.json',
    '/..%5c..%5cpackage.json',
    '/vendor/ag-grid-community/../../package.json',
    '/vendor/ag-grid-community/%2e%2e/package.json',
    '/vendor/ag-grid-community-35/..%2f..%2f..%2fdemo%2fserver.ts',
    '/analyzer.html%00.png',
    '/%',
  ])('refuses %s', async (path) => {
    const res = await get(demo.url, path);
    expect([400, 403, 404]).toContain(res.status);
    expect(res.body).not.toContain('"name": "gridside"');
    expect(res.body).not.toContain('root:');
  });

  it('answers unknown paths and API endpoints with 404', async () => {
    expect((await get(demo.url, '/no-such-page.html')).status).toBe(404);
    expect((await get(demo.url, '/api/cases')).status).toBe(404);
    // Files of an unknown type are not served even inside the console folder.
    expect((await get(demo.url, '/README')).status).toBe(404);
  });

  it('does not serve TypeScript outside the console pages', async () => {
    const res = await get(demo.url, '/vendor/ag-grid-community/types/src/main.d.ts');
    expect(res.status).toBe(404);
  });

  it('accepts only GET and HEAD', async () => {
    expect((await get(demo.url, '/api/logs', 'POST')).status).toBe(405);
    const head = await get(demo.url, '/analyzer.html', 'HEAD');
    expect(head.status).toBe(200);
    expect(head.body).toBe('');
  });
});
