import { z } from 'zod';
import type { RunStatus } from '../../core/api.ts';
import { ownValue } from '../../core/own-value.ts';

/**
 * LogRhythm Alarm API documents (OpenAPI 7.7.0, recorded in test/fixtures/engines/logrhythm/) and how
 * SmartResponse results read by it map onto Gridside's words. The numeric codes of `actionStatus` and
 * `approvalLevelNStatus` are not documented anywhere public: numbers are shown as given, never guessed into
 * a status.
 */

const numOrText = z.union([z.number(), z.string()]).nullish();

export const SmartResponseActionSchema = z.looseObject({
  srpName: z.string().nullish(),
  executionTime: numOrText,
  actionStatus: numOrText,
  approvalLevel1Status: numOrText,
  approvalLevel2Status: numOrText,
  approvalLevel3Status: numOrText,
  standardOut: z.string().nullish(),
  standardError: z.string().nullish(),
  executionTarget: numOrText,
  smartResponseAgentId: numOrText,
});
export type SmartResponseAction = z.infer<typeof SmartResponseActionSchema>;

const EventSchema = z.record(z.string(), z.unknown());

/** Real responses say `alarmEventsDetails`, the OpenAPI says `alarmsEventDetails`: accept both. */
const eventFields = {
  alarmEventsDetails: z.array(EventSchema).nullish(),
  alarmsEventDetails: z.array(EventSchema).nullish(),
};

export const AlarmDetailsResponseSchema = z.looseObject({
  alarmDetails: z.looseObject({
    alarmId: z.union([z.number(), z.string()]),
    alarmRuleName: z.string().nullish(),
    alarmStatusName: z.string().nullish(),
    smartResponseActions: z.array(SmartResponseActionSchema).nullish(),
    ...eventFields,
  }),
});
export type AlarmDetails = z.infer<typeof AlarmDetailsResponseSchema>['alarmDetails'];

export const AlarmEventsResponseSchema = z.looseObject(eventFields);

export function eventsOf(body: {
  alarmEventsDetails?: Record<string, unknown>[] | null;
  alarmsEventDetails?: Record<string, unknown>[] | null;
}): Record<string, unknown>[] | undefined {
  return body.alarmEventsDetails ?? body.alarmsEventDetails ?? undefined;
}

const words = (s: string) =>
  s
    .trim()
    .toLowerCase()
    .replace(/[\s_-]+/g, ' ');

/** SmartResponse status words as the Web Console shows them → RunStatus. */
const ACTION_STATUS_WORDS: Record<string, RunStatus> = {
  pending: 'pending_approval',
  'pending approval': 'pending_approval',
  'awaiting approval': 'pending_approval',
  approved: 'queued',
  queued: 'queued',
  executing: 'running',
  running: 'running',
  'in progress': 'running',
  executed: 'succeeded',
  completed: 'succeeded',
  success: 'succeeded',
  succeeded: 'succeeded',
  denied: 'denied',
  rejected: 'denied',
  'failed to execute': 'failed',
  failed: 'failed',
  error: 'failed',
  canceled: 'canceled',
  cancelled: 'canceled',
  'timed out': 'timed_out',
  timeout: 'timed_out',
};

export function actionStatusOf(raw: number | string | null | undefined): RunStatus | null {
  if (typeof raw !== 'string') return null;
  return ownValue(ACTION_STATUS_WORDS, words(raw)) ?? null;
}

export type ApprovalWord = 'pending' | 'approved' | 'denied';
const APPROVAL_WORDS: Record<string, ApprovalWord> = {
  pending: 'pending',
  'pending approval': 'pending',
  approved: 'approved',
  denied: 'denied',
  rejected: 'denied',
};

export interface SmartResponseResult {
  srpName: string;
  /** Gridside status, or null when LogRhythm gave a code whose meaning is not documented. */
  status: RunStatus | null;
  /** What LogRhythm said, as given. */
  statusRaw: string | number | null;
  approvals: { level: number; status: ApprovalWord | null; raw: string | number }[];
  executionTime: string | number | null;
  executionTarget: string | number | null;
  standardOut: string;
  standardError: string;
}

export function resultOf(a: SmartResponseAction): SmartResponseResult {
  const levels = [a.approvalLevel1Status, a.approvalLevel2Status, a.approvalLevel3Status];
  return {
    srpName: a.srpName?.trim() || 'Unnamed SmartResponse action',
    status: actionStatusOf(a.actionStatus),
    statusRaw: a.actionStatus ?? null,
    approvals: levels.flatMap((raw, i) =>
      raw === null || raw === undefined || raw === ''
        ? []
        : [
            {
              level: i + 1,
              status: typeof raw === 'string' ? (ownValue(APPROVAL_WORDS, words(raw)) ?? null) : null,
              raw,
            },
          ],
    ),
    executionTime: a.executionTime ?? null,
    executionTarget: a.executionTarget ?? null,
    standardOut: a.standardOut ?? '',
    standardError: a.standardError ?? '',
  };
}

const indent = (text: string) =>
  text
    .trimEnd()
    .split(/\r?\n/)
    .map((line) => `   ${line}`)
    .join('\n');

const statusText = (r: SmartResponseResult): string => {
  if (r.statusRaw === null) return 'status not given';
  if (typeof r.statusRaw === 'number')
    return `status code ${r.statusRaw} (LogRhythm does not document these codes)`;
  return r.status
    ? `${r.statusRaw} (${r.status.replace('_', ' ')})`
    : `${r.statusRaw} (a status Gridside does not know)`;
};

const approvalUnknown = (raw: string | number): string =>
  typeof raw === 'number' ? `code ${raw}` : `${raw} (not an approval word Gridside knows)`;

/** The SmartResponse results of an alarm as the panel's plain text. */
export function formatResults(alarm: AlarmDetails, results: SmartResponseResult[]): string {
  const title = `Alarm ${alarm.alarmId}${alarm.alarmRuleName ? ` — ${alarm.alarmRuleName}` : ''}`;
  if (results.length === 0) return `${title}\nNo SmartResponse action has run on this alarm.`;
  const blocks = results.map((r, i) => {
    const lines = [`${i + 1}. ${r.srpName} — ${statusText(r)}`];
    if (r.executionTime !== null) lines.push(`   Executed: ${r.executionTime}`);
    if (r.executionTarget !== null && r.executionTarget !== '') lines.push(`   Target: ${r.executionTarget}`);
    if (r.approvals.length > 0)
      lines.push(
        `   Approvals: ${r.approvals.map((a) => `level ${a.level} ${a.status ?? approvalUnknown(a.raw)}`).join(', ')}`,
      );
    if (r.standardOut.trim()) lines.push('   Output:', indent(r.standardOut));
    if (r.standardError.trim()) lines.push('   Errors:', indent(r.standardError));
    return lines.join('\n');
  });
  const count = `${results.length} SmartResponse action${results.length === 1 ? '' : 's'}:`;
  return [title, count, '', blocks.join('\n\n')].join('\n');
}

/**
 * Trims a comment to `max` UTF-16 units (what a SQL Server nvarchar column counts), saying so at the end.
 * Never splits a surrogate pair, so an emoji at the cut cannot become an invalid character.
 */
export function trimComment(text: string, max: number): { text: string; trimmed: boolean } {
  const whole = text.trim();
  if (whole.length <= max) return { text: whole, trimmed: false };
  const marker = ' … [trimmed by Gridside]';
  let cut = max - marker.length;
  const last = whole.charCodeAt(cut - 1);
  if (last >= 0xd800 && last <= 0xdbff) cut -= 1;
  return { text: whole.slice(0, cut).trimEnd() + marker, trimmed: true };
}
