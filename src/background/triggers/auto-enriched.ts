import type { Run } from '../../core/api.ts';
import { type MarkedRow, markKey } from '../../core/approval-marks.ts';
import { type AutoEnrichedMark, type AutoEnrichedMarks, isUnfinishedMark } from '../../core/auto-enriched.ts';
import type { Settings } from '../../core/settings.ts';
import type { Connector } from '../connectors/connector.ts';
import { UserError } from '../user-error.ts';

/**
 * The background's side of "auto-enriched" on rows (core/auto-enriched.ts): one question per screen of
 * rows to each enabled orchestrator that has triggers (`POST /api/v1/triggered-runs`), never from the
 * page itself. Finished answers, and "nothing ran for this row", are kept for `MARKS_TTL_MS`, so scrolling
 * back and forth costs no request; a run still going is asked again at the next question.
 */

export const MARKS_TTL_MS = 15_000;
const MAX_CACHED = 5000;

export interface AutoEnrichedService {
  marks(rows: MarkedRow[]): Promise<AutoEnrichedMarks>;
  /** The triggered run of one row, asked afresh (the page names the row, never the run). */
  run(row: MarkedRow): Promise<Run>;
}

/** A mark as the background keeps it: with when its run was started, to pick the newer of two. */
type Found = AutoEnrichedMark & { createdAt: string };

export function createAutoEnrichedMarks(deps: {
  settings: () => Promise<Settings>;
  connector: (orchestratorId: string) => Promise<Connector>;
  now?: () => number;
}): AutoEnrichedService {
  const now = deps.now ?? Date.now;
  const cache = new Map<string, { at: number; mark: Found | null }>();

  async function ask(rows: MarkedRow[]): Promise<Map<string, Found>> {
    const found = new Map<string, Found>();
    const entries = (await deps.settings()).orchestrators.filter(
      (entry) => entry.enabled && entry.kind === 'gridside',
    );
    await Promise.all(
      entries.map(async (entry) => {
        try {
          const connector = await deps.connector(entry.id);
          if (!connector.triggeredRuns) return;
          const answer = await connector.triggeredRuns(rows.map((row) => ({ kind: row.kind, key: row.key })));
          for (const [key, run] of Object.entries(answer.rows)) {
            const earlier = found.get(key);
            // Two orchestrators enriched the same row: the newer run wins.
            if (earlier && earlier.createdAt > run.createdAt) continue;
            found.set(key, { orchestratorId: entry.id, ...run });
          }
        } catch {
          // Marks are a hint: an orchestrator that cannot answer (an older one, down, no token) adds none.
        }
      }),
    );
    return found;
  }

  return {
    async marks(rows) {
      const at = now();
      const unique = [...new Map(rows.map((row) => [markKey(row), row])).values()];
      const stale = unique.filter((row) => {
        const cached = cache.get(markKey(row));
        return !cached || at - cached.at >= MARKS_TTL_MS;
      });
      const found = stale.length > 0 ? await ask(stale) : new Map<string, Found>();
      if (cache.size > MAX_CACHED) cache.clear();
      for (const row of stale) {
        const key = markKey(row);
        const mark = found.get(key) ?? null;
        // A run still going is asked about again next time: its verdict is on its way.
        if (mark && isUnfinishedMark(mark)) cache.delete(key);
        else cache.set(key, { at, mark });
      }
      const marks: AutoEnrichedMarks = {};
      for (const row of unique) {
        const key = markKey(row);
        const mark = found.get(key) ?? cache.get(key)?.mark;
        if (mark) marks[key] = publicMark(mark);
      }
      return marks;
    },

    async run(row) {
      const mark = (await ask([row])).get(markKey(row));
      if (!mark) throw new UserError('not_found', 'No trigger has enriched this row.');
      const connector = await deps.connector(mark.orchestratorId);
      return connector.getRun(mark.runId);
    },
  };
}

/** The mark as the page gets it (no bookkeeping fields). */
function publicMark(mark: AutoEnrichedMark): AutoEnrichedMark {
  const { orchestratorId, runId, rule, actionName, status, verdict, summary } = mark;
  return { orchestratorId, runId, rule, actionName, status, verdict, summary };
}
