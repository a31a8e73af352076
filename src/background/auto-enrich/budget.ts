import { z } from 'zod';

/**
 * The limits of one console's auto-enrichment, kept by the worker (the page only proposes rows): how many
 * runs were sent to the orchestrator in the last minute, and which of them are still going. Answers from
 * the result cache cost nothing and are not counted.
 *
 * A browser stops an idle extension worker after about 30 seconds and starts it again on the next
 * message, so the budget outlives the worker: it is kept in the browser's session storage (never on disk,
 * gone when the browser quits) and read back by the next worker before it sends anything.
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
  /** What a later worker needs to go on with the same budget. */
  snapshot(): BudgetSnapshot;
}

/** The most runs by values a snapshot keeps, newest last, and the longest values key it keeps. */
export const KEPT_VALUES = 1_000;
export const KEPT_VALUES_KEY_CHARS = 2_000;

const BudgetSnapshotSchema = z.object({
  sentAt: z.array(z.number().finite()).max(10_000),
  going: z.array(z.string().max(200)).max(10_000),
  /**
   * Values key (orchestrator, action, values) → the job rows with those values share: a restarted worker
   * finds the run it made for them instead of sending another (one an action without a cache time would
   * otherwise send again).
   */
  values: z
    .array(z.tuple([z.string().max(KEPT_VALUES_KEY_CHARS), z.string().max(200)]))
    .max(KEPT_VALUES)
    .default([]),
});
export type BudgetSnapshot = z.infer<typeof BudgetSnapshotSchema>;

export function createConsoleBudget(from?: BudgetSnapshot): ConsoleBudget {
  let sentAt: number[] = [...(from?.sentAt ?? [])];
  const going = new Set<string>(from?.going);
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
    snapshot: () => ({ sentAt: [...sentAt], going: [...going], values: [] }),
  };
}

/** Where budgets outlive the worker. */
export interface BudgetKeeper {
  load(origin: string): Promise<BudgetSnapshot | undefined>;
  save(origin: string, snapshot: BudgetSnapshot): Promise<void>;
}

/** The part of a `storage` area the keeper uses (`browser.storage.session`). */
export interface SessionArea {
  get(key: string): Promise<Record<string, unknown>>;
  set(items: Record<string, unknown>): Promise<void>;
}

const keyOf = (origin: string) => `autoEnrichBudget:${origin}`;

/**
 * Budgets in the browser's session storage. Anything unreadable there (another version's shape, a storage
 * error) counts as a fresh budget, as a new browser session would: it never stops auto-enrichment for good.
 */
export function sessionBudgetKeeper(area: SessionArea | undefined): BudgetKeeper {
  return {
    async load(origin) {
      if (!area) return undefined;
      const stored = await area.get(keyOf(origin)).catch(() => ({}) as Record<string, unknown>);
      const parsed = BudgetSnapshotSchema.safeParse(stored[keyOf(origin)]);
      return parsed.success ? parsed.data : undefined;
    },
    async save(origin, snapshot) {
      await area?.set({ [keyOf(origin)]: snapshot }).catch(() => undefined);
    },
  };
}
