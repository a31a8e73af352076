import { batch, computed, signal } from '@preact/signals';
import type { Action } from '../../core/api.ts';
import type { CatalogResult, Job, PanelError, Reply } from '../../core/messages.ts';
import { isFinished } from '../../core/run-status.ts';
import { ask } from '../background-channel.ts';
import type { RowReading } from '../grid/read-row.ts';
import { missingRequired, paramsToSend, prefillParams } from './action-choice.ts';
import { giveFocusBack } from './focus-back.ts';
import type { PanelOpening } from './panel-opening.ts';

/**
 * The panel's state, in signals (one panel per page). Every request goes through `ask`, which always
 * settles within its timeout, so the panel can always show something and stay usable.
 */

export type Step = 'notice' | 'catalog' | 'form' | 'confirm' | 'run';
export type CatalogState =
  | { status: 'idle' }
  | { status: 'loading' }
  | { status: 'ready'; data: CatalogResult }
  | { status: 'error'; error: PanelError };

export const isOpen = signal(false);
export const step = signal<Step>('catalog');
export const opening = signal<PanelOpening | null>(null);
export const row = computed<RowReading | null>(() => opening.value?.row ?? null);
export const catalog = signal<CatalogState>({ status: 'idle' });
export const filter = signal('');
export const chosen = signal<Action | null>(null);
export const values = signal<Record<string, string>>({});
export const formProblem = signal<string | null>(null);
export const lowKeyConfirmed = signal(false);
export const job = signal<Job | null>(null);
/** Set while the chosen action is a pivot from a result: the job it came from (pivot-chips.tsx). */
export const pivotFrom = signal<Job | null>(null);
export const requestError = signal<PanelError | null>(null);
export const position = signal<{ x: number; y: number } | null>(null);
/** Ticks every second while a run is live, for the elapsed time. */
export const now = signal(Date.now());

/** Polling fallback for `job.update` pushes that were lost (worker restarted, tab backgrounded). */
const POLL_MS = 2_000;
let pollTimer: ReturnType<typeof setInterval> | undefined;
let clockTimer: ReturnType<typeof setInterval> | undefined;

/**
 * How long the form (or the confirmation) stays as it is after Run, for the run's first state to come.
 * A read-only lookup the orchestrator answers at its end is usually back within it, and the panel goes
 * straight from the form to the verdict. Drawing "Starting…" first made the console page lay out and
 * paint a new view while the plugin was starting on the same cores, and its frame delayed the start
 * itself (docs/benchmarks.md). Past it the run view shows the run's progress, still within the tenth of a
 * second an analyst reads as an immediate answer.
 */
export const RUN_VIEW_AFTER_MS = 100;
/**
 * How long the panel waits for the worker's answer to a start. The worker's own limit for one start is
 * its request's time limit plus the run's wait at the orchestrator, and it sends a side effect's start
 * whose answer was lost up to three times (job-engine.ts); the panel waits longer than all of that, so
 * what it shows is the worker's answer: the run, or the worker's own words for what went wrong.
 * Meanwhile the run view shows the pushed run.
 */
export const START_ANSWER_TIMEOUT_MS = 90_000;
let runViewTimer: ReturnType<typeof setTimeout> | undefined;

/**
 * Stops the panel's timers, and lets go of a start still on its way: whatever the analyst moved to since
 * (back to the list, another row, a closed panel) is not replaced by that run when it is answered.
 */
function stopTimers(): void {
  clearInterval(pollTimer);
  clearInterval(clockTimer);
  clearTimeout(runViewTimer);
  pollTimer = undefined;
  clockTimer = undefined;
  runViewTimer = undefined;
  awaitedStart = null;
}

export const jobFinished = computed(() => {
  const current = job.value;
  return current !== null && isFinished(current.status);
});

function watchJob(): void {
  stopTimers();
  if (jobFinished.value) return;
  clockTimer = setInterval(() => {
    now.value = Date.now();
  }, 1_000);
  pollTimer = setInterval(() => {
    const current = job.value;
    if (!current || !isOpen.value || jobFinished.value) {
      stopTimers();
      return;
    }
    void ask({ type: 'run.get', jobId: current.id }).then((reply) => {
      if (reply.ok) acceptJob(reply.data);
    });
  }, POLL_MS);
}

/**
 * The start the panel is waiting to hear back about. The worker pushes the run's state as soon as it has
 * it, before its answer to the start (which waits for the record to be written): a job pushed meanwhile
 * that is this action on this row with these values, created since the start was sent, is that run (or
 * one the worker would have merged it into), and is shown at once. The start's answer still settles
 * which job the panel follows.
 *
 * A read-only lookup is sent on the press of Run, before its click (`pressRun`): until the click comes
 * (`clicked`), what the worker says of it is kept here and nothing is shown.
 */
interface AwaitedStart {
  actionId: string;
  rowKey: string;
  params: Record<string, string>;
  since: number;
  clicked: boolean;
  /** The worker did not answer in time: a later push still shows the run, and Run may start anew. */
  unanswered?: boolean;
  /** Heard before the click: the start's answer, and its run's latest pushed state. */
  answer?: Reply<Job>;
  pushed?: Job;
}
let awaitedStart: AwaitedStart | null = null;

function answersAwaitedStart(next: Job): boolean {
  const awaited = awaitedStart;
  if (!awaited || chosen.value?.id !== awaited.actionId) return false;
  return (
    next.actionId === awaited.actionId &&
    next.context.key.value === awaited.rowKey &&
    next.createdAt >= awaited.since &&
    sameValues(next.params, awaited.params)
  );
}

function sameValues(a: Record<string, string>, b: Record<string, string>): boolean {
  const keys = Object.keys(a);
  return keys.length === Object.keys(b).length && keys.every((key) => b[key] === a[key]);
}

/** A job from a push or a poll: only the one this panel shows, and never an older state over a newer one. */
export function acceptJob(next: Job): void {
  const current = job.value;
  if (!current && awaitedStart && answersAwaitedStart(next)) {
    if (awaitedStart.clicked) {
      if (awaitedStart.unanswered) {
        awaitedStart = null;
        requestError.value = null;
        showRunView(next);
        watchJob();
      } else showRunView(next);
    } else awaitedStart.pushed = next;
    return;
  }
  if (!current || current.id !== next.id) return;
  if (typeof next.updatedAt === 'number' && next.updatedAt < current.updatedAt) return;
  job.value = next;
  if (jobFinished.value) stopTimers();
}

export async function loadCatalog(): Promise<void> {
  const reading = row.value;
  if (!reading) return;
  catalog.value = { status: 'loading' };
  const reply = await ask({ type: 'catalog.list', context: reading.context });
  if (opening.value?.row !== reading) return; // the panel was reopened for another row meanwhile
  catalog.value = reply.ok ? { status: 'ready', data: reply.data } : { status: 'error', error: reply.error };
}

export function openWith(next: PanelOpening): void {
  stopTimers();
  batch(() => {
    opening.value = next;
    isOpen.value = true;
    step.value = next.row ? 'catalog' : 'notice';
    catalog.value = { status: 'idle' };
    filter.value = '';
    chosen.value = null;
    values.value = {};
    formProblem.value = null;
    lowKeyConfirmed.value = false;
    job.value = null;
    pivotFrom.value = null;
    requestError.value = null;
    position.value = null;
  });
  if (next.row) void loadCatalog();
}

export function chooseAction(action: Action): void {
  const reading = row.value;
  if (!reading || !action.available) return;
  batch(() => {
    chosen.value = action;
    values.value = prefillParams(action, reading.context);
    pivotFrom.value = null;
    formProblem.value = null;
    lowKeyConfirmed.value = false;
    requestError.value = null;
    step.value = 'form';
  });
}

export function backToCatalog(): void {
  stopTimers();
  batch(() => {
    chosen.value = null;
    job.value = null;
    pivotFrom.value = null;
    requestError.value = null;
    step.value = 'catalog';
  });
}

/**
 * Pivot: the form of `action` on the same row, with the observable a result named in the parameter it
 * fills; the run started from it records the result's job as its parent.
 */
export function pivotTo(action: Action, paramId: string, value: string): void {
  const reading = row.value;
  const from = job.value;
  if (!reading || !from || !action.available) return;
  stopTimers();
  batch(() => {
    chosen.value = action;
    values.value = { ...prefillParams(action, reading.context), [paramId]: value };
    pivotFrom.value = from;
    job.value = null;
    formProblem.value = null;
    lowKeyConfirmed.value = false;
    requestError.value = null;
    step.value = 'form';
  });
}

/** Run (Enter) from the form: actions that change things go through the confirmation step first. */
export function submitForm(): void {
  const action = chosen.value;
  if (!action) return;
  const empty = missingRequired(action, values.value);
  if (empty.length > 0) {
    formProblem.value = `Fill in ${empty.map((p) => p.name).join(', ')}.`;
    return;
  }
  formProblem.value = null;
  if (action.sideEffects) step.value = 'confirm';
  else void startRun(false);
}

export const needsLowKeyConfirmation = computed(() => row.value?.context.key.confidence === 'low');

/**
 * The press on Run, before its click. An analyst's click lasts about a tenth of a second, and a lookup
 * that reads and changes nothing can use it: the start is sent now, and the click (`startRun`) takes it
 * over, so the verdict comes that much sooner. Nothing is shown before the click. A press that ends
 * elsewhere (the pointer moved off Run) leaves its run to the row's history, and to the cache for a lookup
 * with a cache time; that costs the lookup the analyst reached for, and nothing else. Actions
 * that change things, or wait for an approver, start on the click and their confirmation only.
 */
export function pressRun(): void {
  const action = chosen.value;
  const reading = row.value;
  if (!action || !reading || action.sideEffects || action.approval.levels > 0 || awaitedStart) return;
  if (missingRequired(action, values.value).length > 0) return;
  const awaited = sendStart(action, reading, false, false);
  // The click comes in the same task as the release: a release with no click after it leaves the run.
  const ended = new AbortController();
  const release = () => {
    ended.abort();
    setTimeout(() => {
      if (awaitedStart === awaited && !awaited.clicked) awaitedStart = null;
    });
  };
  addEventListener('pointerup', release, { capture: true, signal: ended.signal });
  addEventListener('pointercancel', release, { capture: true, signal: ended.signal });
}

export function startRun(refresh: boolean): void {
  const action = chosen.value;
  const reading = row.value;
  if (!action || !reading) return;
  if (action.sideEffects && needsLowKeyConfirmation.value && !lowKeyConfirmed.value) return;
  const pressed = awaitedStart;
  if (pressed && !pressed.clicked) {
    if (!refresh && answersPress(pressed, action, reading)) {
      clickPressed(pressed, action);
      return;
    }
    awaitedStart = null; // pressed with other values: that run goes on into the row's history
  }
  // Run pressed again while its start is on its way (the form is still shown): one start is enough.
  if (awaitedStart && !awaitedStart.unanswered) return;
  stopTimers();
  batch(() => {
    job.value = null;
    requestError.value = null;
  });
  sendStart(action, reading, refresh, true);
}

const answersPress = (pressed: AwaitedStart, action: Action, reading: RowReading): boolean =>
  pressed.actionId === action.id &&
  pressed.rowKey === reading.context.key.value &&
  sameValues(pressed.params, paramsToSend(action, values.value));

/** The click on a pressed Run: what the worker already said of the run is shown now. */
function clickPressed(pressed: AwaitedStart, action: Action): void {
  pressed.clicked = true;
  if (pressed.pushed) showRunView(pressed.pushed);
  if (pressed.answer) settleStart(pressed, action, pressed.answer);
  else if (!pressed.pushed) showRunViewLater();
}

/** Sends the start; `clicked` false for a press (`pressRun`), whose answer waits for the click. */
function sendStart(action: Action, reading: RowReading, refresh: boolean, clicked: boolean): AwaitedStart {
  const params = paramsToSend(action, values.value);
  const awaited: AwaitedStart = {
    actionId: action.id,
    rowKey: reading.context.key.value,
    params,
    since: Date.now(),
    clicked,
  };
  awaitedStart = awaited;
  if (clicked) showRunViewLater();
  void ask(
    {
      type: 'run.start',
      actionId: action.id,
      params,
      context: reading.context,
      refresh,
      ...(pivotFrom.value ? { parentJobId: pivotFrom.value.id } : {}),
    },
    START_ANSWER_TIMEOUT_MS,
  ).then((reply) => {
    // The analyst moved on meanwhile (stopTimers): the run is in the row's history, not shown over that.
    if (awaitedStart !== awaited) return;
    if (awaited.clicked) settleStart(awaited, action, reply);
    else awaited.answer = reply;
  });
  return awaited;
}

/** From the form, the run view waits for the run's first state; Run again in the run view clears it at once. */
function showRunViewLater(): void {
  if (step.value !== 'run') runViewTimer = setTimeout(() => showRunView(null), RUN_VIEW_AFTER_MS);
}

/** The start's answer, once its click has come. */
function settleStart(awaited: AwaitedStart, action: Action, reply: Reply<Job>): void {
  if (awaitedStart === awaited) awaitedStart = null;
  if (chosen.value !== action) return;
  if (!reply.ok && reply.error.code === 'timeout') {
    startNotAnswered(awaited);
    return;
  }
  if (!reply.ok) {
    // The answer is what counts: a start that failed after its run began (its record could not be saved)
    // says so in its error, which names the run; a state pushed meanwhile is not shown beside it.
    batch(() => {
      showRunView(null);
      job.value = null;
      requestError.value = reply.error;
    });
    return;
  }
  // A push may have brought this job's later state already.
  const shown = job.value;
  showRunView(
    shown && shown.id === reply.data.id && shown.updatedAt > reply.data.updatedAt ? shown : reply.data,
  );
  watchJob();
}

/**
 * The worker did not answer the start in time (a worker woken from a kill, a store slow to write). That
 * says nothing of the run: it may have been recorded and sent, and then it must not look failed, or the
 * analyst starts it again. A run already pushed stays shown and followed; else the panel says it does not
 * know yet, and still shows the run if the worker pushes it later.
 */
function startNotAnswered(awaited: AwaitedStart): void {
  if (job.value) {
    watchJob();
    return;
  }
  awaited.unanswered = true;
  awaitedStart = awaited;
  batch(() => {
    showRunView(null);
    requestError.value = {
      code: 'timeout',
      message: 'Gridside has not yet said whether this run started.',
      hint: 'If it did, it shows here as soon as Gridside answers, and in this row’s history. Try again only if it does not.',
    };
  });
}

/** The run view, showing `current` (null: the start is not answered yet, or failed). */
function showRunView(current: Job | null): void {
  clearTimeout(runViewTimer);
  runViewTimer = undefined;
  batch(() => {
    step.value = 'run';
    job.value = current;
  });
}

/** Run again: the same values; actions that change things are confirmed again. */
export function runAgain(): void {
  const action = chosen.value;
  if (!action) return;
  if (action.sideEffects) {
    lowKeyConfirmed.value = false;
    step.value = 'confirm';
  } else void startRun(true);
}

/**
 * Sends again a start whose answer was lost (`PanelError.sendAgain`), under the job's own key: the panel
 * then follows the run that start made, or makes now, once. Unlike Run again, it cannot run twice.
 */
export async function sendAgain(): Promise<void> {
  const current = job.value;
  if (current?.error?.sendAgain !== true) return;
  const reply = await ask({ type: 'run.resend', jobId: current.id });
  if (job.value?.id !== current.id) return; // the panel moved on meanwhile
  if (!reply.ok) {
    requestError.value = reply.error;
    return;
  }
  acceptJob(reply.data);
  watchJob();
}

export async function cancelRun(): Promise<void> {
  const current = job.value;
  if (!current || jobFinished.value) return;
  const reply = await ask({ type: 'run.cancel', jobId: current.id });
  if (!reply.ok) requestError.value = reply.error;
  else if (reply.data && typeof reply.data === 'object' && 'id' in reply.data) acceptJob(reply.data);
}

export function closePanel(): void {
  stopTimers();
  const current = opening.value;
  isOpen.value = false;
  giveFocusBack(current?.returnFocus, current?.row ? current.at : null);
}
