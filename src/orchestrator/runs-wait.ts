import { type Run, type RunsWaitRequest, runSignature } from '../core/api.ts';
import { isFinished } from '../core/run-status.ts';
import { HttpError } from './http-error.ts';
import type { RunService, RunState } from './runs.ts';

/**
 * One long poll for many runs (`POST /api/v1/runs/wait`): the extension follows a batch's rows with one
 * request instead of one held request per row, which the browser could not keep open side by side (it
 * keeps a handful of connections to one orchestrator). Built on the single run's long poll
 * (`RunService.waitForChange`), so both answer on the same changes.
 *
 * A run counts as changed when its signature differs from the `seen` the caller sent, or, without `seen`,
 * when it has ended. A run the caller has already seen ended can change no more and is not waited on.
 *
 * A run that has come to wait for approval is answered at once: a person has to act on it. An end is held
 * `END_GATHER_MS` for the ends of the other runs still going, and answered with every end that came by
 * then; once none is left going it is answered at once, so a batch's last row is not held. Progress alone
 * (queued → running, one approval level of several given) waits up to `PROGRESS_GATHER_MS` for an end,
 * which is then held as any end is.
 *
 * Why hold ends: each answer costs the browser a request, stored records and a panel update, and a batch's
 * rows end a few tens of milliseconds apart on the orchestrator's slots, each end starting the next row's
 * plugin. Answered at the second end, the browser woke about twice per round of slots, each time while
 * the next plugins were starting on the same cores. Answered at the first end after progress, it woke for
 * every end: the row that took the freed slot had started after the answer was read, so the next poll
 * found progress at once, and so on. Held for the whole moment, it wakes about once per round of slots
 * (`docs/benchmarks-history.md`, fourteenth round). The panel draws a batch's list at most every 200 ms, so a row
 * shown that much later is not seen later.
 */

/** How long a poll that has only progress to tell waits on for an end among its runs. */
export const PROGRESS_GATHER_MS = 250;
/** How long a poll that has an end to tell holds it for the ends of the other runs still going. */
export const END_GATHER_MS = 100;

type RunWatch = Pick<RunService, 'view' | 'state' | 'waitForChange'>;
type Named = RunsWaitRequest['runs'][number];

export function createRunsWait(runs: RunWatch) {
  /**
   * Waits already held on the run service, by run and signature. A poll that ends on another run's change
   * leaves its other waits behind until their run changes or their time runs out; the next poll for the
   * same runs joins them instead of adding more, so what is held stays bounded by the runs being watched.
   */
  const held = new Map<string, Promise<void>>();

  function watch(id: string, ms: number, seen: string | undefined): Promise<void> {
    const key = JSON.stringify([id, seen ?? null]);
    let waiting = held.get(key);
    if (!waiting) {
      waiting = runs.waitForChange(id, ms, seen).finally(() => held.delete(key));
      held.set(key, waiting);
    }
    return waiting;
  }

  const changed = (named: Named, run: RunState): boolean =>
    named.seen === undefined ? isFinished(run.status) : runSignature(run) !== named.seen;

  /** The named runs, refusing the whole request when one is unknown, as the single-run route does. */
  function current(named: Named[]): RunState[] {
    return named.map(({ id }, index) => {
      const run = runs.state(id);
      if (!run) throw new HttpError(404, 'not_found', 'run not found', `runs.${index}.id`);
      return run;
    });
  }

  /** Whether the run has come to wait for approval since the caller looked: that is told at once. */
  const nowPending = (named: Named, run: RunState): boolean =>
    run.status === 'pending_approval' && named.seen?.split('|')[0] !== 'pending_approval';

  /** Each named run as it stands now; one removed meanwhile (retention) is simply left out. */
  const look = (named: Named[]): { named: Named; run: RunState }[] =>
    named.flatMap((n) => {
      const run = runs.state(n.id);
      return run ? [{ named: n, run }] : [];
    });
  const going = (seen: { named: Named; run: RunState }[]): Named[] =>
    seen.filter((s) => !isFinished(s.run.status)).map((s) => s.named);

  /**
   * Resolves with the runs that differ from what the caller has seen, once one changed (gathered with an
   * end that follows soon, see above), or none when the time is up.
   */
  return async function waitForAny({ runs: named, wait }: RunsWaitRequest): Promise<Run[]> {
    const ms = wait * 1000;
    const until = Date.now() + ms;
    let now = current(named).map((run, i) => ({ named: named[i]!, run }));
    let found = now.filter((s) => changed(s.named, s.run));
    /** Looks at the named runs again after a wait. */
    const lookAgain = (): void => {
      now = look(named);
      found = now.filter((s) => changed(s.named, s.run));
    };
    if (found.length === 0 && ms > 0) {
      await within(
        ms,
        going(now).map((n) => watch(n.id, ms, n.seen)),
      );
      lookAgain();
    }
    const ended = (): boolean => found.some((s) => isFinished(s.run.status));
    const pending = (): boolean => found.some((s) => nowPending(s.named, s.run));
    const left = (): number => until - Date.now();
    // The waits below are end-only waits on the runs still going, held on the run service for this moment
    // alone: each resolves at its run's end or when the moment is up.
    const endsOfOthers = (ms: number): Promise<void>[] => going(now).map((n) => runs.waitForChange(n.id, ms));
    if (found.length > 0 && !pending() && !ended()) {
      // Progress alone: answered with the first end among the runs still going, held as any end below.
      const gather = Math.min(PROGRESS_GATHER_MS, left());
      if (gather > 0 && going(now).length > 0) {
        await within(gather, endsOfOthers(gather));
        lookAgain();
      }
    }
    const hold = Math.min(END_GATHER_MS, left());
    if (ended() && !pending() && hold > 0 && going(now).length > 0) {
      // An end: held until every other run still going has ended too, or the moment is up.
      await Promise.all(endsOfOthers(hold));
      lookAgain();
    }
    // Read in the same turn as the states above: no run can have changed in between.
    return found.flatMap((s) => {
      const run = runs.view(s.named.id);
      return run ? [run] : [];
    });
  };
}

/** Resolves when one of `waits` does, or after `ms`. */
async function within(ms: number, waits: Promise<void>[]): Promise<void> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeUp = new Promise<void>((resolve) => {
    timer = setTimeout(resolve, ms);
  });
  await Promise.race([timeUp, ...waits]);
  clearTimeout(timer);
}
