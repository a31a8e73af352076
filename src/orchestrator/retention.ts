import type { AuditLog } from './audit.ts';
import type { RetentionConfig } from './service-config.ts';
import type { Db } from './store.ts';

/**
 * Retention for run outputs (stdout, stderr, parsed data), which are what grows: by age, then by total
 * size, oldest first. Only the `outputs` table is touched. The audit trail keeps every record, and no
 * output is part of its hash chain, so the chain stays whole (`gridside-orchestrator audit-verify`); the
 * run itself stays listed, its status, times and parameters with it. Each pass that drops something says
 * so in the audit trail.
 */

export interface RetentionResult {
  droppedByAge: number;
  droppedBySize: number;
  keptBytes: number;
}

/** Bytes an output takes, counted on its UTF-8 text. */
const SIZE = `(length(CAST(o.stdout AS BLOB)) + length(CAST(o.stderr AS BLOB))
  + COALESCE(length(CAST(o.data_json AS BLOB)), 0) + COALESCE(length(CAST(o.taxonomies_json AS BLOB)), 0))`;

export function applyRetention(
  db: Db,
  policy: Pick<RetentionConfig, 'maxAgeDays' | 'maxTotalBytes'>,
  audit?: AuditLog,
  now: Date = new Date(),
): RetentionResult {
  const result = db.transaction((): RetentionResult => {
    let droppedByAge = 0;
    if (policy.maxAgeDays !== undefined) {
      const cutoff = new Date(now.getTime() - policy.maxAgeDays * 86_400_000).toISOString();
      droppedByAge = db
        .prepare(
          `DELETE FROM outputs WHERE run_id IN
           (SELECT id FROM runs WHERE COALESCE(finished_at, created_at) < ?)`,
        )
        .run(cutoff).changes;
    }
    const sized = db
      .prepare(
        `SELECT o.run_id AS runId, ${SIZE} AS bytes FROM outputs o JOIN runs r ON r.id = o.run_id
         ORDER BY COALESCE(r.finished_at, r.created_at) DESC, r.rowid DESC`,
      )
      .all() as { runId: string; bytes: number }[];
    let keptBytes = 0;
    const drop: string[] = [];
    for (const { runId, bytes } of sized) {
      // Newest first: keep while under the limit, drop everything older once it is reached.
      if (policy.maxTotalBytes !== undefined && (drop.length > 0 || keptBytes + bytes > policy.maxTotalBytes))
        drop.push(runId);
      else keptBytes += bytes;
    }
    const remove = db.prepare('DELETE FROM outputs WHERE run_id = ?');
    for (const runId of drop) remove.run(runId);
    return { droppedByAge, droppedBySize: drop.length, keptBytes };
  })();
  if (audit && result.droppedByAge + result.droppedBySize > 0) {
    const why = [
      result.droppedByAge ? `${result.droppedByAge} older than ${policy.maxAgeDays} days` : '',
      result.droppedBySize ? `${result.droppedBySize} beyond ${policy.maxTotalBytes} bytes in total` : '',
    ].filter(Boolean);
    audit.append({
      actor: 'system',
      event: 'outputs.pruned',
      outcome: `retention dropped the outputs of ${result.droppedByAge + result.droppedBySize} runs (${why.join(', ')}); ${result.keptBytes} bytes kept`,
    });
  }
  return result;
}

/** Applies the policy now and every `everyMinutes`; returns a function that stops it. */
export function scheduleRetention(db: Db, policy: RetentionConfig, audit: AuditLog): () => void {
  const pass = (): void => {
    try {
      applyRetention(db, policy, audit);
    } catch (error) {
      process.stderr.write(`gridside-orchestrator: retention failed: ${String(error)}\n`);
    }
  };
  pass();
  const timer = setInterval(pass, policy.everyMinutes * 60_000);
  timer.unref();
  return () => clearInterval(timer);
}
