import { useEffect, useRef } from 'preact/hooks';
import { ApprovalCard } from './approval-card.tsx';
import { approvals, approvalsError, focusRuns, isFocused, loadApprovals } from './state.ts';

/** Every orchestrator's runs waiting for this analyst, or why there are none to show. */
export function ApprovalList() {
  const view = approvals.value;
  const failed = approvalsError.value;
  const section = useRef<HTMLElement>(null);
  const focused = useRef(false);
  useEffect(() => {
    // The approval window is about the row's runs, listed first: the keyboard starts in the first card
    // (its comment box), not on the page's body. Once: a refresh does not move it.
    if (focused.current || focusRuns.value.length === 0) return;
    const first = section.current?.querySelector<HTMLElement>('li.run textarea, li.run button');
    if (!first) return;
    focused.current = true;
    first.focus();
  }, [view]);
  return (
    <section ref={section} aria-labelledby="approvals-title">
      <div class="heading">
        <h2 id="approvals-title">Waiting for your approval</h2>
        <button type="button" class="quiet" onClick={() => void loadApprovals()}>
          Refresh
        </button>
      </div>
      {failed && (
        <p class="error" role="alert">
          {failed.message}
          {failed.hint && ` ${failed.hint}`}
        </p>
      )}
      {!view && !failed && <p class="muted">Asking the orchestrators…</p>}
      {view && view.queues.length === 0 && (
        <p class="muted">No orchestrator with an approval step is configured.</p>
      )}
      {view?.queues.map((queue) => (
        <div key={queue.orchestratorId} class="queue">
          {view.queues.length > 1 && <h3 class="queue-name">{queue.orchestratorName}</h3>}
          {queue.error ? (
            <p class="error">
              {queue.error.message}
              {queue.error.hint && ` ${queue.error.hint}`}
            </p>
          ) : !queue.approver ? (
            <p class="muted">
              Signed in as {queue.user}, who does not have the approver role on {queue.orchestratorName}.
            </p>
          ) : queue.runs.length === 0 ? (
            <p class="muted">Nothing waits for you on {queue.orchestratorName}.</p>
          ) : (
            <ul class="runs">
              {firstTheRowsRuns(queue.orchestratorId, queue.runs).map((run) => (
                <ApprovalCard
                  key={run.id}
                  orchestratorId={queue.orchestratorId}
                  run={run}
                  focused={isFocused(queue.orchestratorId, run.id)}
                />
              ))}
            </ul>
          )}
        </div>
      ))}
    </section>
  );
}

/** The runs of the row the window was opened from, then the rest, each group in the orchestrator's order. */
function firstTheRowsRuns<R extends { id: string }>(orchestratorId: string, runs: R[]): R[] {
  const mine = runs.filter((run) => isFocused(orchestratorId, run.id));
  return mine.length === 0 ? runs : [...mine, ...runs.filter((run) => !mine.includes(run))];
}
