import { GENESIS_HASH, recordHash } from '../../src/orchestrator/audit.ts';
import type { Db } from '../../src/orchestrator/sqlite.ts';

/**
 * Fills an orchestrator database with `count` runs of the shape real ones have, straight into
 * SQLite in one transaction: a run row, its output and the three audit records every run leaves
 * (requested, started, finished), chained by hash exactly as the orchestrator chains them, so
 * `audit:verify` accepts the result. Runs are spread over the past year, oldest first, across 20 actions,
 * five runs per row key (`seedRowKeys`); one in five carries an alarm id (`alarm-<n>`, n a multiple of 5),
 * one in 20 failed, and the newest 100 wait for an approver, so the approvals list has as much to show
 * on a small database as on a large one. Returns how long the seeding took.
 */
export const seedRowKeys = (count: number): number => Math.max(1, Math.floor(count / 5));

export function seedRuns(
  db: Db,
  count: number,
  now = Date.now(),
  /** Ids start here, so a database can be filled in several calls (bench:memory grows one in steps). */
  first = 0,
): { ms: number; pending: number } {
  const started = performance.now();
  const yearMs = 365 * 24 * 3600 * 1000;
  const insertRun = db.prepare(
    `INSERT INTO runs (id, action_id, action_name, status, requested_by, params_json, alarm_id, row_key,
     reason, created_at, started_at, finished_at, duration_ms, pid)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const insertOutput = db.prepare(
    `INSERT INTO outputs (run_id, stdout, stderr, exit_code, truncated, taxonomies_json, data_json)
     VALUES (?, ?, ?, ?, ?, ?, ?)`,
  );
  const insertAudit = db.prepare(
    `INSERT INTO audit (seq, at, actor, event, run_id, action_id, params_json, outcome, prev_hash, hash)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const last = db.prepare('SELECT seq, hash FROM audit ORDER BY seq DESC LIMIT 1').get() as
    | { seq: number; hash: string }
    | undefined;
  let seq = last?.seq ?? 0;
  let prevHash = last?.hash ?? GENESIS_HASH;
  const pendingFrom = count - Math.min(100, count);
  const keys = seedRowKeys(count);
  const audit = (
    at: string,
    actor: string,
    event: string,
    runId: string,
    actionId: string,
    params: Record<string, string> | null,
    outcome: string,
  ) => {
    seq += 1;
    const base = { seq, at, actor, event, runId, actionId, params, outcome, prevHash };
    const hash = recordHash(base);
    insertAudit.run(
      seq,
      at,
      actor,
      event,
      runId,
      actionId,
      params && JSON.stringify(params),
      outcome,
      prevHash,
      hash,
    );
    prevHash = hash;
  };

  db.transaction(() => {
    for (let i = 0; i < count; i += 1) {
      const id = `seed-${(first + i).toString(36).padStart(8, '0')}-0000-4000-8000-000000000000`;
      const action = i % 20;
      const actionId = `seed/action-${action}`;
      const ip = `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`;
      const params = { SIP: ip };
      const createdMs = now - yearMs + Math.floor((i / count) * yearMs);
      const createdAt = new Date(createdMs).toISOString();
      const pending = i >= pendingFrom;
      const failed = !pending && i % 20 === 7;
      const status = pending ? 'pending_approval' : failed ? 'failed' : 'succeeded';
      const duration = 40 + (i % 200);
      const startedAt = pending ? null : new Date(createdMs + 3).toISOString();
      const finishedAt = pending ? null : new Date(createdMs + 3 + duration).toISOString();
      insertRun.run(
        id,
        actionId,
        `Seeded action ${action}`,
        status,
        `analyst-${i % 25}`,
        JSON.stringify(params),
        i % 5 === 0 ? `alarm-${i}` : null,
        `log-${i % keys}`,
        failed ? 'the plugin exited with code 1' : null,
        createdAt,
        startedAt,
        finishedAt,
        pending ? null : duration,
        null,
      );
      audit(
        createdAt,
        `analyst-${i % 25}`,
        'run.requested',
        id,
        actionId,
        params,
        status === 'pending_approval' ? status : 'queued',
      );
      if (pending) continue;
      const stdout = JSON.stringify({
        success: !failed,
        summary: {
          taxonomies: [
            { level: failed ? 'info' : 'safe', namespace: 'Rep', predicate: 'Score', value: String(i % 100) },
          ],
        },
        full: { ip, asn: `AS${64_512 + (i % 1000)}`, country: 'NL', seen: i % 7 },
      });
      insertOutput.run(id, stdout, failed ? 'lookup failed\n' : '', failed ? 1 : 0, 0, null, null);
      audit(startedAt!, 'system', 'run.started', id, actionId, null, 'running');
      audit(
        finishedAt!,
        'system',
        'run.finished',
        id,
        actionId,
        null,
        failed ? 'failed (exit code 1): the plugin exited with code 1' : 'succeeded (exit code 0)',
      );
    }
  })();
  return { ms: performance.now() - started, pending: count - pendingFrom };
}
