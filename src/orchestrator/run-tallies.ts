import type { Db } from './sqlite.ts';

/**
 * Running totals of the runs table for `/metrics`: runs per action and status, and the run-duration
 * histogram. Counting them at each scrape read every run ever recorded, so with a million runs a scrape
 * held the orchestrator's one thread for seconds, long polls and run starts waiting behind it. SQLite
 * triggers keep the totals in the same transaction as every insert, status change and delete of a run, so
 * they cannot drift from the runs themselves, and a scrape reads a few dozen rows.
 *
 * A database from before the totals existed, or whose histogram bounds differ from `DURATION_BUCKETS`, is
 * counted once when it is opened.
 */

/** Upper bounds (seconds) of the run duration histogram: a lookup takes a second, a sandbox minutes. */
export const DURATION_BUCKETS = [0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600];

const TABLES = `
CREATE TABLE IF NOT EXISTS run_counts (
  action_id TEXT NOT NULL,
  status TEXT NOT NULL,
  n INTEGER NOT NULL,
  PRIMARY KEY (action_id, status)
) WITHOUT ROWID;
-- One row per histogram bound (le_ms), cumulative as Prometheus buckets are; le_ms = -1 holds the count
-- and the sum of every recorded duration.
CREATE TABLE IF NOT EXISTS run_durations (
  le_ms REAL PRIMARY KEY,
  n INTEGER NOT NULL,
  total_ms INTEGER NOT NULL
);
`;

const count = (row: 'NEW' | 'OLD', by: '+' | '-') =>
  by === '+'
    ? `INSERT INTO run_counts (action_id, status, n) VALUES (NEW.action_id, NEW.status, 1)
         ON CONFLICT (action_id, status) DO UPDATE SET n = n + 1;`
    : `UPDATE run_counts SET n = n - 1 WHERE action_id = ${row}.action_id AND status = ${row}.status;`;

const duration = (row: 'NEW' | 'OLD', by: '+' | '-') =>
  `UPDATE run_durations SET n = n ${by} 1, total_ms = total_ms ${by} ${row}.duration_ms
     WHERE ${row}.duration_ms IS NOT NULL AND (le_ms = -1 OR ${row}.duration_ms <= le_ms);`;

const TRIGGERS = `
CREATE TRIGGER IF NOT EXISTS run_tallies_insert AFTER INSERT ON runs BEGIN
  ${count('NEW', '+')}
  ${duration('NEW', '+')}
END;
CREATE TRIGGER IF NOT EXISTS run_tallies_update AFTER UPDATE OF action_id, status, duration_ms ON runs BEGIN
  ${count('OLD', '-')}
  ${count('NEW', '+')}
  ${duration('OLD', '-')}
  ${duration('NEW', '+')}
END;
CREATE TRIGGER IF NOT EXISTS run_tallies_delete AFTER DELETE ON runs BEGIN
  ${count('OLD', '-')}
  ${duration('OLD', '-')}
END;
`;

/** Creates the totals and their triggers; counts the runs once when the totals are new or out of date. */
export function keepRunTallies(db: Db): void {
  db.transaction(() => {
    const existed = db
      .prepare("SELECT COUNT(*) AS n FROM sqlite_master WHERE type = 'table' AND name = 'run_counts'")
      .get() as { n: number };
    db.exec(TABLES);
    const bounds = (
      db.prepare('SELECT le_ms FROM run_durations WHERE le_ms >= 0 ORDER BY le_ms').all() as {
        le_ms: number;
      }[]
    ).map((row) => row.le_ms);
    const wanted = DURATION_BUCKETS.map((le) => le * 1000);
    const current = existed.n === 1 && bounds.join() === wanted.join();
    if (!current) recount(db, wanted);
    db.exec(TRIGGERS);
  })();
}

function recount(db: Db, bounds: number[]): void {
  db.exec('DELETE FROM run_counts; DELETE FROM run_durations;');
  db.exec(`INSERT INTO run_counts (action_id, status, n)
           SELECT action_id, status, COUNT(*) FROM runs GROUP BY action_id, status`);
  const bucket = db.prepare(
    `INSERT INTO run_durations (le_ms, n, total_ms)
     SELECT ?, COUNT(*), COALESCE(SUM(duration_ms), 0) FROM runs
     WHERE duration_ms IS NOT NULL AND (? = -1 OR duration_ms <= ?)`,
  );
  for (const le of [-1, ...bounds]) bucket.run(le, le, le);
}

export interface RunTallies {
  byActionAndStatus: { action: string; status: string; n: number }[];
  /** Runs in each status, summed over actions. */
  inStatus(status: string): number;
  durations: { n: number; totalMs: number; buckets: { leMs: number; n: number }[] };
}

export function readRunTallies(db: Db): RunTallies {
  const byActionAndStatus = db
    .prepare('SELECT action_id AS action, status, n FROM run_counts WHERE n > 0 ORDER BY 1, 2')
    .all() as { action: string; status: string; n: number }[];
  const rows = db.prepare('SELECT le_ms, n, total_ms FROM run_durations ORDER BY le_ms').all() as {
    le_ms: number;
    n: number;
    total_ms: number;
  }[];
  const all = rows.find((row) => row.le_ms === -1);
  return {
    byActionAndStatus,
    inStatus: (status) =>
      byActionAndStatus.filter((row) => row.status === status).reduce((sum, row) => sum + row.n, 0),
    durations: {
      n: all?.n ?? 0,
      totalMs: all?.total_ms ?? 0,
      buckets: rows.filter((row) => row.le_ms >= 0).map((row) => ({ leMs: row.le_ms, n: row.n })),
    },
  };
}
