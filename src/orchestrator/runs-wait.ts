import { type Run, type RunsWaitRequest, runSignature } from '../core/api.ts';
import { isFinished } from '../core/run-status.ts';
import { HttpError } from './http-error.ts';
import type { RunService } from './runs.ts';

/**
 * One long poll for many runs (`POST /api/v1/runs/wait`): the extension follows a batch's rows with one
 * request instead of one held request per row, which the browser could not keep open side by side (it
 * keeps a handful of connections to one orchestrator). Built on the single run's long poll
 * (`RunService.waitForChange`), so both answer on the same changes.
 *
 * A run counts as changed when its signature differs from the `seen` the caller sent, or, without `seen`,
 * when it has ended. A run the caller has already seen ended can change no more and is not waited on.
 */

type RunWatch = Pick<RunService, 'view' | 'waitForChange'>;
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

  const changed = (named: Named, run: Run): boolean =>
    named.seen === undefined ? isFinished(run.status) : runSignature(run) !== named.seen;

  /** The named runs, refusing the whole request when one is unknown, as the single-run route does. */
  function current(named: Named[]): Run[] {
    return named.map(({ id }, index) => {
      const run = runs.view(id);
      if (!run) throw new HttpError(404, 'not_found', 'run not found', `runs.${index}.id`);
      return run;
    });
  }

  /** Resolves with the runs that differ from what the caller has seen: at once, on the first change, or none. */
  return async function waitForAny({ runs: named, wait }: RunsWaitRequest): Promise<Run[]> {
    const ms = wait * 1000;
    const before = current(named);
    const ready = before.filter((run, i) => changed(named[i]!, run));
    if (ready.length > 0 || ms <= 0) return ready;
    const open = named.filter((_named, i) => !isFinished(before[i]!.status));
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timeUp = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, ms);
    });
    await Promise.race([timeUp, ...open.map((n) => watch(n.id, ms, n.seen))]);
    clearTimeout(timer);
    // Read again: a run removed meanwhile (retention) is simply left out, not an error after the wait.
    return named.flatMap((n) => {
      const run = runs.view(n.id);
      return run && changed(n, run) ? [run] : [];
    });
  };
}
