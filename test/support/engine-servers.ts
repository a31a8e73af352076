import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import type { ConnectorDeps } from '../../src/background/connectors/connector.ts';
import type { OrchestratorEntry } from '../../src/core/settings.ts';

/**
 * Local fake engine HTTP servers (node:http on 127.0.0.1, port 0) that answer with recorded documents from
 * test/fixtures/engines/. Each route answers a method + path; every request is recorded so a test can
 * assert what the connector sent (headers, query, body).
 */

export interface Reply {
  status?: number;
  headers?: Record<string, string>;
  /** JSON-serialised unless `raw` is given. */
  json?: unknown;
  raw?: string;
  /** Never answer (the connector's timeout must fire). */
  hang?: boolean;
}

export interface RecordedRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: IncomingMessage['headers'];
  body: string;
  /** Parsed body, when it was JSON. */
  json: unknown;
}

type Handler = (req: RecordedRequest) => Reply | Promise<Reply>;

export interface EngineServer {
  url: string;
  requests: RecordedRequest[];
  /** Adds or replaces the answer for `METHOD /path` (path without query; `:x` matches one segment). */
  on(route: string, handler: Handler | Reply): void;
  close(): Promise<void>;
}

export async function startEngineServer(routes: Record<string, Handler | Reply> = {}): Promise<EngineServer> {
  const table = new Map<string, Handler>();
  const on = (route: string, handler: Handler | Reply) =>
    table.set(route, typeof handler === 'function' ? handler : () => handler);
  for (const [route, handler] of Object.entries(routes)) on(route, handler);
  const requests: RecordedRequest[] = [];
  const hanging = new Set<import('node:http').ServerResponse>();

  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', async () => {
      const url = new URL(req.url ?? '/', 'http://127.0.0.1');
      const body = Buffer.concat(chunks).toString('utf8');
      let json: unknown;
      try {
        json = body ? JSON.parse(body) : undefined;
      } catch {
        json = undefined;
      }
      const recorded: RecordedRequest = {
        method: req.method ?? 'GET',
        path: url.pathname,
        query: url.searchParams,
        headers: req.headers,
        body,
        json,
      };
      requests.push(recorded);
      const handler = match(table, recorded.method, url.pathname);
      const reply: Reply = handler
        ? await handler(recorded)
        : { status: 404, json: { message: `no route ${recorded.method} ${url.pathname}` } };
      if (reply.hang) {
        hanging.add(res);
        return;
      }
      const text = reply.raw ?? (reply.json === undefined ? '' : JSON.stringify(reply.json));
      res.writeHead(reply.status ?? 200, {
        'content-type': reply.raw === undefined ? 'application/json' : 'text/plain',
        ...reply.headers,
      });
      res.end(text);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    on,
    close: () =>
      new Promise<void>((resolve) => {
        for (const res of hanging) res.destroy();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function match(table: Map<string, Handler>, method: string, path: string): Handler | undefined {
  for (const [route, handler] of table) {
    const [m, pattern] = route.split(' ', 2);
    if (m !== method || !pattern) continue;
    const want = pattern.split('/');
    const got = path.split('/');
    if (want.length !== got.length) continue;
    if (want.every((seg, i) => seg.startsWith(':') || seg === got[i])) return handler;
  }
  return undefined;
}

/** A URL on 127.0.0.1 where nothing listens (for "connection refused"). */
export async function refusedUrl(): Promise<string> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return `http://127.0.0.1:${port}`;
}

/** A recorded document from test/fixtures/engines/, parsed. */
export function engineFixture<T = unknown>(relativePath: string): T {
  const file = fileURLToPath(new URL(`../fixtures/engines/${relativePath}`, import.meta.url));
  return JSON.parse(readFileSync(file, 'utf8')) as T;
}

export function depsFor(
  kind: OrchestratorEntry['kind'],
  url: string,
  options: Record<string, unknown> = {},
  secret: string | undefined = 'test-secret',
): ConnectorDeps {
  return {
    entry: { id: `${kind}-test`, kind, name: `Test ${kind}`, url, enabled: true, options },
    secret,
    fetch: globalThis.fetch,
  };
}

export interface ErrorPathCase {
  name: string;
  reply: Reply;
  code: string;
  /** Words the analyst must see in the message. */
  says?: RegExp;
  retryAfterMs?: number;
}

/**
 * The HTTP failures every connector must turn into plain `ConnectorError`s. Each engine spec runs them
 * against one of its own calls, with the engine's own error body shape.
 */
export function errorPathCases(
  errorBody: (message: string) => unknown,
  schemaMismatch: unknown,
): ErrorPathCase[] {
  return [
    {
      name: '401',
      reply: { status: 401, json: errorBody('Authentication failure') },
      code: 'unauthorized',
      says: /Authentication failure/,
    },
    {
      name: '403',
      reply: { status: 403, json: errorBody('Permission denied') },
      code: 'forbidden',
      says: /Permission denied/,
    },
    { name: '404', reply: { status: 404, json: errorBody('Not found') }, code: 'not_found' },
    {
      name: '429 with Retry-After',
      reply: { status: 429, headers: { 'retry-after': '7' }, json: errorBody('Too many requests') },
      code: 'rate_limited',
      retryAfterMs: 7000,
    },
    {
      name: '500',
      reply: { status: 500, raw: 'Internal Server Error' },
      code: 'server_error',
      says: /Internal Server Error/,
    },
    {
      name: '503 with Retry-After',
      reply: { status: 503, headers: { 'retry-after': '4' }, raw: 'Service Unavailable' },
      code: 'server_error',
      retryAfterMs: 4000,
    },
    {
      name: 'malformed JSON',
      reply: { status: 200, raw: '<html><body>Sign in</body></html>' },
      code: 'bad_response',
      says: /not JSON/,
    },
    {
      name: 'JSON cut short on the way',
      reply: { status: 200, raw: '{"id": "abc", ' },
      code: 'server_error',
      says: /cut short/,
    },
    {
      name: 'schema mismatch',
      reply: { status: 200, json: schemaMismatch },
      code: 'bad_response',
      says: /`/,
    },
  ];
}
