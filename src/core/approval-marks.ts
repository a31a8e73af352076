import type { Run } from './api.ts';
import type { RowKind } from './row-context.ts';

/**
 * "Waiting for your approval" on the alarm's row (docs/architecture.md §5): an approver browsing the console sees,
 * beside each row on screen, the runs of that row that wait for their decision. The content script asks
 * for the rows on screen in the row marks' one `marks.onScreen` message; a click on a mark asks
 * the background to open the approval window for that row's runs. The decision itself is only ever taken
 * in that extension page: a console page cannot approve anything, it can at most ask for the window to open
 * for runs that already wait for this analyst. No zod here: the content script imports this module (the
 * request schemas live in messages.ts).
 */

/** A row on the analyst's screen, as the content script names it. */
export interface MarkedRow {
  key: string;
  kind: RowKind;
}

/** One row's mark: how many runs wait, and their action names for the mark's tooltip. */
export interface ApprovalMark {
  count: number;
  actions: string[];
}

/** The approvals in `marks.onScreen`'s answer: `markKey(row)` → its mark (rows with nothing waiting are left out). */
export type ApprovalMarks = Record<string, ApprovalMark>;

/** An alarm's row and a log's row may share a number: the answer keeps them apart. */
export const markKey = (row: MarkedRow): string => `${row.kind}:${row.key}`;

/** `approvals.show` answer: how many runs the approval window was opened for. */
export interface ApprovalsShown {
  runs: number;
}

/**
 * Whether `run` belongs on `row`. An alarm's row shows every run about that alarm: started from the alarm
 * itself or from one of its logs (the run keeps the Alarm ID). A log's row shows the runs started from it,
 * by its row key; a run started from an alarm row carries the alarm id as its row key too and stays off
 * log rows that happen to share the number.
 */
export function runIsOnRow(run: Pick<Run, 'alarmId' | 'rowKey'>, row: MarkedRow): boolean {
  if (row.kind === 'alarm') return run.alarmId === row.key;
  return run.rowKey === row.key && run.rowKey !== run.alarmId;
}

/** Words for a mark: `1 run waits for your approval` / `3 runs wait for your approval`. */
export function approvalMarkLabel(count: number): string {
  return count === 1 ? '1 run waits for your approval' : `${count} runs wait for your approval`;
}

/** The approval window's query: `?runs=<orchestratorId>:<runId>,…` (ids encoded), and back. */
export interface RunRef {
  orchestratorId: string;
  runId: string;
}

export function runsQuery(refs: RunRef[]): string {
  const list = refs
    .map((ref) => `${encodeURIComponent(ref.orchestratorId)}:${encodeURIComponent(ref.runId)}`)
    .join(',');
  return `?runs=${encodeURIComponent(list)}`;
}

export function runsFromQuery(search: string): RunRef[] {
  const list = new URLSearchParams(search).get('runs');
  if (!list) return [];
  const refs: RunRef[] = [];
  for (const part of list.split(',')) {
    const [orchestratorId, runId, extra] = part.split(':');
    if (!orchestratorId || !runId || extra !== undefined) continue;
    try {
      refs.push({ orchestratorId: decodeURIComponent(orchestratorId), runId: decodeURIComponent(runId) });
    } catch {
      // A hand-edited address: ignore the part that does not decode.
    }
  }
  return refs;
}
