import type { ApprovalMarks } from '../../core/approval-marks.ts';
import { markKey } from '../../core/approval-marks.ts';
import type { AutoEnrichedMarks } from '../../core/auto-enriched.ts';
import type { PinMarkers } from '../../core/pins.ts';
import { ask } from '../background-channel.ts';
import type { ContentSession } from '../content-session.ts';
import { rowsOnScreen } from '../grid/rows-on-screen.ts';

/**
 * What the background knows about the rows on screen now, asked in one `marks.onScreen` message for every
 * rendered row: their pins, the runs waiting for this analyst's approval, the runs trigger rules started
 * for them, and which fields this console's auto-enrichment reads. One message, not one per kind: the
 * question is asked at every rest, and in a CPU profile the four messages it replaced cost the page's
 * main thread 2.0–2.3 ms a rest, this one 1.6 ms (docs/benchmarks-history.md, twenty-third round).
 */

/** Same limits as the background's schema (core/messages.ts), kept here so zod stays out of the page. */
const MAX_KEYS = 200;
const MAX_KEY_CHARS = 2048;

export type MarksOnScreen =
  /** No row of a grid is on screen: every mark goes. */
  | { kind: 'no-rows' }
  /** No question was answered: leave the marks as they are. */
  | { kind: 'unanswered' }
  | {
      kind: 'answered';
      pins: PinMarkers;
      approvals: ApprovalMarks;
      auto: AutoEnrichedMarks;
      /** The fields auto-enrichment reads on this console (none while it is off). */
      autoFields: string[];
    };

export async function askMarksOnScreen(session: ContentSession): Promise<MarksOnScreen> {
  const rows = rowsOnScreen(session, MAX_KEYS).filter((row) => row.key.length <= MAX_KEY_CHARS);
  if (rows.length === 0) return { kind: 'no-rows' };
  const marked = [...new Map(rows.map((row) => [markKey(row), { key: row.key, kind: row.kind }])).values()];
  const reply = await ask({ type: 'marks.onScreen', console: session.origin, rows: marked });
  // Marks are a hint: a kind the background could not answer draws nothing, quietly.
  if (!reply.ok) return { kind: 'unanswered' };
  const { pins, approvals, auto, autoFields } = reply.data;
  if (!pins && !approvals && !auto) return { kind: 'unanswered' };
  return { kind: 'answered', pins: pins ?? {}, approvals: approvals ?? {}, auto: auto ?? {}, autoFields };
}
