import { randomBytes } from 'node:crypto';
import { closeSync, existsSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect } from 'vitest';
import yazl from 'yazl';
import type { RowContext } from '../../src/core/row-context.ts';
import { type OrchestratorHandle, startOrchestrator } from '../support/orchestrator-process.ts';

/** Shared pieces of the orchestrator integration tests: plugin fixtures, a config, a tiny HTTP client. */

export const PLUGINS = 'test/fixtures/orchestrator-plugins';

export const TOKENS = {
  alice: 'alice-analyst-token-0123456789',
  bob: 'bob-approver-token-0123456789ab',
  carol: 'carol-approver-token-0123456789',
  dave: 'dave-admin-token-0123456789abcd',
  ralph: 'ralph-rate-limited-token-01234',
} as const;

export const SECRET_API_KEY = 'sk-live-SUPERSECRET-4f9a1c77e2';
export const SECRET_SERVER = 'ldap-prod-7.corp.example.internal';

export function baseConfig(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    tokens: [
      { name: 'alice', roles: ['analyst'], token: TOKENS.alice },
      { name: 'bob', roles: ['approver'], token: TOKENS.bob },
      { name: 'carol', roles: ['approver'], token: TOKENS.carol },
      { name: 'dave', roles: ['admin'], token: TOKENS.dave },
      { name: 'ralph', roles: ['analyst'], token: TOKENS.ralph, rateLimitPerMinute: 3 },
    ],
    concurrency: 4,
    outputCapBytes: 256 * 1024,
    bodyLimitBytes: 512 * 1024,
    killGraceMs: 500,
    actions: {
      'test-echo/echo-row': { description: 'Echo the row back', sideEffects: false, cacheTtlSeconds: 300 },
      'test-echo/echo-secret': {
        params: { 'api-key': { env: 'TEST_ECHO_API_KEY' }, 'Directory Server': { value: SECRET_SERVER } },
      },
      'test-echo/disable-account': {
        roles: ['analyst', 'admin'],
        approval: { levels: 1, quorum: 1, approverRoles: ['approver', 'admin'] },
      },
      'test-echo/quarantine-host': {
        approval: { levels: 2, quorum: 1, approverRoles: ['approver', 'admin'] },
      },
      'test-echo/admin-only': { roles: ['admin'] },
      'test-sleeper/sleep-with-helper': { timeoutSeconds: 2 },
    },
    ...overrides,
  };
}

export function rowContext(fields: Record<string, string>, extra: Partial<RowContext> = {}): RowContext {
  return {
    console: 'https://siem.example.com',
    kind: 'alarm',
    key: { value: `alarm-${fields.AlarmId ?? '1'}`, source: 'column', confidence: 'high' },
    alarmId: fields.AlarmId,
    fields,
    labels: {},
    missing: [],
    truncated: [],
    ...extra,
  };
}

export interface Answer {
  status: number;
  // biome-ignore lint/suspicious/noExplicitAny: tests read error fields loosely, and parse runs with the core schemas
  body: any;
  text: string;
  headers: Headers;
}

/** Every response body the tests saw, so the secrets test can grep them all. */
export const seenBodies: string[] = [];

export function client(orch: OrchestratorHandle, token?: string) {
  const call = async (method: string, path: string, body?: unknown, headers: Record<string, string> = {}) => {
    const response = await fetch(`${orch.url}${path}`, {
      method,
      headers: {
        ...(token ? { authorization: `Bearer ${token}` } : {}),
        ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
        ...headers,
      },
      body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
    });
    const text = await response.text();
    seenBodies.push(text);
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      parsed = undefined;
    }
    const answer: Answer = { status: response.status, body: parsed, text, headers: response.headers };
    return answer;
  };
  return {
    get: (path: string, headers?: Record<string, string>) => call('GET', path, undefined, headers),
    post: (path: string, body?: unknown, headers?: Record<string, string>) =>
      call('POST', path, body, headers),
    /** Starts a run and long-polls until it ends. */
    run: async (actionId: string, params: Record<string, string>, context: RowContext) => {
      const started = await call('POST', '/api/v1/runs', { actionId, params, context });
      if (started.status !== 201) return started;
      return call('GET', `/api/v1/runs/${started.body.id}?wait=30`);
    },
    call,
  };
}

export const alive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};
export const waitUntil = async (check: () => boolean, ms = 5000): Promise<boolean> => {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (check()) return true;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return check();
};

/** The sleeper plugin writes its pids to a file named after the run (see its script). */
export async function sleeperPids(runId: string): Promise<{ pid: number; helperPid: number }> {
  const file = path.join(tmpdir(), `gridside-sleeper-${runId}.json`);
  expect(await waitUntil(() => existsSync(file), 15_000)).toBe(true);
  const pids = JSON.parse(readFileSync(file, 'utf8'));
  rmSync(file);
  return pids;
}

/**
 * One orchestrator with the test plugins and `baseConfig()` for a whole test file, which must exit
 * cleanly at the end; the getter answers it once started.
 */
export function orchestratorForFile(): () => OrchestratorHandle {
  let orch: OrchestratorHandle | undefined;
  beforeAll(async () => {
    orch = await startOrchestrator({ plugins: PLUGINS, config: baseConfig() });
  });
  afterAll(async () => {
    expect(await orch?.stop()).toBe(0);
    orch?.cleanup();
  });
  return () => {
    if (!orch) throw new Error('the orchestrator has not started');
    return orch;
  };
}

/**
 * A file of `size` bytes that packs small: one random KiB over and over, which gzip shrinks about a
 * hundredfold (zeros would shrink past the tar package's own decompression-ratio guard).
 */
export function writePadding(file: string, size: number): void {
  const block = Buffer.alloc(1024 * 1024, randomBytes(1024));
  const fd = openSync(file, 'w');
  try {
    for (let written = 0; written < size; written += block.length) {
      writeSync(fd, block, 0, Math.min(block.length, size - written));
    }
  } finally {
    closeSync(fd);
  }
}

/** A zip archive, as an admin uploads a plugin folder: `add` puts the entries in. */
export function zipBytes(add: (zip: yazl.ZipFile) => void): Promise<Buffer> {
  const zip = new yazl.ZipFile();
  add(zip);
  zip.end();
  const chunks: Buffer[] = [];
  return new Promise((resolve, reject) => {
    zip.outputStream.on('data', (chunk: Buffer) => chunks.push(chunk));
    zip.outputStream.on('end', () => resolve(Buffer.concat(chunks)));
    zip.outputStream.on('error', reject);
  });
}
