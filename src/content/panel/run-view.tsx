import type { Approval } from '../../core/api.ts';
import type { Job } from '../../core/messages.ts';
import { ShownValue } from '../../ui/shown-value.tsx';
import { VerdictChips } from '../../ui/verdict-chips.tsx';
import { OutputFrame } from './output-frame.tsx';
import {
  backToCatalog,
  cancelRun,
  chosen,
  closePanel,
  job,
  jobFinished,
  now,
  pivotFrom,
  requestError,
  runAgain,
  sendAgain,
  startRun,
} from './panel-state.ts';
import { PinButton } from './pin-button.tsx';
import { PivotChips } from './pivot-chips.tsx';

/** A run's progress and result: status in words, approvals per level, elapsed time, output, next steps. */

export const STATUS_TEXT: Record<Job['status'], string> = {
  submitting: 'Sending to the orchestrator…',
  queued: 'Queued',
  pending_approval: 'Waiting for approval',
  running: 'Running',
  succeeded: 'Succeeded',
  failed: 'Failed',
  denied: 'Denied',
  canceled: 'Canceled',
  timed_out: 'Timed out',
};

export function statusLine(current: Job | null, at: number): string {
  if (!current) return 'Starting…';
  const text = STATUS_TEXT[current.status] ?? String(current.status);
  if (current.status !== 'running') return text;
  const started = Date.parse(current.run?.timing.startedAt ?? '') || current.createdAt;
  return `${text} · ${Math.max(0, Math.round((at - started) / 1000))} s`;
}

/** An approver's comment is their text: isolated from the line around it, its hidden characters shown. */
function ApprovalLine({ approval }: { approval: Approval }) {
  const who = approval.by ?? 'someone';
  const when = approval.at ? ` at ${new Date(approval.at).toLocaleString()}` : '';
  const text =
    approval.status === 'approved'
      ? `approved by ${who}${when}`
      : approval.status === 'denied'
        ? `denied by ${who}${when}`
        : 'pending';
  return (
    <li>
      Level {approval.level}: {text}
      {approval.status !== 'pending' && approval.comment && (
        <>
          {' — “'}
          <ShownValue value={approval.comment} prose />”
        </>
      )}
    </li>
  );
}

function minutesAgo(at: number, time: number): string {
  const minutes = Math.max(0, Math.round((time - at) / 60_000));
  return minutes === 0 ? 'just now' : `${minutes} min ago`;
}

export function RunView() {
  const current = job.value;
  const error = requestError.value;
  const action = chosen.value;
  const finished = jobFinished.value;
  if (error) {
    return (
      <div class="run">
        <div class="error" role="alert">
          <p>{error.message}</p>
          {error.hint && <p>{error.hint}</p>}
        </div>
        <div class="row-buttons">
          <button type="button" onClick={runAgain}>
            Try again
          </button>
          <button type="button" onClick={backToCatalog}>
            Other actions
          </button>
        </div>
      </div>
    );
  }
  const run = current?.run ?? null;
  return (
    <div class="run">
      <p class="status" data-status={current?.status ?? 'starting'}>
        {action?.name}: {statusLine(current, now.value)}
      </p>
      {pivotFrom.value && <p class="muted">Pivot from {pivotFrom.value.actionName}</p>}
      {current?.cachedAt != null && (
        <p class="muted">
          cached {minutesAgo(current.cachedAt, now.value)} ·{' '}
          <button type="button" onClick={() => startRun(true)}>
            refresh
          </button>
        </p>
      )}
      {run && run.approvals.length > 0 && (
        <ul class="approvals" aria-label="Approvals">
          {run.approvals.map((approval, index) => (
            // A level with a quorum above one has one line per approver: the level alone is no key.
            <ApprovalLine key={`${approval.level}:${index}`} approval={approval} />
          ))}
        </ul>
      )}
      {run?.reason && finished && current?.status !== 'succeeded' && <p class="error">{run.reason}</p>}
      {current?.error && (
        <div class="error" role="alert">
          <p>{current.error.message}</p>
          {current.error.hint && <p>{current.error.hint}</p>}
        </div>
      )}
      {run?.output?.taxonomies && run.output.taxonomies.length > 0 && (
        <VerdictChips taxonomies={run.output.taxonomies} />
      )}
      {current && finished && run?.output && (
        // Mounted once the run has ended: loading the frame while the plugin runs took CPU from it
        // wherever browser and orchestrator share a machine (docs/benchmarks.md, "Click to verdict").
        <OutputFrame key={current.id} source={{ kind: 'job', id: current.id }} onEscape={closePanel} />
      )}
      {finished && run?.output?.observables && <PivotChips observables={run.output.observables} />}
      <div class="row-buttons">
        {!finished && current && (
          <button type="button" onClick={() => void cancelRun()}>
            Cancel
          </button>
        )}
        <PinButton />
        {finished &&
          (current?.error?.sendAgain ? (
            <button type="button" onClick={() => void sendAgain()}>
              Send again
            </button>
          ) : (
            <button type="button" onClick={runAgain}>
              Run again
            </button>
          ))}
        <button type="button" onClick={backToCatalog}>
          Other actions
        </button>
      </div>
    </div>
  );
}
