import type { ActionParam } from '../../core/api.ts';
import { hiddenCodePoints } from '../../ui/shown-value.tsx';
import { isEditable, isSetByOrchestrator, suggestionsFor } from './action-choice.ts';
import { BatchOffer } from './batch-view.tsx';
import { backToCatalog, chosen, formProblem, pressRun, row, submitForm, values } from './panel-state.ts';

/** The chosen action's parameters, prefilled from the row; Enter runs it. */

function ParamInput({ param, index }: { param: ActionParam; index: number }) {
  const reading = row.value!;
  const id = `gs-param-${index}`;
  const listId = `${id}-values`;
  const suggestions = suggestionsFor(param, reading.context);
  const hidden = hiddenCodePoints(values.value[param.id] ?? '');
  return (
    <div class="param">
      <label for={id}>
        {param.name}
        {param.required && (
          <span class="required" title="required">
            {' *'}
            <span class="sr-only"> (required)</span>
          </span>
        )}
      </label>
      <input
        id={id}
        type="text"
        list={listId}
        required={param.required}
        value={values.value[param.id] ?? ''}
        onInput={(e) => {
          values.value = { ...values.value, [param.id]: (e.currentTarget as HTMLInputElement).value };
        }}
      />
      <datalist id={listId}>
        {suggestions.map((value) => (
          <option key={value} value={value} />
        ))}
      </datalist>
      {param.default && 'field' in param.default && (
        <span class="hint">from the row’s {param.default.field}</span>
      )}
      {hidden.length > 0 && (
        <span class="hint hidden-chars">holds characters that do not show: {hidden.join(', ')}</span>
      )}
    </div>
  );
}

export function ParamForm() {
  const action = chosen.value;
  if (!action) return null;
  const editable = action.params.filter(isEditable);
  const byOrchestrator = action.params.filter(isSetByOrchestrator);
  const constants = action.params.filter((p) => p.kind === 'constant' && !isSetByOrchestrator(p));
  return (
    <form
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        submitForm();
      }}
    >
      <p>
        <strong>{action.name}</strong> <span class="muted">· {action.plugin.name}</span>
      </p>
      {editable.length === 0 && <p class="muted">This action takes no values from you.</p>}
      {editable.map((param, i) => (
        <ParamInput key={param.id} param={param} index={i} />
      ))}
      {byOrchestrator.map((param) => (
        <div class="param" key={param.id}>
          <span>
            <strong>{param.name}</strong> <span class="readonly">set by the orchestrator</span>
          </span>
        </div>
      ))}
      {constants.length > 0 && (
        <details>
          <summary>{constants.length} fixed by the plugin</summary>
          <ul class="sent">
            {constants.map((param) => (
              <li key={param.id}>
                {param.name}
                {param.default && 'static' in param.default ? ` = ${param.default.static}` : ''}
              </li>
            ))}
          </ul>
        </details>
      )}
      {formProblem.value && (
        <p class="error" role="alert">
          {formProblem.value}
        </p>
      )}
      <div class="row-buttons">
        <button
          type="submit"
          class="primary"
          onPointerDown={(e) => {
            if (e.button === 0 && e.isPrimary) pressRun();
          }}
        >
          {action.sideEffects ? 'Review and run' : 'Run'}
        </button>
        <button type="button" onClick={backToCatalog}>
          Back
        </button>
      </div>
      <BatchOffer action={action} />
    </form>
  );
}
