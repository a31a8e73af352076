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
 * fallback for pushes that were lost. The worker submits every row at once (jobs/batch.ts).
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

/**
 * How a row of the batch ended, null while it runs: done (succeeded); not run, when Gridside itself
 * refused to send it (the row has no value for a required parameter, the action is no longer offered),
 * which is about the data, not a fault to chase; or failed (failed, denied, canceled, timed out, or a start
 * that did not go through).
 */
export const rowOutcome = (row: BatchRowState): 'done' | 'not-run' | 'failed' | null => {
  const job = row.job;
  if (!job || !isFinished(job.status)) return null;
  if (job.status === 'succeeded') return 'done';
  return job.runId === null && job.error?.code === 'bad_request' ? 'not-run' : 'failed';
};

export const batchProgress = computed(() => {
  const rows = batchRun.value?.rows ?? [];
  const count = { done: 0, 'not-run': 0, failed: 0 };
  for (const row of rows) {
    const outcome = rowOutcome(row);
    if (outcome) count[outcome]++;
  }
  return { done: count.done, failed: count.failed, notRun: count['not-run'], total: rows.length };
});

/** Rows with an outcome, whatever it is. */
export const rowsEnded = ({ done, failed, notRun }: typeof batchProgress.value): number =>
  done + failed + notRun;

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

/**
 * The batch list is drawn again at most this often while its rows run: each drawing is a frame of the
 * console's page laid out and painted again, and a batch's two or three updates per row would otherwise
 * cost a frame each, on the cores the batch's own runs need when the orchestrator shares the machine. The
 * first update after a quiet spell shows at once, and so does the one that ends the batch.
 */
export const BATCH_DRAW_EVERY_MS = 200;
/** Updates taken in but not yet drawn, by job id. */
const held = new Map<string, Job>();
let drawTimer: ReturnType<typeof setTimeout> | undefined;
let drawnAt = Number.NEGATIVE_INFINITY;

function dropHeld(): void {
  clearTimeout(drawTimer);
  drawTimer = undefined;
  held.clear();
  drawnAt = Number.NEGATIVE_INFINITY;
}

/** Draws the held updates into the batch's rows. */
function drawHeld(): void {
  clearTimeout(drawTimer);
  drawTimer = undefined;
  const current = batchRun.value;
  if (!current || held.size === 0) return;
  const rows = current.rows.map((row) => {
    const next = held.get(row.jobId);
    return next ? { ...row, job: next } : row;
  });
  held.clear();
  drawnAt = Date.now();
  batchRun.value = { ...current, rows };
  if (rowsEnded(batchProgress.value) === batchProgress.value.total) stopPolling();
}

// A new opening of the panel (another row) or closing it ends what this module shows.
effect(() => {
  void opening.value;
  stopPolling();
  dropHeld();
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
  const row = current.rows.find((r) => r.jobId === next.id);
  const latest = held.get(next.id) ?? row?.job;
  if (!row || (latest && next.updatedAt < latest.updatedAt)) return;
  held.set(next.id, next);
  const endsBatch = current.rows.every((r) => {
    const job = held.get(r.jobId) ?? r.job;
    return job !== null && isFinished(job.status);
  });
  const waited = Date.now() - drawnAt;
  if (endsBatch || waited >= BATCH_DRAW_EVERY_MS) drawHeld();
  else drawTimer ??= setTimeout(drawHeld, BATCH_DRAW_EVERY_MS - waited);
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
  dropHeld();
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
  if (rowsEnded(batchProgress.value) < batchProgress.value.total) pollTimer = setInterval(pollSome, POLL_MS);
}

export function closeBatch(): void {
  stopPolling();
  dropHeld();
  batchRun.value = null;
  batchError.value = null;
}
