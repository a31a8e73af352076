import type { RowContext } from '../../core/row-context.ts';
import { ask } from '../background-channel.ts';
import type { ContentSession } from '../content-session.ts';
import { rowsOnScreen } from '../grid/rows-on-screen.ts';
import { marksStale } from '../rows-settled.ts';

/**
 * Proposing the rows on screen to the worker's auto-enrichment (auto-enrich.ts loads this the first time
 * the console has a rule switched on, so a console without one never loads it). One proposal at a time;
 * rows the worker makes wait (budget, run slots) are proposed again when it says, if still on screen.
 */

/** Same limit as the worker's schema (core/auto-enrich.ts), kept here so zod stays out of the page. */
const MAX_ROWS = 200;

export interface Proposer {
  propose(): void;
  /** The tab was hidden: a pending retry waits until it shows again. */
  pause(): void;
}

export function createProposer(session: ContentSession, signal: AbortSignal): Proposer {
  let busy = false;
  let again = false;
  let retry: ReturnType<typeof setTimeout> | undefined;
  signal.addEventListener('abort', () => clearTimeout(retry), { once: true });

  const propose = async (): Promise<void> => {
    if (signal.aborted || document.visibilityState !== 'visible') return;
    if (busy) {
      again = true;
      return;
    }
    busy = true;
    try {
      const wanted = await ask({ type: 'auto.fields' });
      if (!wanted.ok || wanted.data.fields.length === 0 || signal.aborted) return;
      if (document.visibilityState !== 'visible') return;
      const rows = rowsToPropose(session, wanted.data.fields);
      if (rows.length === 0) return;
      const reply = await ask({ type: 'auto.propose', rows });
      if (!reply.ok || signal.aborted) return;
      // New chips (running, or a verdict from the cache) are on their way: the marks ask again.
      if (reply.data.started > 0 || reply.data.shared > 0) marksStale();
      clearTimeout(retry);
      if (reply.data.retryAfterMs !== null) retry = setTimeout(() => void propose(), reply.data.retryAfterMs);
    } finally {
      busy = false;
      if (again) {
        again = false;
        void propose();
      }
    }
  };

  return {
    propose: () => void propose(),
    pause: () => clearTimeout(retry),
  };
}

/** The rows on screen with a value in a field the rules read, carrying only those fields. */
function rowsToPropose(session: ContentSession, fields: readonly string[]): RowContext[] {
  const rows: RowContext[] = [];
  for (const { context } of rowsOnScreen(session, MAX_ROWS)) {
    const picked: Record<string, string> = {};
    for (const field of fields) {
      const value = context.fields[field];
      if (value) picked[field] = value;
    }
    if (Object.keys(picked).length === 0) continue;
    // Column labels and the rest of the row stay in the page: the rules read these fields only.
    rows.push({ ...context, fields: picked, labels: {}, missing: [], truncated: [] });
  }
  return rows;
}
