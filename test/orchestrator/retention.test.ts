import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { AuditLog, verifyAuditChain } from '../../src/orchestrator/audit.ts';
import { applyRetention } from '../../src/orchestrator/retention.ts';
import { type Db, openDb, RunStore } from '../../src/orchestrator/store.ts';
import { startOrchestrator } from '../support/orchestrator-process.ts';
import { baseConfig, client, PLUGINS, rowContext, TOKENS, waitUntil } from './setup.ts';

/**
 * Retention drops old and excess run outputs, never a run, never an audit record: the hash chain checks
 * out before and after, and the pass itself is in the audit trail.
 */

let dir: string;
let db: Db;
let store: RunStore;
let audit: AuditLog;
const NOW = new Date('2026-12-04T12:00:00Z');

beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'gridside-retention-'));
  db = openDb(path.join(dir, 'orchestrator.db'));
  store = new RunStore(db);
  audit = new AuditLog(db);
});
afterEach(() => {
  db.close();
  rmSync(dir, { recursive: true, force: true });
});

/** A finished run `daysAgo` days before NOW with `bytes` of stdout, audited as the orchestrator would. */
function finishedRun(id: string, daysAgo: number, bytes: number): void {
  const at = new Date(NOW.getTime() - daysAgo * 86_400_000).toISOString();
  store.insert({
    id,
    actionId: 'test-echo/echo-row',
    actionName: 'Echo Row',
    status: 'succeeded',
    requestedBy: 'alice',
    params: { Value: id },
    alarmId: null,
    rowKey: id,
    reason: null,
    createdAt: at,
    startedAt: at,
    finishedAt: at,
    durationMs: 10,
    pid: null,
  });
  audit.append({ actor: 'alice', event: 'run.requested', runId: id, outcome: 'queued' });
  store.saveOutput(id, { stdout: 'x'.repeat(bytes), stderr: '', exitCode: 0, truncated: false });
  audit.append({ actor: 'system', event: 'run.finished', runId: id, outcome: 'succeeded' });
}

const kept = (): string[] =>
  (db.prepare('SELECT run_id FROM outputs ORDER BY run_id').all() as { run_id: string }[]).map(
    (r) => r.run_id,
  );

it('drops outputs older than maxAgeDays and keeps the runs and the audit chain whole', () => {
  finishedRun('old-1', 40, 100);
  finishedRun('old-2', 31, 100);
  finishedRun('new-1', 2, 100);
  const before = verifyAuditChain(db);
  expect(before.ok).toBe(true);

  const result = applyRetention(db, { maxAgeDays: 30 }, audit, NOW);
  expect(result).toMatchObject({ droppedByAge: 2, droppedBySize: 0 });
  expect(kept()).toEqual(['new-1']);
  expect(store.get('old-1')?.status).toBe('succeeded');
  expect(store.output('old-1')).toBeNull();

  const after = verifyAuditChain(db);
  expect(after).toEqual({ ok: true, count: before.count + 1 });
  const last = db.prepare('SELECT event, outcome FROM audit ORDER BY seq DESC LIMIT 1').get() as {
    event: string;
    outcome: string;
  };
  expect(last.event).toBe('outputs.pruned');
  expect(last.outcome).toContain('2 older than 30 days');
});

it('drops the oldest outputs until the rest fit in maxTotalBytes', () => {
  finishedRun('a', 5, 400);
  finishedRun('b', 4, 400);
  finishedRun('c', 3, 400);
  finishedRun('d', 1, 400);
  const result = applyRetention(db, { maxTotalBytes: 1000 }, audit, NOW);
  expect(result).toMatchObject({ droppedByAge: 0, droppedBySize: 2, keptBytes: 800 });
  expect(kept()).toEqual(['c', 'd']);
  expect(verifyAuditChain(db).ok).toBe(true);
});

it('does nothing, and records nothing, when everything fits', () => {
  finishedRun('a', 1, 10);
  const count = verifyAuditChain(db).count;
  expect(applyRetention(db, { maxAgeDays: 30, maxTotalBytes: 1000 }, audit, NOW)).toMatchObject({
    droppedByAge: 0,
    droppedBySize: 0,
  });
  expect(kept()).toEqual(['a']);
  expect(verifyAuditChain(db).count).toBe(count);
});

it('runs inside the orchestrator on its schedule', async () => {
  // A limit of one byte and a pass every 0.6 s: each output is dropped soon after its run ends.
  const orch = await startOrchestrator({
    plugins: PLUGINS,
    config: baseConfig({ retention: { maxTotalBytes: 1, everyMinutes: 0.01 } }),
  });
  try {
    const alice = client(orch, TOKENS.alice);
    const done = await alice.run('test-echo/echo-row', {}, rowContext({ AlarmId: '1' }));
    expect(done.body.status).toBe('succeeded');
    expect(done.body.output).not.toBeNull();
    const id = done.body.id as string;
    let pruned = false;
    await waitUntil(() => {
      const db = new Database(orch.db, { readonly: true });
      try {
        pruned = db.prepare("SELECT 1 FROM audit WHERE event = 'outputs.pruned'").get() !== undefined;
      } finally {
        db.close();
      }
      return pruned;
    }, 20_000);
    expect(pruned).toBe(true);
    const after = await alice.get(`/api/v1/runs/${id}`);
    expect(after.body.status).toBe('succeeded');
    expect(after.body.output).toBeNull();
    const copy = new Database(orch.db, { readonly: true });
    try {
      expect(verifyAuditChain(copy).ok).toBe(true);
    } finally {
      copy.close();
    }
  } finally {
    await orch.stop();
    orch.cleanup();
  }
});
