import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Action, Run } from '../../../src/core/api.ts';
import type { RowContext } from '../../../src/core/row-context.ts';

/**
 * A scripted stand-in for the Gridside orchestrator on 127.0.0.1 (random port): each test says how it
 * answers; every request is recorded. Not the real orchestrator: that has its own tests.
 */
export interface Recorded {
  method: string;
  path: string;
  authorization: string | undefined;
  body: unknown;
}

export interface Answer {
  status?: number;
  headers?: Record<string, string>;
  /** A string is sent as is (for malformed JSON); anything else as JSON. */
  body?: unknown;
  /** Waits this long before answering (timeouts, long-polls). */
  delayMs?: number;
  /** Closes the connection instead of answering: the request arrived, its answer is lost on the way. */
  drop?: boolean;
}

export type Handler = (request: Recorded) => Answer | Promise<Answer>;

export interface FakeOrchestrator {
  url: string;
  origin: string;
  requests: Recorded[];
  handle(handler: Handler): void;
  close(): Promise<void>;
}

export async function startFakeOrchestrator(
  handler: Handler = () => ({ status: 404 }),
): Promise<FakeOrchestrator> {
  let current = handler;
  const requests: Recorded[] = [];
  const server: Server = createServer(async (req, res) => {
    const recorded: Recorded = {
      method: req.method ?? 'GET',
      path: req.url ?? '/',
      authorization: req.headers.authorization,
      body: await readJson(req),
    };
    requests.push(recorded);
    const answer = await current(recorded);
    if (answer.delayMs) await new Promise((r) => setTimeout(r, answer.delayMs));
    if (res.destroyed) return;
    if (answer.drop) {
      res.socket?.destroy();
      return;
    }
    const text = typeof answer.body === 'string' ? answer.body : JSON.stringify(answer.body ?? {});
    res.writeHead(answer.status ?? 200, { 'content-type': 'application/json', ...answer.headers });
    res.end(text);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const origin = `http://127.0.0.1:${port}`;
  return {
    url: `${origin}/`,
    origin,
    requests,
    handle(next) {
      current = next;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

async function readJson(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks).toString('utf8');
  if (!text) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

export const sampleContext: RowContext = {
  console: 'https://siem.example.com',
  kind: 'alarm',
  key: { value: '4711', source: 'column', confidence: 'high' },
  alarmId: '4711',
  fields: { SIP: '10.1.2.3', AlarmId: '4711' },
  labels: { 'Origin IP': '10.1.2.3', 'Alarm ID': '4711' },
  missing: [],
  truncated: [],
};

export function sampleAction(overrides: Partial<Action> = {}): Action {
  return {
    id: 'whois/lookup-ip',
    plugin: { id: 'whois', name: 'Whois' },
    name: 'Look up IP owner',
    description: '',
    params: [
      {
        id: 'ip',
        name: 'IP address',
        kind: 'string',
        encrypted: false,
        fromConfig: false,
        required: true,
        default: { field: 'SIP' },
        switch: '-ip',
        order: '1',
      },
    ],
    approval: { levels: 0, quorum: 1, approverRoles: ['approver', 'admin'] },
    roles: ['analyst'],
    sideEffects: false,
    cacheTtlSeconds: 300,
    timeoutSeconds: 60,
    available: true,
    ...overrides,
  };
}

export function sampleRun(overrides: Partial<Run> = {}): Run {
  return {
    id: 'run-1',
    actionId: 'whois/lookup-ip',
    actionName: 'Look up IP owner',
    status: 'queued',
    requestedBy: 'alice',
    params: { ip: '10.1.2.3' },
    alarmId: '4711',
    rowKey: '4711',
    approvals: [],
    output: null,
    reason: null,
    timing: { createdAt: '2026-11-27T10:00:00Z', startedAt: null, finishedAt: null, durationMs: null },
    ...overrides,
  };
}

export function succeededRun(id = 'run-1'): Run {
  return sampleRun({
    id,
    status: 'succeeded',
    output: { stdout: 'AS64500 Example Net', stderr: '', exitCode: 0, truncated: false },
    timing: {
      createdAt: '2026-11-27T10:00:00Z',
      startedAt: '2026-11-27T10:00:01Z',
      finishedAt: '2026-11-27T10:00:02Z',
      durationMs: 1000,
    },
  });
}
