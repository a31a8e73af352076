import {
  type ApprovalMarks,
  type ApprovalsShown,
  type MarkedRow,
  markKey,
  type RunRef,
  runIsOnRow,
  runsQuery,
} from '../../core/approval-marks.ts';
import type { ApprovalsView } from '../../core/popup-messages.ts';
import { originPattern } from '../sites/permissions.ts';
import { UserError } from '../user-error.ts';
import type { ApprovalWatch } from './approvals.ts';

/**
 * The background's side of "waiting for your approval" on rows (core/approval-marks.ts). Marks come from
 * the approval watch's last round (the badge's), asked again when it is older than `MARKS_MAX_AGE_MS`, so
 * scrolling a console costs no request to the orchestrator. When the waiting runs change, every open console
 * tab is told to ask again. A click on a mark opens the approval window for the runs of that row that wait
 * for this analyst now; the console page names only a row, never a run, so it cannot open the window for
 * anything else.
 */

/** A mark may be this old before a console's question makes the watch ask the orchestrators again. */
export const MARKS_MAX_AGE_MS = 20_000;
export const APPROVAL_WINDOW = { width: 460, height: 720 } as const;

export interface WindowsCreateLike {
  create(details: { url: string; type: 'popup'; width: number; height: number }): Promise<unknown>;
}

export interface TabsMessageLike {
  query(query: { url?: string | string[] }): Promise<{ id?: number }[]>;
  sendMessage(tabId: number, message: unknown): Promise<unknown>;
}

export interface ApprovalMarkService {
  marks(rows: MarkedRow[]): Promise<ApprovalMarks>;
  show(row: MarkedRow): Promise<ApprovalsShown>;
  /** Tells every open console tab that the waiting runs changed. */
  announce(): Promise<void>;
}

export function createApprovalMarks(deps: {
  watch: Pick<ApprovalWatch, 'latest' | 'refresh'>;
  consoles: () => Promise<string[]>;
  tabs: TabsMessageLike;
  windows: WindowsCreateLike;
  /** `runtime.getURL` of the approval page (the toolbar popup's page). */
  approvalPage: string;
  now?: () => number;
}): ApprovalMarkService {
  const now = deps.now ?? Date.now;

  async function view(): Promise<ApprovalsView> {
    const last = deps.watch.latest();
    if (last && now() - last.checkedAt < MARKS_MAX_AGE_MS) return last;
    return deps.watch.refresh();
  }

  function waitingOn(current: ApprovalsView, row: MarkedRow): Array<RunRef & { actionName: string }> {
    return current.queues.flatMap((queue) =>
      queue.runs
        .filter((run) => runIsOnRow(run, row))
        .map((run) => ({ orchestratorId: queue.orchestratorId, runId: run.id, actionName: run.actionName })),
    );
  }

  return {
    async marks(rows) {
      const current = await view();
      if (current.count === 0) return {};
      const marks: ApprovalMarks = {};
      for (const row of rows) {
        const runs = waitingOn(current, row);
        if (runs.length === 0) continue;
        marks[markKey(row)] = {
          count: runs.length,
          actions: [...new Set(runs.map((run) => run.actionName))],
        };
      }
      return marks;
    },

    async show(row) {
      // Asked afresh: the analyst acts on what waits now, not on what waited at the last heartbeat.
      const runs = waitingOn(await deps.watch.refresh(), row);
      if (runs.length === 0) {
        throw new UserError(
          'conflict',
          'Nothing on this row waits for your approval any more.',
          'Someone else may have decided already.',
        );
      }
      await deps.windows.create({
        url: deps.approvalPage + runsQuery(runs),
        type: 'popup',
        ...APPROVAL_WINDOW,
      });
      return { runs: runs.length };
    },

    async announce() {
      const origins = await deps.consoles();
      if (origins.length === 0) return;
      const tabs = await deps.tabs.query({ url: origins.map(originPattern) }).catch(() => []);
      await Promise.all(
        tabs.map((tab) =>
          tab.id === undefined
            ? undefined
            : deps.tabs.sendMessage(tab.id, { type: 'approvals.changed' }).catch(() => undefined),
        ),
      );
    },
  };
}
