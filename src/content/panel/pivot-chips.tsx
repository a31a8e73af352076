import { useState } from 'preact/hooks';
import type { ResultObservable } from '../../core/result-observables.ts';
import { catalog, pivotTo } from './panel-state.ts';
import { PIVOT_LABEL, pivotChoices, pivotName } from './pivot-binding.ts';

/**
 * The observables a result names, as chips under its output: picking one lists the actions that take it
 * (pivot-binding.ts), and picking an action opens its form on the same row with the value filled in.
 * Values are plugin output: rendered as text only.
 */

function PivotActions({ observable }: { observable: ResultObservable }) {
  const state = catalog.value;
  if (state.status !== 'ready') return <p class="muted">The action list is not loaded.</p>;
  const choices = pivotChoices(state.data.actions, observable);
  if (choices.length === 0) {
    return <p class="muted">No action here takes this {PIVOT_LABEL[observable.type]}.</p>;
  }
  return (
    <ul class="actions" aria-label={`Actions on ${observable.value}`}>
      {choices.map((choice) => (
        <li key={choice.action.id}>
          <button
            type="button"
            class="action pivot-action"
            onClick={() => pivotTo(choice.action, choice.param.id, observable.value)}
          >
            <span class="name">{pivotName(choice)}</span>{' '}
            <span class="plugin">
              {choice.param.name} = {observable.value}
            </span>
          </button>
        </li>
      ))}
    </ul>
  );
}

export function PivotChips({ observables }: { observables: readonly ResultObservable[] }) {
  const [picked, setPicked] = useState<ResultObservable | null>(null);
  if (observables.length === 0) return null;
  return (
    <div class="pivots">
      <p class="muted">Found in this result — pick one to run an action on it:</p>
      <ul class="chips" aria-label="Observables in this result">
        {observables.map((o) => (
          <li key={`${o.type}:${o.value}`}>
            <button
              type="button"
              class="chip pivot-chip"
              data-type={o.type}
              aria-pressed={picked === o}
              onClick={() => setPicked(picked === o ? null : o)}
            >
              <span class="pivot-type">{PIVOT_LABEL[o.type]}</span> {o.value}
            </button>
          </li>
        ))}
      </ul>
      {picked && <PivotActions observable={picked} />}
    </div>
  );
}
