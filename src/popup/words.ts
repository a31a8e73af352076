import type { Approval, Run } from '../core/api.ts';

/** The popup's sentences, kept apart from the markup so they read (and test) as plain words. */

export function decisionOutcome(run: Run, decision: 'approve' | 'deny'): string {
  const name = run.actionName;
  if (decision === 'deny') return `Denied "${name}". The requester sees it in their panel.`;
  if (run.status === 'pending_approval') return `Approved "${name}". It still waits for another approval.`;
  return `Approved "${name}". The run is ${statusWords(run.status)}.`;
}

export function statusWords(status: Run['status']): string {
  switch (status) {
    case 'pending_approval':
      return 'waiting for approval';
    case 'timed_out':
      return 'timed out';
    default:
      return status;
  }
}

export function approvalWords(approval: Approval): string {
  const when = approval.at ? ` on ${formatTime(approval.at)}` : '';
  const who = approval.by ?? 'someone';
  if (approval.status === 'pending') return 'waiting for an approver';
  if (approval.status === 'approved') return `approved by ${who}${when}`;
  return `denied by ${who}${when}`;
}

export function formatTime(iso: string): string {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : date.toLocaleString();
}

/** Where the run came from: the alarm, else the grid row it was started on. */
export function originWords(run: Run): string {
  if (run.alarmId) return `Alarm ${run.alarmId}`;
  if (run.rowKey) return `Row ${shorten(run.rowKey, 120)}`;
  return 'Started without a row';
}

export function shorten(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max)}…` : text;
}
