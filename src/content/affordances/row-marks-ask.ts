import type { ApprovalMarks } from '../../core/approval-marks.ts';
import { markKey } from '../../core/approval-marks.ts';
import type { AutoEnrichedMarks } from '../../core/auto-enriched.ts';
import type { PinMarkers } from '../../core/pins.ts';
import { ask } from '../background-channel.ts';
import type { ContentSession } from '../content-session.ts';
import { rowsOnScreen } from '../grid/rows-on-screen.ts';

/**
 * What the background knows about the rows on screen now: their pins (one `pins.markers`), the runs
 * waiting for this analyst's approval (one `approvals.marks`) and the runs the orchestrators' trigger
 * rules started for them (one `triggers.marks`), asked together for every rendered row.
 */

/** Same limits as the background's schema (core/pins.ts), kept here so zod stays out of the page. */
const MAX_KEYS = 200;
const MAX_KEY_CHARS = 2048;

export type MarksOnScreen =
  /** No row of a grid is on screen: every mark goes. */
  | { kind: 'no-rows' }
  /** No question was answered: leave the marks as they are. */
  | { kind: 'unanswered' }
  | { kind: 'answered'; pins: PinMarkers; approvals: ApprovalMarks; auto: AutoEnrichedMarks };

export async function askMarksOnScreen(session: ContentSession): Promise<MarksOnScreen> {
  const rows = rowsOnScreen(session, MAX_KEYS).filter((row) => row.key.length <= MAX_KEY_CHARS);
  const keys = [...new Set(rows.map((row) => row.key))];
  if (keys.length === 0) return { kind: 'no-rows' };
  const marked = [...new Map(rows.map((row) => [markKey(row), { key: row.key, kind: row.kind }])).values()];
  const [pins, approvals, auto] = await Promise.all([
    ask({ type: 'pins.markers', console: session.origin, rowKeys: keys }),
    ask({ type: 'approvals.marks', rows: marked }),
    ask({ type: 'triggers.marks', rows: marked }),
  ]);
  // Marks are a hint: a failed answer draws nothing of its kind, quietly.
  if (!pins.ok && !approvals.ok && !auto.ok) return { kind: 'unanswered' };
  return {
    kind: 'answered',
    pins: pins.ok ? pins.data : {},
    approvals: approvals.ok ? approvals.data : {},
    auto: auto.ok ? auto.data : {},
  };
}
