import type { Run } from '../../core/api.ts';
import type { PanelError } from '../../core/messages.ts';
import type { ApprovalQueue, ApprovalsView, DecisionResult } from '../../core/popup-messages.ts';
import type { OrchestratorEntry, Settings } from '../../core/settings.ts';
import type { ApprovalDecision, Connector } from '../connectors/connector.ts';
import { UserError } from '../user-error.ts';

/**
 * Runs waiting for this analyst's approval, across every enabled orchestrator whose connector has an
 * approval step, kept on the toolbar badge. Refreshed by the worker's heartbeat alarm (about every 30 s),
 * whenever the popup opens, and after each decision. A run counts only when this analyst could approve
 * it: their token has an approver role, they did not request it (nobody approves their own run) and they
 * have not decided on it already.
 */

/** The slice of `browser.action` the badge needs. */
export interface ActionBadgeLike {
  setBadgeText(details: { text: string }): Promise<void>;
  setBadgeBackgroundColor(details: { color: string }): Promise<void>;
  setTitle(details: { title: string }): Promise<void>;
}

export interface ApprovalWatchDeps {
  settings(): Promise<Settings>;
  connector(orchestratorId: string): Promise<Connector>;
  badge: ActionBadgeLike;
  now?: () => number;
  /** Called after each round whose waiting runs differ from the round before (marks on rows follow). */
  onChange?: (view: ApprovalsView) => void;
}

export interface ApprovalWatch {
  /** Asks every orchestrator now and updates the badge; concurrent calls share one round. */
  refresh(): Promise<ApprovalsView>;
  /** The last round's answer, without asking again; `undefined` before the first round. */
  latest(): ApprovalsView | undefined;
  decide(request: {
    orchestratorId: string;
    runId: string;
    decision: ApprovalDecision;
    comment: string;
  }): Promise<DecisionResult>;
}

const APPROVER_ROLES = new Set(['approver', 'admin']);
/** Amber: something waits for you, nothing is broken. */
export const BADGE_COLOR = '#b45309';
export const IDLE_TITLE = 'Gridside';

export function createApprovalWatch(deps: ApprovalWatchDeps): ApprovalWatch {
  const now = deps.now ?? Date.now;
  let round: Promise<ApprovalsView> | undefined;
  let last: ApprovalsView | undefined;

  async function queueOf(entry: OrchestratorEntry): Promise<ApprovalQueue | undefined> {
    const base = { orchestratorId: entry.id, orchestratorName: entry.name };
    let connector: Connector;
    try {
      connector = await deps.connector(entry.id);
    } catch (error) {
      return { ...base, user: null, approver: false, runs: [], error: panelErrorOf(error) };
    }
    if (!connector.listPendingApprovals) return undefined;
    try {
      const pending = await connector.listPendingApprovals();
      if (!pending.user) {
        return {
          ...base,
          user: null,
          approver: false,
          runs: [],
          error: {
            code: 'unauthorized',
            message: `${entry.name} does not recognise the token saved for it, so Gridside cannot list approvals.`,
            hint: 'Set a valid token in Gridside options.',
          },
        };
      }
      const { name, roles } = pending.user;
      const approver = roles.some((role) => APPROVER_ROLES.has(role));
      const runs = approver ? pending.runs.filter((run) => waitsFor(run, name)) : [];
      return { ...base, user: name, approver, runs, error: null };
    } catch (error) {
      return { ...base, user: null, approver: false, runs: [], error: panelErrorOf(error) };
    }
  }

  async function ask(): Promise<ApprovalsView> {
    const settings = await deps.settings();
    const entries = settings.orchestrators.filter((entry) => entry.enabled);
    const queues = (await Promise.all(entries.map(queueOf))).filter((q): q is ApprovalQueue => !!q);
    const count = queues.reduce((sum, queue) => sum + queue.runs.length, 0);
    await showOnBadge(deps.badge, count);
    const view = { queues, count, checkedAt: now() };
    const changed = !last || waitingRuns(last) !== waitingRuns(view);
    last = view;
    if (changed) deps.onChange?.(view);
    return view;
  }

  function refresh(): Promise<ApprovalsView> {
    round ??= ask().finally(() => {
      round = undefined;
    });
    return round;
  }

  return {
    refresh,
    latest: () => last,
    async decide({ orchestratorId, runId, decision, comment }) {
      const connector = await deps.connector(orchestratorId);
      if (!connector.decideApproval) {
        throw new UserError('bad_request', 'This orchestrator has no approval step Gridside can use.');
      }
      let run: Run;
      try {
        run = await connector.decideApproval(runId, decision, comment);
      } catch (error) {
        // Refused or already decided elsewhere: the list the analyst sees is stale either way.
        void refresh().catch(() => undefined);
        throw error;
      }
      // A decision made while a round was in flight must not be answered with that older round.
      if (round) await round.catch(() => undefined);
      return { run, view: await refresh() };
    },
  };
}

/** The waiting runs of a view, as one comparable string (`orchestrator:run` pairs, sorted). */
function waitingRuns(view: ApprovalsView): string {
  return view.queues
    .flatMap((queue) => queue.runs.map((run) => `${queue.orchestratorId}:${run.id}`))
    .sort()
    .join(',');
}

/** Whether `user` can still decide on `run`: waiting, not theirs, not already decided by them. */
export function waitsFor(run: Run, user: string): boolean {
  return (
    run.status === 'pending_approval' &&
    run.requestedBy !== user &&
    !run.approvals.some((approval) => approval.by === user)
  );
}

export async function showOnBadge(badge: ActionBadgeLike, count: number): Promise<void> {
  if (count === 0) {
    await badge.setBadgeText({ text: '' });
    await badge.setTitle({ title: IDLE_TITLE });
    return;
  }
  await badge.setBadgeBackgroundColor({ color: BADGE_COLOR });
  await badge.setBadgeText({ text: count > 99 ? '99+' : String(count) });
  await badge.setTitle({
    title: `Gridside: ${count} ${count === 1 ? 'run waits' : 'runs wait'} for your approval`,
  });
}

function panelErrorOf(error: unknown): PanelError {
  if (error instanceof UserError) return error.toPanelError();
  console.error('Gridside could not list approvals', error);
  return { code: 'internal', message: 'Gridside hit an internal error while listing approvals.' };
}
