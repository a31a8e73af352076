import { createServer, type IncomingMessage, request, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A fault-injecting HTTP proxy for the faults suite: it stands between Gridside (the extension's
 * orchestrator URL points at it) and a real orchestrator, passes every request through unchanged, and
 * breaks the ones a test names, the way a flaky network, a load balancer or a broken middlebox does.
 * Because the extension only knows the proxy's address, the orchestrator behind it can be restarted on a
 * new port (`retarget`) without the extension noticing anything but the outage.
 *
 *   const proxy = await startFaultProxy(orchestrator.url);
 *   proxy.inject({ method: 'GET', path: /^\/api\/v1\/runs\//, fault: { kind: 'status', status: 503 }, times: 2 });
 */

export type Fault =
  /** Passes the request on after this delay. */
  | { kind: 'latency'; ms: number }
  /** Closes the connection with a TCP reset before anything is answered. */
  | { kind: 'reset' }
  /** Answers itself with this status, as a gateway does: an HTML page, `Retry-After` if given. */
  | { kind: 'status'; status: number; retryAfter?: string }
  /** Passes the request on, and sends only the first half of the answer's body (framed as complete). */
  | { kind: 'truncated' }
  /** Passes the request on, and sends its answer padded with an extra field to this many bytes. */
  | { kind: 'oversized'; bytes: number }
  /** Answers 200 with the start of a JSON body, and never sends the rest. */
  | { kind: 'hang' }
  /**
   * Passes the request on, and once the orchestrator has answered, resets the connection instead of
   * sending the answer: the request did its work, and only its answer is lost.
   */
  | { kind: 'lose-answer' };

export interface FaultRule {
  method?: string;
  path: RegExp;
  fault: Fault;
  /** How many matching requests it breaks; default: every one until `clear()`. */
  times?: number;
}

export interface ProxiedRequest {
  method: string;
  path: string;
  at: number;
  /** The fault applied, if any. */
  fault: Fault['kind'] | null;
}

export interface FaultProxy {
  url: string;
  /** Every request seen, in order. */
  requests: ProxiedRequest[];
  inject(rule: FaultRule): void;
  /** The network heals: no more faults (a hung answer already under way stays hung until `close`). */
  clear(): void;
  /** Sends what follows to another orchestrator address (the same one, restarted on a new port). */
  retarget(upstream: string): void;
  close(): Promise<void>;
}

export async function startFaultProxy(upstream: string): Promise<FaultProxy> {
  let target = new URL(upstream);
  let rules: FaultRule[] = [];
  const requests: ProxiedRequest[] = [];
  const hung = new Set<ServerResponse>();

  function take(req: IncomingMessage): Fault | null {
    const rule = rules.find(
      (r) => (!r.method || r.method === req.method) && r.path.test(req.url ?? '/') && r.times !== 0,
    );
    if (!rule) return null;
    if (rule.times !== undefined) rule.times -= 1;
    return rule.fault;
  }

  const server = createServer((req, res) => {
    const fault = take(req);
    requests.push({
      method: req.method ?? 'GET',
      path: req.url ?? '/',
      at: Date.now(),
      fault: fault?.kind ?? null,
    });
    if (!fault) return forward(req, res, (status, headers, body) => send(res, status, headers, body));
    switch (fault.kind) {
      case 'latency':
        setTimeout(() => forward(req, res, (s, h, b) => send(res, s, h, b)), fault.ms);
        return;
      case 'reset':
        req.socket.resetAndDestroy();
        return;
      case 'status': {
        req.resume();
        const page = `<html><body><h1>${fault.status} ${gatewayWords(fault.status)}</h1></body></html>`;
        send(
          res,
          fault.status,
          { 'content-type': 'text/html', ...(fault.retryAfter ? { 'retry-after': fault.retryAfter } : {}) },
          Buffer.from(page),
        );
        return;
      }
      case 'truncated':
        forward(req, res, (status, headers, body) =>
          send(res, status, headers, body.subarray(0, body.length >> 1)),
        );
        return;
      case 'oversized':
        forward(req, res, (status, headers, body) => send(res, status, headers, padded(body, fault.bytes)));
        return;
      case 'lose-answer':
        forward(req, res, () => req.socket.resetAndDestroy());
        return;
      case 'hang':
        req.resume();
        hung.add(res);
        res.writeHead(200, { 'content-type': 'application/json' });
        res.write('{"id":"');
        res.on('close', () => hung.delete(res));
        return;
    }
  });

  /** Sends the request to the orchestrator and hands its whole answer to `answer`. */
  function forward(
    req: IncomingMessage,
    res: ServerResponse,
    answer: (status: number, headers: Record<string, string>, body: Buffer) => void,
  ): void {
    const upstreamReq = request(
      {
        host: target.hostname,
        port: target.port,
        method: req.method,
        path: req.url,
        headers: { ...req.headers, host: target.host },
      },
      (upstreamRes) => {
        const chunks: Buffer[] = [];
        upstreamRes.on('data', (chunk: Buffer) => chunks.push(chunk));
        upstreamRes.on('end', () => {
          const headers: Record<string, string> = {};
          for (const [name, value] of Object.entries(upstreamRes.headers)) {
            if (typeof value === 'string' && !HOP_BY_HOP.has(name)) headers[name] = value;
          }
          answer(upstreamRes.statusCode ?? 502, headers, Buffer.concat(chunks));
        });
      },
    );
    // The orchestrator is down (killed, restarting): a gateway answers 502, as a real one does.
    upstreamReq.on('error', () => {
      if (!res.headersSent)
        send(res, 502, { 'content-type': 'text/html' }, Buffer.from('<h1>502 Bad Gateway</h1>'));
    });
    res.on('close', () => upstreamReq.destroy());
    req.pipe(upstreamReq);
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    inject: (rule) => {
      rules.push({ ...rule });
    },
    clear: () => {
      rules = [];
    },
    retarget: (next) => {
      target = new URL(next);
    },
    async close() {
      for (const res of hung) res.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'transfer-encoding', 'content-length']);

function send(res: ServerResponse, status: number, headers: Record<string, string>, body: Buffer): void {
  if (res.destroyed) return;
  res.writeHead(status, { ...headers, 'content-length': String(body.length) });
  res.end(body);
}

/** The answer's JSON object with one more field, `padding`, making the whole body `bytes` long. */
function padded(body: Buffer, bytes: number): Buffer {
  const text = body.toString('utf8');
  if (!text.startsWith('{')) return body;
  const filler = Math.max(0, bytes - text.length - 20);
  return Buffer.from(`{"padding":"${'x'.repeat(filler)}",${text.slice(1)}`);
}

function gatewayWords(status: number): string {
  return status === 502 ? 'Bad Gateway' : status === 503 ? 'Service Unavailable' : 'Gateway Error';
}
