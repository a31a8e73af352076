/**
 * The limits of one console's auto-enrichment, kept by the worker (the page only proposes rows): how many
 * runs were sent to the orchestrator in the last minute, and which of them are still going. Answers from
 * the result cache cost nothing and are not counted. Kept in memory: a restarted worker starts a fresh
 * minute, which can at most let one more minute's budget through.
 */

export const BUDGET_WINDOW_MS = 60_000;

export interface ConsoleBudget {
  /** Runs sent within the last minute. */
  spent(now: number): number;
  /** Milliseconds until the oldest run of the minute leaves the window (0 when there is room). */
  nextRoomIn(now: number, perMinute: number): number;
  /** A run was sent now. */
  spend(now: number, jobId: string): void;
  /** Ids of the runs still counted as going (the caller drops the finished ones). */
  running(): ReadonlySet<string>;
  finished(jobId: string): void;
}

export function createConsoleBudget(): ConsoleBudget {
  let sentAt: number[] = [];
  const going = new Set<string>();
  const prune = (now: number) => {
    sentAt = sentAt.filter((at) => now - at < BUDGET_WINDOW_MS);
  };
  return {
    spent(now) {
      prune(now);
      return sentAt.length;
    },
    nextRoomIn(now, perMinute) {
      prune(now);
      if (sentAt.length < perMinute) return 0;
      // The run that must leave the window before another may start.
      const oldest = sentAt[sentAt.length - perMinute]!;
      return Math.max(1, oldest + BUDGET_WINDOW_MS - now);
    },
    spend(now, jobId) {
      sentAt.push(now);
      going.add(jobId);
    },
    running: () => going,
    finished(jobId) {
      going.delete(jobId);
    },
  };
}
