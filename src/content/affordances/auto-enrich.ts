import type { RowContext } from '../../core/row-context.ts';
import { ask } from '../background-channel.ts';
import type { ContentFeature, ContentSession } from '../content-session.ts';
import { readRow } from '../grid/read-row.ts';
import { rowsOnScreen } from '../grid/rows-on-screen.ts';
import { marksStale, onRowsSettled } from '../rows-settled.ts';

/**
 * In-grid auto-enrichment, the page's part (docs/auto-enrichment.md): when the rows on screen have settled
 * (the row marks just asked about them, after a scroll came to rest: no scroll listener of its own), it
 * asks the worker which fields this console's rules read, and proposes the rows still on screen with only
 * those fields. It decides nothing: the worker checks the switch, the rules, that the action is
 * read-only, the cache, the budget and the cap. Nothing is proposed while the tab is hidden. The verdicts
 * come back as the rows' "Auto" chips through the row marks.
 */

/** Same limit as the worker's schema (core/auto-enrich.ts), kept here so zod stays out of the page. */
const MAX_ROWS = 200;

export const autoEnrich: ContentFeature = {
  id: 'auto-enrich',
  init(session: ContentSession, signal: AbortSignal) {
    let busy = false;
    let again = false;
    let retry: ReturnType<typeof setTimeout> | undefined;

    const propose = async () => {
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
        if (reply.data.retryAfterMs !== null)
          retry = setTimeout(() => void propose(), reply.data.retryAfterMs);
      } finally {
        busy = false;
        if (again) {
          again = false;
          void propose();
        }
      }
    };

    onRowsSettled(() => void propose(), signal);
    // Back from another tab: the rows on screen may never have been proposed.
    document.addEventListener(
      'visibilitychange',
      () => {
        if (document.visibilityState === 'visible') void propose();
        else clearTimeout(retry);
      },
      { signal },
    );
    signal.addEventListener('abort', () => clearTimeout(retry), { once: true });
  },
};

/** The rows on screen with a value in a field the rules read, carrying only those fields. */
function rowsToPropose(session: ContentSession, fields: readonly string[]): RowContext[] {
  const rows: RowContext[] = [];
  for (const { hit } of rowsOnScreen(session, MAX_ROWS)) {
    const { context } = readRow(hit, { console: session.origin, fieldOverrides: session.fieldOverrides });
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
