import { computed, effect, signal } from '@preact/signals';
import { bindRow } from '../../core/action-binding.ts';
import type { Action } from '../../core/api.ts';
import type { Job, PanelError } from '../../core/messages.ts';
import type { RowContext } from '../../core/row-context.ts';
import { isFinished } from '../../core/run-status.ts';
import { ask } from '../background-channel.ts';
import { isOpen, opening } from './panel-state.ts';

/**
 * "Run on N selected rows": the rows the analyst selected in the grid (read when the panel opened), one
 * batch at a time, each row's job followed through the usual `job.update` pushes, with a slow poll as a
 * fallback for pushes that were lost. The worker submits at most five rows at once.
 */

export interface BatchRowState {
  context: RowContext;
  /** The value the row's first bound parameter takes, to tell rows apart in the list. */
  label: string;
  jobId: string;
  job: Job | null;
}

export interface BatchState {
  action: Action;
  rows: BatchRowState[];
}

const POLL_MS = 2_000;
/** Rows polled per tick: enough to catch lost pushes without a burst of 200 requests. */
const POLL_BATCH = 8;

export const selection = computed<RowContext[]>(() => opening.value?.selection ?? []);
export const batchRun = signal<BatchState | null>(null);
export const batchError = signal<PanelError | null>(null);
/** Set while an action with side effects waits for the analyst's "yes, all N rows". */
export const batchConfirming = signal<Action | null>(null);

/** A finished row either succeeded or did not (failed, denied, canceled, timed out); null while it runs. */
export const rowOutcome = (row: BatchRowState): 'done' | 'failed' | null => {
  if (!row.job || !isFinished(row.job.status)) return null;
  return row.job.status === 'succeeded' ? 'done' : 'failed';
};

export const batchProgress = computed(() => {
  const rows = batchRun.value?.rows ?? [];
  let done = 0;
  let failed = 0;
  for (const row of rows) {
    const outcome = rowOutcome(row);
    if (outcome === 'done') done++;
    else if (outcome === 'failed') failed++;
  }
  return { done, failed, total: rows.length };
});

let pollTimer: ReturnType<typeof setInterval> | undefined;
let pollFrom = 0;
/**
 * Updates pushed while `batch.start` is still being answered. The worker answers only once every row is
 * stored, and by then rows it could not run (no value) or answered from the cache have already been
 * pushed, finished: kept here, they show at once instead of at the next slow poll.
 */
let early: Map<string, Job> | null = null;

function stopPolling(): void {
  clearInterval(pollTimer);
  pollTimer = undefined;
}

// A new opening of the panel (another row) or closing it ends what this module shows.
effect(() => {
  void opening.value;
  stopPolling();
  batchRun.value = null;
  batchError.value = null;
  batchConfirming.value = null;
});
effect(() => {
  if (!isOpen.value) stopPolling();
});

/** A pushed or polled job: only one of this batch's rows, never an older state over a newer one. */
export function acceptBatchJob(next: Job): void {
  const current = batchRun.value;
  if (!current) {
    const before = early?.get(next.id);
    if (early && !(before && next.updatedAt < before.updatedAt)) early.set(next.id, next);
    return;
  }
  let changed = false;
  const rows = current.rows.map((row) => {
    if (row.jobId !== next.id || (row.job && next.updatedAt < row.job.updatedAt)) return row;
    changed = true;
    return { ...row, job: next };
  });
  if (!changed) return;
  batchRun.value = { ...current, rows };
  const { done, failed, total } = batchProgress.value;
  if (done + failed === total) stopPolling();
}

function pollSome(): void {
  const current = batchRun.value;
  const open = current?.rows.filter((row) => rowOutcome(row) === null) ?? [];
  if (!isOpen.value || open.length === 0) {
    stopPolling();
    return;
  }
  const start = pollFrom % open.length;
  const some = [...open.slice(start), ...open.slice(0, start)].slice(0, POLL_BATCH);
  pollFrom = start + POLL_BATCH;
  for (const row of some) {
    void ask({ type: 'run.get', jobId: row.jobId }).then((reply) => {
      if (reply.ok) acceptBatchJob(reply.data);
    });
  }
}

/** Runs `action` on every selected row; an action with side effects asks for confirmation first. */
export async function startBatch(action: Action, confirmed = false): Promise<void> {
  const rows = selection.value;
  if (rows.length < 2) return;
  if (action.sideEffects && !confirmed) {
    batchConfirming.value = action;
    return;
  }
  batchConfirming.value = null;
  batchError.value = null;
  const heard = new Map<string, Job>();
  early = heard;
  const reply = await ask({
    type: 'batch.start',
    actionId: action.id,
    rows,
    confirmed,
  }).finally(() => {
    if (early === heard) early = null;
  });
  if (!reply.ok) {
    batchError.value = reply.error;
    return;
  }
  batchRun.value = {
    action,
    rows: rows.map((context, i) => {
      const jobId = reply.data.jobIds[i] ?? '';
      return {
        context,
        label: Object.values(bindRow(action, context).params)[0] ?? '',
        jobId,
        job: heard.get(jobId) ?? null,
      };
    }),
  };
  stopPolling();
  const { done, failed, total } = batchProgress.value;
  if (done + failed < total) pollTimer = setInterval(pollSome, POLL_MS);
}

export function closeBatch(): void {
  stopPolling();
  batchRun.value = null;
  batchError.value = null;
}
