import { useState } from 'preact/hooks';
import type { Action } from '../../core/api.ts';
import { VerdictChips } from '../../ui/verdict-chips.tsx';
import {
  type BatchRowState,
  batchConfirming,
  batchError,
  batchProgress,
  batchRun,
  closeBatch,
  rowOutcome,
  rowsEnded,
  selection,
  startBatch,
} from './batch-state.ts';
import { OutputFrame } from './output-frame.tsx';
import { closePanel } from './panel-state.ts';
import { rowTitle } from './row-summary.ts';
import { STATUS_TEXT } from './run-view.tsx';

/** The offer under the parameter form, when more than one grid row is selected. */
export function BatchOffer({ action }: { action: Action }) {
  const count = selection.value.length;
  if (count < 2 || !action.available) return null;
  const confirming = batchConfirming.value === action;
  return (
    <div class="batch-offer">
      {confirming ? (
        <div class="confirm" role="alertdialog" aria-label="Confirm the batch">
          <p>
            {action.name} changes things. Run it on all {count} selected rows, each with its own values?
          </p>
          <div class="row-buttons">
            <button type="button" class="primary" onClick={() => void startBatch(action, true)}>
              Run on {count} rows
            </button>
            <button type="button" onClick={() => (batchConfirming.value = null)}>
              Cancel
            </button>
          </div>
        </div>
      ) : (
        <button type="button" data-batch-start onClick={() => void startBatch(action)}>
          Run on {count} selected rows
        </button>
      )}
      {batchError.value && (
        <p class="error" role="alert">
          {batchError.value.message} {batchError.value.hint ?? ''}
        </p>
      )}
    </div>
  );
}

/** Progress and each row's result while a batch runs, and after. */
export function BatchView() {
  const state = batchRun.value;
  if (!state) return null;
  const progress = batchProgress.value;
  const { done, failed, notRun, total } = progress;
  return (
    <div class="batch">
      <p class="status" data-batch-progress={`${done}/${failed}/${notRun}/${total}`}>
        {state.action.name}: {done} done · {failed} failed{notRun > 0 && ` · ${notRun} not run`} · {total}{' '}
        rows
      </p>
      <progress max={total} value={rowsEnded(progress)} aria-label="Rows finished" />
      <ul class="batch-rows" aria-label="Rows">
        {state.rows.map((row) => (
          <BatchRowLine key={row.jobId} row={row} />
        ))}
      </ul>
      <div class="row-buttons">
        <button type="button" onClick={closeBatch}>
          Back
        </button>
      </div>
    </div>
  );
}

/**
 * Why a row did not succeed, in the words the worker or the orchestrator gave (a row with no value for a
 * required parameter, a plugin that exited with an error, a denied approval), shown on the row's line: in a
 * list of twenty, the analyst tells a row that could not run from a lost run without opening each one.
 * Text only: it is the worker's or the orchestrator's message, never the plugin's output.
 */
export function failedRowReason(job: BatchRowState['job']): string | null {
  if (!job) return null;
  const reasons = [job.error?.message, job.run?.reason].filter((r): r is string => !!r?.trim());
  const unique = [...new Set(reasons)];
  if (unique.length > 0) return unique.join(' ');
  return job.run?.output ? 'No reason was given: see Details for the output.' : 'No reason was given.';
}

function BatchRowLine({ row }: { row: BatchRowState }) {
  const [open, setOpen] = useState(false);
  const job = row.job;
  const output = job?.run?.output ?? null;
  const outcome = rowOutcome(row);
  const reason = outcome === 'failed' || outcome === 'not-run' ? failedRowReason(job) : null;
  return (
    <li data-job-id={row.jobId} data-outcome={outcome ?? 'waiting'}>
      <div class="batch-row">
        <span>
          {rowTitle(row.context)}
          {row.label && ` · ${row.label}`}
        </span>
        <span class="status" data-status={job?.status ?? 'waiting'}>
          {outcome === 'not-run' ? 'Not run' : job ? (STATUS_TEXT[job.status] ?? job.status) : 'Waiting'}
          {job?.cachedAt != null && ' · cached'}
        </span>
        {output?.taxonomies && output.taxonomies.length > 0 && (
          <VerdictChips taxonomies={output.taxonomies} />
        )}
        {outcome && output && (
          <button type="button" aria-expanded={open} onClick={() => setOpen(!open)}>
            {open ? 'Hide' : 'Details'}
          </button>
        )}
      </div>
      {reason && <p class="reason">{reason}</p>}
      {open && output && job && <OutputFrame source={{ kind: 'job', id: job.id }} onEscape={closePanel} />}
    </li>
  );
}
