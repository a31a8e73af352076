import Database from 'better-sqlite3';
import { afterAll, expect, it } from 'vitest';
import { RunSchema } from '../../src/core/api.ts';
import {
  type OrchestratorHandle,
  restartOrchestrator,
  startOrchestrator,
} from '../support/orchestrator-process.ts';
import { client, rowContext, TOKENS, waitUntil } from './setup.ts';

/** A crash (SIGKILL) mid-run keeps what the plugin printed before it, secrets redacted. */

const TALKER_TOKEN = 'talker-secret-token-9f3b2c71';
const config = {
  tokens: [{ name: 'alice', roles: ['analyst'], token: TOKENS.alice }],
  killGraceMs: 500,
  actions: {
    'test-talker/talk-then-wait': { timeoutSeconds: 120, params: { token: { value: TALKER_TOKEN } } },
  },
};
const options = { plugins: 'test/fixtures/hardening-plugins', config };
/** The same orchestrator, its talker given `token`. */
const withToken = (token: string) => ({
  ...options,
  config: {
    ...config,
    actions: { 'test-talker/talk-then-wait': { timeoutSeconds: 120, params: { token: { value: token } } } },
  },
});

const handles: OrchestratorHandle[] = [];
afterAll(async () => {
  for (const handle of handles) await handle.kill();
  for (const handle of handles) handle.cleanup();
});

/** What the orchestrator has saved of a run's output so far, read the way an admin would. */
function savedSoFar(dbFile: string, runId: string): string {
  const db = new Database(dbFile, { readonly: true, fileMustExist: true });
  try {
    const rows = db
      .prepare("SELECT text FROM output_chunks WHERE run_id = ? AND stream = 'stdout' ORDER BY seq")
      .all(runId) as { text: string }[];
    return rows.map((row) => row.text).join('');
  } finally {
    db.close();
  }
}

it('shows the output printed before the crash on the interrupted run, redacted', async () => {
  const first = await startOrchestrator(options);
  handles.push(first);
  const started = await client(first, TOKENS.alice).post('/api/v1/runs', {
    actionId: 'test-talker/talk-then-wait',
    params: {},
    context: rowContext({}),
  });
  expect(started.status).toBe(201);
  const runId = started.body.id as string;
  // Saved as it arrived, before the run ends, and never with the secret in it.
  expect(await waitUntil(() => savedSoFar(first.db, runId).includes('step 3 done'), 15_000)).toBe(true);
  expect(savedSoFar(first.db, runId)).not.toContain(TALKER_TOKEN);

  await first.kill(); // SIGKILL: nothing is written after this

  const second = await restartOrchestrator(first, options);
  handles.push(second);
  const run = RunSchema.parse((await client(second, TOKENS.alice).get(`/api/v1/runs/${runId}`)).body);
  expect(run.status).toBe('failed');
  expect(run.reason).toBe('orchestrator restarted while the run was in progress');
  expect(run.output?.stdout).toBe('connecting with [redacted]\nstep 1 done\nstep 2 done\nstep 3 done\n');
  expect(run.output?.stderr).toBe('warning: slow directory\n');
  expect(run.output?.exitCode).toBeNull();
  expect(await second.stop()).toBe(0);
}, 60_000);

it('never saves a secret in two pieces where its output is cut into chunks', async () => {
  const token = 'talker-S3cr3t"Key\\Value-1234';
  const across = withToken(token);
  const first = await startOrchestrator(across);
  handles.push(first);
  // Chunks are cut every 16 KiB: these dots put the cut five characters into the token.
  const padding = 16 * 1024 - 5;
  const started = await client(first, TOKENS.alice).post('/api/v1/runs', {
    actionId: 'test-talker/talk-then-wait',
    params: { padding: String(padding) },
    context: rowContext({}),
  });
  expect(started.status).toBe(201);
  const runId = started.body.id as string;
  expect(await waitUntil(() => savedSoFar(first.db, runId).includes('step 3 done'), 15_000)).toBe(true);
  expect(savedSoFar(first.db, runId)).not.toContain(token);

  await first.kill();

  const second = await restartOrchestrator(first, across);
  handles.push(second);
  const run = RunSchema.parse((await client(second, TOKENS.alice).get(`/api/v1/runs/${runId}`)).body);
  expect(run.status).toBe('failed');
  expect(run.output?.stdout).toBe(
    `${'.'.repeat(padding)}[redacted]\nconnecting with [redacted]\nstep 1 done\nstep 2 done\nstep 3 done\n`,
  );
  expect(await second.stop()).toBe(0);
}, 60_000);

it('keeps a secret the plugin printed encoded (a Basic header, a URL) out of saved and recovered output', async () => {
  const token = 'talker-S3cr3t/Key+Value 1234';
  const encoded = withToken(token);
  const first = await startOrchestrator(encoded);
  handles.push(first);
  const started = await client(first, TOKENS.alice).post('/api/v1/runs', {
    actionId: 'test-talker/talk-then-wait',
    params: { encoded: 'yes' },
    context: rowContext({}),
  });
  expect(started.status).toBe(201);
  const runId = started.body.id as string;
  expect(await waitUntil(() => savedSoFar(first.db, runId).includes('step 3 done'), 15_000)).toBe(true);
  await first.kill();

  const second = await restartOrchestrator(first, encoded);
  handles.push(second);
  const run = RunSchema.parse((await client(second, TOKENS.alice).get(`/api/v1/runs/${runId}`)).body);
  const stdout = run.output?.stdout ?? '';
  expect(stdout).toContain('GET /v1/lookup?key=[redacted]&ip=10.0.0.1\n');
  expect(stdout).toContain('connecting with [redacted]\n');
  // What is left of the header is the user name's letters and at most a few bits of the token's edges.
  const header = /^authorization: Basic ([A-Za-z0-9+/]*)\[redacted\]([A-Za-z0-9+/=]*)$/m.exec(stdout);
  expect(header).not.toBeNull();
  expect(header![1]!.length).toBeLessThanOrEqual(Math.ceil(('svc-gridside:'.length * 8) / 6));
  expect(header![2]!.length).toBeLessThanOrEqual(4);
  // Every spelling the plugin printed was matched, not only the bytes it decodes to.
  expect(stdout).not.toContain(encodeURIComponent(token));
  expect(Buffer.from(header![1]! + header![2]!, 'base64').toString('latin1')).not.toContain('S3cr3t');
  expect(await second.stop()).toBe(0);
}, 60_000);
