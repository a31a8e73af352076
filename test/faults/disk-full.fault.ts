import { spawnSync } from 'node:child_process';
import { appendFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiErrorSchema, RunSchema } from '../../src/core/api.ts';
import { client, rowContext } from '../orchestrator/setup.ts';
import { analystToken, demoConfig } from '../support/e2e-stack.ts';
import {
  type OrchestratorHandle,
  REPO_ROOT,
  restartOrchestrator,
  startOrchestrator,
} from '../support/orchestrator-process.ts';
import { mountSmallDisk, type SmallDisk } from './small-disk.ts';

/**
 * The orchestrator's disk fills up: its database and data folder live on a small file system of their
 * own, which the test fills and empties. Runs are refused with the API's documented error, nothing
 * already recorded is damaged (the database checks whole, the audit chain verifies), a run under way
 * keeps its output and ends once space returns, and the orchestrator never stops serving.
 */

let disk: SmallDisk;
let orchestrator: OrchestratorHandle;
let api: ReturnType<typeof client>;
const ECHO = 'gridside-demo-echo-row/echo-row-fields';
const SLOW = 'gridside-demo-slow-scan/slow-scan-origin-ip';
const options = () => ({
  plugins: 'demo/plugins',
  config: demoConfig(),
  db: path.join(disk.mountPoint, 'orchestrator.db'),
  dataDir: path.join(disk.mountPoint, 'data'),
  wrap: disk.wrap,
  startTimeoutMs: 60_000,
});

beforeAll(async () => {
  disk = await mountSmallDisk(16 * 1024 * 1024);
  orchestrator = await startOrchestrator(options());
  api = client(orchestrator, analystToken(orchestrator.tokens));
});

afterAll(async () => {
  await orchestrator?.stop();
  orchestrator?.cleanup();
  await disk?.close();
});

const filler = () => disk.reach(path.join(disk.mountPoint, 'filler'));

/** Writes one file until the small disk has no byte left. */
function fillDisk(): void {
  for (const size of [256 * 1024, 4096, 64]) {
    try {
      for (;;) appendFileSync(filler(), Buffer.alloc(size));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOSPC') throw error;
    }
  }
}

/**
 * Rows of a query on the orchestrator's database, read inside its mount namespace (SQLite resolves the
 * `/proc/<pid>/root` link and would look outside). A separate reader, as an admin's would be.
 */
function query<T>(sql: string, ...params: unknown[]): T[] {
  const script = `const D = require('better-sqlite3'); const db = new D(process.argv[1], { readonly: true, fileMustExist: true });
process.stdout.write(JSON.stringify(db.prepare(process.argv[2]).all(...JSON.parse(process.argv[3])))); db.close();`;
  const inside = disk.wrap(process.execPath, ['-e', script, orchestrator.db, sql, JSON.stringify(params)]);
  const result = spawnSync(inside.command, inside.args, { cwd: REPO_ROOT, encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`reading the database failed: ${result.stderr}`);
  return JSON.parse(result.stdout) as T[];
}

const integrity = () => query<{ integrity_check: string }>('PRAGMA integrity_check')[0]?.integrity_check;
const runCount = () => query<{ n: number }>('SELECT count(*) AS n FROM runs')[0]?.n ?? -1;
const savedStdout = (runId: string) =>
  query<{ text: string }>(
    "SELECT text FROM output_chunks WHERE run_id = ? AND stream = 'stdout' ORDER BY seq",
    runId,
  )
    .map((row) => row.text)
    .join('');

/** `npm run audit:verify` on the database, as an admin runs it. */
function auditVerify(): { status: number | null; said: string } {
  const inside = disk.wrap(process.execPath, [
    '--import',
    'tsx',
    'src/orchestrator/audit-verify.ts',
    '--db',
    orchestrator.db,
  ]);
  const result = spawnSync(inside.command, inside.args, { cwd: REPO_ROOT, encoding: 'utf8' });
  return { status: result.status, said: `${result.stdout}${result.stderr}` };
}

async function until(condition: () => boolean, what: string, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

const echo = (sip: string) => api.run(ECHO, {}, rowContext({ SIP: sip }));

describe("the orchestrator's disk full", () => {
  let slowRunId = '';
  let runsBefore = 0;

  it('runs normally while there is space', async () => {
    const answer = await echo('192.0.2.1');
    expect(RunSchema.parse(answer.body).status).toBe('succeeded');
  });

  it('refuses new runs with the documented API error, and keeps serving what it has', async () => {
    const slow = await api.post('/api/v1/runs', {
      actionId: SLOW,
      params: { seconds: '4' },
      context: rowContext({ SIP: '192.0.2.2' }),
    });
    expect(slow.status).toBe(201);
    slowRunId = RunSchema.parse(slow.body).id;
    await until(() => savedStdout(slowRunId).includes('progress 1/'), 'the first line saved');
    runsBefore = runCount();

    fillDisk();
    const refused = await api.post('/api/v1/runs', {
      actionId: ECHO,
      params: {},
      context: rowContext({ SIP: '192.0.2.3' }),
    });
    expect(refused.status).toBe(503);
    expect(refused.headers.get('retry-after')).toBe('60');
    const error = ApiErrorSchema.parse(refused.body).error;
    expect(error.message).toContain('disk is full');
    expect(error.message).not.toMatch(/SQLITE|\//);

    expect((await api.get('/api/v1/health')).status).toBe(200);
    expect((await api.get('/api/v1/actions')).status).toBe(200);
    expect((await api.get(`/api/v1/runs/${slowRunId}`)).status).toBe(200);
  });

  it('stays up while a run ends on a full disk, and damages nothing', async () => {
    // Slow Scan ends after 4 s; its end cannot be written yet, so it still reads as running.
    const waited = RunSchema.parse((await api.get(`/api/v1/runs/${slowRunId}?wait=7`)).body);
    expect(waited.status).toBe('running');
    expect(orchestrator.process.exitCode).toBeNull();
    expect(orchestrator.process.signalCode).toBeNull();
    expect(runCount()).toBe(runsBefore); // the refused run left no half-record
    expect(integrity()).toBe('ok');
    const verified = auditVerify();
    expect(verified.status, verified.said).toBe(0);
    expect(verified.said).toMatch(/^OK /);
  });

  it('carries on by itself once space returns: the run under way ends with its whole output', async () => {
    rmSync(filler());
    const ended = RunSchema.parse((await api.get(`/api/v1/runs/${slowRunId}?wait=20`)).body);
    expect(ended.status).toBe('succeeded');
    for (const step of [1, 2, 3, 4]) expect(ended.output?.stdout).toContain(`progress ${step}/4`);
    const again = await echo('192.0.2.4');
    expect(RunSchema.parse(again.body).status).toBe('succeeded');
    expect(integrity()).toBe('ok');
    expect(auditVerify().status).toBe(0);
  });

  it('opens its database again after a restart, every run as it was', async () => {
    await orchestrator.stop();
    orchestrator = await restartOrchestrator(orchestrator, options());
    api = client(orchestrator, analystToken(orchestrator.tokens));
    const run = RunSchema.parse((await api.get(`/api/v1/runs/${slowRunId}`)).body);
    expect(run.status).toBe('succeeded');
    expect(run.output?.stdout).toContain('progress 4/4');
    expect(runCount()).toBe(runsBefore + 1);
  });
});
