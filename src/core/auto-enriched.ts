import type { RunStatus, VerdictLevel } from './api.ts';

/**
 * "Auto-enriched" on the alarm's row: a trigger rule of the orchestrator already ran an action for this
 * row (docs/orchestrator.md, "Triggers"), and its verdict shows beside the row before anyone clicks. The
 * content script asks for the rows on screen in the row marks' one `marks.onScreen` message, keyed like
 * the approval marks (`markKey`); the background asks the orchestrators.
 * A click asks for that row's run with `triggers.run`: the page names a row, never a run. No zod here:
 * the content script imports this module.
 */

export interface AutoEnrichedMark {
  orchestratorId: string;
  runId: string;
  rule: string;
  actionName: string;
  status: RunStatus;
  verdict: VerdictLevel | null;
  /** The verdict's own words, e.g. `IPRep:score=92`. */
  summary: string | null;
}

/** The trigger runs in `marks.onScreen`'s answer: `markKey(row)` → its mark (rows no trigger ran for are left out). */
export type AutoEnrichedMarks = Record<string, AutoEnrichedMark>;

const VERDICT_WORDS: Record<VerdictLevel, string> = {
  info: 'info',
  safe: 'safe',
  suspicious: 'suspicious',
  malicious: 'malicious',
};

const ENDED_WORDS: Partial<Record<RunStatus, string>> = {
  succeeded: 'done',
  denied: 'denied',
  canceled: 'canceled',
  timed_out: 'timed out',
};

const UNFINISHED = new Set<RunStatus>(['pending_approval', 'queued', 'running']);

export const isUnfinishedMark = (mark: AutoEnrichedMark): boolean => UNFINISHED.has(mark.status);

/** The chip's text: the verdict, or the run's state while there is none. */
export function autoEnrichedText(mark: AutoEnrichedMark): string {
  if (mark.verdict) return `Auto · ${VERDICT_WORDS[mark.verdict]}`;
  if (mark.status === 'pending_approval') return 'Auto · awaits approval';
  if (UNFINISHED.has(mark.status)) return 'Auto · running';
  return `Auto · ${ENDED_WORDS[mark.status] ?? 'failed'}`;
}

/** The chip's accessible name and tooltip. */
export function autoEnrichedLabel(mark: AutoEnrichedMark): string {
  const said = mark.verdict ? `${mark.verdict}${mark.summary ? ` (${mark.summary})` : ''}` : mark.status;
  return `Auto-enriched by rule ${mark.rule}: ${mark.actionName}, ${said}`;
}
