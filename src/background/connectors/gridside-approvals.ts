import type { z } from 'zod';
import { HealthSchema, type Run, RunListSchema, RunSchema } from '../../core/api.ts';
import { type ApprovalDecision, ConnectorError, type PendingApprovals } from './connector.ts';

/**
 * The approver's side of Gridside's own orchestrator (docs/architecture.md §5): who the token belongs to, the runs
 * waiting for approval, and a decision on one. Requests go through the connector's own `call`, so every
 * error is mapped exactly as for the other methods (gridside.ts); only the two refusals an approver meets
 * every day are reworded, because "your token's roles do not allow this" is wrong for "nobody approves
 * their own run".
 */

/** The request function of the Gridside connector: path under `/api/v1`, answer parsed with `schema`. */
export type GridsideCall = <S extends z.ZodType>(
  method: 'GET' | 'POST',
  path: string,
  schema: S,
  options?: { body?: unknown; signal?: AbortSignal },
) => Promise<z.infer<S>>;

/** The orchestrator's list limit (RunListQuerySchema); a queue longer than this is not a badge problem. */
const MAX_LISTED = 500;

export async function listPendingApprovals(
  call: GridsideCall,
  signal?: AbortSignal,
): Promise<PendingApprovals> {
  const health = await call('GET', '/health', HealthSchema, { signal });
  if (!health.user) return { user: null, runs: [] };
  // An analyst's token has nothing to approve: no need to list everyone's waiting runs every heartbeat
  // (and every scrolled console, for the row marks).
  if (!health.user.roles.some((role) => role === 'approver' || role === 'admin'))
    return { user: health.user, runs: [] };
  const list = await call('GET', `/runs?status=pending_approval&limit=${MAX_LISTED}`, RunListSchema, {
    signal,
  });
  // The filter is the server's; checking again costs nothing and keeps a stale answer off the badge.
  return { user: health.user, runs: list.runs.filter((run) => run.status === 'pending_approval') };
}

export async function decideApproval(
  call: GridsideCall,
  runId: string,
  decision: ApprovalDecision,
  comment: string,
  signal?: AbortSignal,
): Promise<Run> {
  try {
    return await call('POST', `/runs/${encodeURIComponent(runId)}/approvals`, RunSchema, {
      body: { decision, comment },
      signal,
    });
  } catch (error) {
    throw reworded(error, decision);
  }
}

function reworded(error: unknown, decision: ApprovalDecision): unknown {
  if (!(error instanceof ConnectorError)) return error;
  const verb = decision === 'approve' ? 'approve' : 'deny';
  const said = serverWords(error.message);
  if (error.code === 'forbidden') {
    return new ConnectorError(
      'forbidden',
      said ? `You cannot ${verb} this run: ${said}.` : `The orchestrator does not let you ${verb} this run.`,
      'Another approver has to decide on it.',
    );
  }
  if (error.code === 'conflict') {
    return new ConnectorError(
      'conflict',
      said
        ? `This run no longer waits for your decision: ${said}.`
        : 'This run no longer waits for your decision.',
      'The list is refreshed; someone else may have decided already.',
    );
  }
  return error;
}

/** The orchestrator's own message, as gridside.ts quotes it ("… It said: <message>"). */
function serverWords(message: string): string | undefined {
  const match = /It said: (.+)$/s.exec(message);
  return match?.[1]?.replace(/\.$/, '');
}
