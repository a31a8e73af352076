import { spawnSync } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { recordHash } from '../../src/orchestrator/audit.ts';
import { type OrchestratorHandle, REPO_ROOT, startOrchestrator } from '../support/orchestrator-process.ts';
import { baseConfig, client, PLUGINS, rowContext, TOKENS } from './setup.ts';

/**
 * Signed checkpoints anchor the audit trail outside the database: dropping the last records, or editing
 * one and recomputing every hash after it, passes the hash chain but not `audit:verify` with the key.
 */

let orch: OrchestratorHandle;
let keys: string;
let checkpointFile: string;

beforeAll(async () => {
  keys = mkdtempSync(path.join(tmpdir(), 'gridside-anchor-'));
  const { publicKey, privateKey } = generateKeyPairSync('ed25519');
  const privateKeyFile = path.join(keys, 'audit-key.pem');
  writeFileSync(privateKeyFile, privateKey.export({ type: 'pkcs8', format: 'pem' }), { mode: 0o600 });
  checkpointFile = path.join(keys, 'checkpoints.jsonl');
  orch = await startOrchestrator({
    plugins: PLUGINS,
    config: baseConfig({
      auditAnchor: {
        publicKey: publicKey.export({ type: 'spki', format: 'pem' }),
        privateKeyFile,
        checkpointFile,
        everyRecords: 4,
      },
    }),
  });
  const alice = client(orch, TOKENS.alice);
  for (const ip of ['10.0.0.1', '10.0.0.2', '10.0.0.3']) {
    const run = await alice.run('test-echo/echo-row', {}, rowContext({ SIP: ip }));
    expect(run.body.status).toBe('succeeded');
  }
  expect(await orch.stop()).toBe(0); // a last checkpoint at shutdown
});
afterAll(() => {
  orch.cleanup();
  rmSync(keys, { recursive: true, force: true });
});

const verify = (db: string) =>
  spawnSync(
    path.join(REPO_ROOT, 'node_modules/.bin/tsx'),
    ['src/orchestrator/audit-verify.ts', '--db', db, '--config', orch.configFile],
    { cwd: REPO_ROOT, encoding: 'utf8' },
  );

/** A copy of the database to tamper with, as someone holding the file would. */
function tamperedCopy(change: (db: Database.Database) => void): string {
  const copy = path.join(orch.workDir, `tampered-${Math.random().toString(36).slice(2)}.db`);
  copyFileSync(orch.db, copy);
  const db = new Database(copy);
  db.exec('DROP TRIGGER audit_no_update; DROP TRIGGER audit_no_delete;');
  change(db);
  db.close();
  return copy;
}

interface Row {
  seq: number;
  at: string;
  actor: string;
  event: string;
  run_id: string | null;
  action_id: string | null;
  params_json: string | null;
  outcome: string;
  prev_hash: string;
  hash: string;
}

describe('audit anchoring', () => {
  it('writes signed checkpoints to the trail and to the external file, and verifies them', () => {
    const lines = readFileSync(checkpointFile, 'utf8').trim().split('\n');
    expect(lines.length).toBeGreaterThanOrEqual(3);
    const intact = verify(orch.db);
    expect(intact.stdout).toMatch(/^OK \d+ audit records, hash chain intact/);
    expect(intact.stdout).toContain('ANCHORED');
    expect(intact.status).toBe(0);
  });

  it('reports the last records dropped, which the hash chain alone cannot see', () => {
    const copy = tamperedCopy((db) => {
      const { last } = db.prepare('SELECT max(seq) AS last FROM audit').get() as { last: number };
      db.prepare('DELETE FROM audit WHERE seq > ?').run(last - 5);
    });
    const result = verify(copy);
    expect(result.stdout).toMatch(/^OK \d+ audit records, hash chain intact/); // the chain is fooled…
    expect(result.stdout).toMatch(/TRUNCATED: a checkpoint .* counted \d+ records; the database has \d+/);
    expect(result.status).toBe(1);
  });

  it('reports a record edited with every hash after it recomputed', () => {
    const copy = tamperedCopy((db) => {
      const rows = db.prepare('SELECT * FROM audit ORDER BY seq').all() as Row[];
      let prevHash = '0'.repeat(64);
      for (const row of rows) {
        const actor = row.seq === 2 ? 'nobody' : row.actor;
        const content = {
          seq: row.seq,
          at: row.at,
          actor,
          event: row.event,
          runId: row.run_id,
          actionId: row.action_id,
          params: row.params_json === null ? null : JSON.parse(row.params_json),
          outcome: row.outcome,
          prevHash,
        };
        const hash = recordHash(content);
        db.prepare('UPDATE audit SET actor = ?, prev_hash = ?, hash = ? WHERE seq = ?').run(
          actor,
          prevHash,
          hash,
          row.seq,
        );
        prevHash = hash;
      }
    });
    const result = verify(copy);
    expect(result.stdout).toMatch(/^OK \d+ audit records, hash chain intact/); // …and so is it here
    expect(result.stdout).toMatch(/RE-CHAINED: record \d+ no longer has the hash a checkpoint signed/);
    expect(result.status).toBe(1);
  });

  it('says so when there is no key to check with', () => {
    const result = spawnSync(
      path.join(REPO_ROOT, 'node_modules/.bin/tsx'),
      ['src/orchestrator/audit-verify.ts', '--db', orch.db],
      { cwd: REPO_ROOT, encoding: 'utf8' },
    );
    expect(result.status).toBe(0);
    expect(result.stdout).toContain('NOT ANCHORED');
  });
});
