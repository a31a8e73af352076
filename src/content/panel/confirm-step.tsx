import { HiddenCharactersNote, ShownValue } from '../../ui/shown-value.tsx';
import { paramsToSend } from './action-choice.ts';
import {
  chosen,
  lowKeyConfirmed,
  needsLowKeyConfirmation,
  row,
  startRun,
  step,
  values,
} from './panel-state.ts';

/** Actions that change things: show exactly what will be sent, and make a weakly identified row explicit. */
export function ConfirmStep() {
  const action = chosen.value;
  const reading = row.value;
  if (!action || !reading) return null;
  const sent = paramsToSend(action, values.value);
  const lowKey = needsLowKeyConfirmation.value;
  return (
    <div>
      <p class="warning">
        <strong>{action.name}</strong> changes things. It will run with exactly these values:
      </p>
      {/* The focus starts on the values, not on Run: what is consented to is read first, and a key still
          held from the form cannot confirm (panel-view.tsx). */}
      <ul class="sent" aria-label="Values that will be sent" tabIndex={-1} data-focus-first>
        {Object.entries(sent).map(([id, value]) => (
          <li key={id}>
            {action.params.find((p) => p.id === id)?.name ?? id} = <ShownValue value={value} />
          </li>
        ))}
        {Object.keys(sent).length === 0 && <li>(no values from this row)</li>}
      </ul>
      <HiddenCharactersNote values={Object.values(sent)} />
      {action.approval.levels > 0 && (
        <p class="muted">It then waits for {action.approval.levels} approval level(s) before it runs.</p>
      )}
      {lowKey && (
        <div class="warning" role="alert">
          <p>
            This row could not be identified reliably (the grid shows no ID column). Check the values above.
          </p>
          <label>
            <input
              type="checkbox"
              checked={lowKeyConfirmed.value}
              onChange={(e) => {
                lowKeyConfirmed.value = (e.currentTarget as HTMLInputElement).checked;
              }}
            />{' '}
            I checked: these are the right values
          </label>
        </div>
      )}
      <div class="row-buttons">
        <button
          type="button"
          class="primary"
          disabled={lowKey && !lowKeyConfirmed.value}
          onClick={() => startRun(false)}
        >
          Run {action.name}
        </button>
        <button
          type="button"
          onClick={() => {
            step.value = 'form';
          }}
        >
          Back
        </button>
      </div>
    </div>
  );
}
