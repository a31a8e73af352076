import type { Action, Role, Run } from '../../core/api.ts';
import type { RowContext, RowKind } from '../../core/row-context.ts';
import type { OrchestratorEntry } from '../../core/settings.ts';
import type { TriggeredRuns } from '../../core/triggers-api.ts';
import { UserError } from '../user-error.ts';

/**
 * One interface for every orchestration engine (docs/architecture.md §6). Each engine has one file in this folder
 * that maps its API onto Gridside's model: its actions onto `Action`, its run states onto `RunStatus`, its
 * output onto `RunOutput` (with verdicts where the engine has them), its errors onto `ConnectorError`.
 */
export interface Connector {
  /** The engine makes its actions from the row (Cortex: one per analyzer and observable): never cached. */
  readonly actionsDependOnRow?: boolean;
  /** Actions that can run on this row; `null` lists everything the engine offers. */
  listActions(context: RowContext | null, signal?: AbortSignal): Promise<Action[]>;
  /** Starts a run. `params` are the analyst's final values by parameter id. */
  startRun(request: StartRun, signal?: AbortSignal): Promise<Run>;
  /**
   * Optional: several starts in one request (a batch's rows). Resolves with one result per start, in
   * order: its run, or the error `startRun` would have failed with for it alone. Rejects when the request
   * as a whole failed (then no start may be assumed not to have happened, unless the error says the engine
   * lacks the request: `not_found`, `payload_too_large`). Engines without it leave it out.
   */
  startRuns?(requests: StartRun[], signal?: AbortSignal): Promise<Array<Run | ConnectorError>>;
  /**
   * Optional: whether the engine is known to answer a start sent again with the same `StartRun.key` with
   * the run the first one started, never another run (it said so in an earlier answer). Only then may a
   * start whose answer was lost be sent again. Engines that cannot tell leave it out.
   */
  startsOnceByKey?(): boolean;
  getRun(runId: string, signal?: AbortSignal): Promise<Run>;
  /**
   * Optional long-poll: answers when the run differs from `seen` (the run as last seen; a new status or
   * approval), when it ends, or after about `waitSeconds`. Engines without one leave it out and the job
   * engine polls `getRun` on an interval instead.
   */
  waitForRun?(runId: string, waitSeconds: number, signal?: AbortSignal, seen?: Run | null): Promise<Run>;
  /**
   * Optional long poll on many runs at once (a batch's rows): answers as soon as any run differs from its
   * `seen`, with the runs that do, or with none after about `waitSeconds`. Engines without it leave it out
   * and each run is followed on its own.
   */
  waitForRuns?(runs: RunSeen[], waitSeconds: number, signal?: AbortSignal): Promise<Run[]>;
  cancelRun(runId: string, signal?: AbortSignal): Promise<void>;
  /** Checks URL and credentials; resolves with who the credentials belong to when the engine says. */
  testConnection(signal?: AbortSignal): Promise<{ user?: string; detail?: string }>;
  /**
   * Runs waiting for approval at this engine, and who the credentials belong to (the toolbar popup and
   * badge). Engines without an approval step of their own leave it out.
   */
  listPendingApprovals?(signal?: AbortSignal): Promise<PendingApprovals>;
  /** The newest run a trigger rule started for each of these rows; engines without triggers leave it out. */
  triggeredRuns?(rows: { kind: RowKind; key: string }[], signal?: AbortSignal): Promise<TriggeredRuns>;
  /** Approves or denies one level of a waiting run; resolves with the run as it is afterwards. */
  decideApproval?(
    runId: string,
    decision: ApprovalDecision,
    comment: string,
    signal?: AbortSignal,
  ): Promise<Run>;
}

export type ApprovalDecision = 'approve' | 'deny';

/** A run being followed, and how it looked when last seen. */
export interface RunSeen {
  runId: string;
  seen: Run | null;
}

export interface PendingApprovals {
  /** `null` when the engine does not recognise the credentials (or none are set). */
  user: { name: string; roles: Role[] } | null;
  /** Every run in `pending_approval`, whoever requested it; the caller decides what is this user's. */
  runs: Run[];
}

export interface StartRun {
  action: Action;
  params: Record<string, string>;
  context: RowContext;
  /**
   * The run may be answered when it ends rather than when it is taken, where the engine can (a quick
   * read-only lookup's verdict then comes with the answer). Engines that cannot ignore it.
   */
  answerAtEnd?: boolean;
  /**
   * The start's own name (the job id, saved before the request leaves), for engines that take one: such
   * an engine answers the start sent again with it with the run it started (`startsOnceByKey`).
   */
  key?: string;
}

export interface ConnectorDeps {
  entry: OrchestratorEntry;
  /** The entry's secret (token, API key), read from the background's secret store. */
  secret: string | undefined;
  /** `fetch` restricted to the entry's origin (see src/background). */
  fetch: typeof fetch;
}

export type ConnectorFactory = (deps: ConnectorDeps) => Connector;

/** A failure talking to an engine, in words the panel can show as is: what failed, and what to do. */
export class ConnectorError extends UserError {
  constructor(...args: ConstructorParameters<typeof UserError>) {
    super(...args);
    this.name = 'ConnectorError';
  }
}
