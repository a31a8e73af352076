import type { Approval, ApprovalPolicy } from '../core/api.ts';
import type { Caller } from './auth.ts';
import type { ApprovalRecord } from './store.ts';

/**
 * Approval policy for runs of actions with side effects (LogRhythm's SRP approval levels): up to three
 * levels, each needing `quorum` distinct approvers holding one of `approverRoles`. Levels are approved
 * in order. Nobody approves their own run, and nobody approves the same run twice (a second level
 * approved by the same person would be no second opinion). One denial at any level ends the run.
 */

export class ApprovalRefused extends Error {
  constructor(
    readonly status: 403 | 409,
    message: string,
  ) {
    super(message);
  }
}

/** The level still collecting approvals, or undefined when every level has its quorum. */
export function currentLevel(policy: ApprovalPolicy, records: readonly ApprovalRecord[]): number | undefined {
  for (let level = 1; level <= policy.levels; level++) {
    const approved = records.filter((r) => r.level === level && r.status === 'approved').length;
    if (approved < policy.quorum) return level;
  }
  return undefined;
}

/** What the API shows: every decision made, then one `pending` slot per approval still needed. */
export function approvalView(
  policy: ApprovalPolicy,
  records: readonly ApprovalRecord[],
  stillOpen: boolean,
): Approval[] {
  const view: Approval[] = records.map((r) => ({
    level: r.level,
    status: r.status,
    by: r.by,
    at: r.at,
    comment: r.comment || null,
  }));
  if (!stillOpen) return view;
  for (let level = 1; level <= policy.levels; level++) {
    const approved = records.filter((r) => r.level === level && r.status === 'approved').length;
    for (let i = approved; i < policy.quorum; i++) {
      view.push({ level, status: 'pending', by: null, at: null, comment: null });
    }
  }
  return view;
}

/** Checks who may decide; returns the level the decision applies to. Throws `ApprovalRefused`. */
export function checkApprover(
  policy: ApprovalPolicy,
  records: readonly ApprovalRecord[],
  caller: Caller,
  requestedBy: string,
): number {
  if (!caller.roles.some((role) => policy.approverRoles.includes(role))) {
    throw new ApprovalRefused(
      403,
      `approving this action needs one of the roles ${policy.approverRoles.join(', ')}; you have ${caller.roles.join(', ')}`,
    );
  }
  if (caller.name === requestedBy) {
    throw new ApprovalRefused(403, 'nobody approves their own run; ask another approver');
  }
  if (records.some((r) => r.by === caller.name)) {
    throw new ApprovalRefused(403, 'you already decided on this run; another approver must decide');
  }
  const level = currentLevel(policy, records);
  if (level === undefined) throw new ApprovalRefused(409, 'this run needs no more approvals');
  return level;
}
