import type { Action } from '../../core/api.ts';
import { rankActions } from './action-choice.ts';
import { catalog, chooseAction, filter, loadCatalog, row } from './panel-state.ts';

/** The action catalog: actions this row can fill first, a filter box, badges, unavailable ones disabled. */

function Badges({ action }: { action: Action }) {
  const levels = action.approval.levels;
  return (
    <>
      {levels > 0 && (
        <span class="badge">
          needs approval ({levels} {levels === 1 ? 'level' : 'levels'})
        </span>
      )}
      {action.sideEffects && <span class="badge changes">changes things</span>}
    </>
  );
}

export function CatalogView() {
  const state = catalog.value;
  const reading = row.value;
  if (!reading) return null;
  if (state.status === 'loading' || state.status === 'idle') return <p class="muted">Loading actions…</p>;
  if (state.status === 'error') {
    return (
      <div class="error" role="alert">
        <p>{state.error.message}</p>
        {state.error.hint && <p>{state.error.hint}</p>}
        <button type="button" onClick={() => void loadCatalog()}>
          Try again
        </button>
      </div>
    );
  }
  const fits = rankActions(state.data.actions, reading.context, filter.value);
  return (
    <>
      <input
        type="search"
        placeholder="Filter actions"
        aria-label="Filter actions"
        value={filter.value}
        onInput={(e) => {
          filter.value = (e.currentTarget as HTMLInputElement).value;
        }}
      />
      {state.data.actions.length === 0 && (
        <p class="muted">{state.data.orchestrator.name} offers no actions.</p>
      )}
      <ul class="actions" aria-label={`Actions from ${state.data.orchestrator.name}`}>
        {fits.map(({ action, lacks }) => (
          <li key={action.id}>
            <button
              type="button"
              class={`action${lacks.length ? ' lacking' : ''}`}
              disabled={!action.available}
              onClick={() => chooseAction(action)}
            >
              <span class="plugin">{action.plugin.name}</span>
              <br />
              <span class="name">{action.name}</span>
              <Badges action={action} />
              {action.description && (
                <>
                  <br />
                  <span class="hint">{action.description}</span>
                </>
              )}
              {!action.available && (
                <>
                  <br />
                  <span class="hint">
                    Unavailable: {action.unavailableReason ?? 'refused by the orchestrator'}
                  </span>
                </>
              )}
              {action.available && lacks.length > 0 && (
                <>
                  <br />
                  <span class="hint">row lacks: {lacks.join(', ')}</span>
                </>
              )}
            </button>
          </li>
        ))}
      </ul>
    </>
  );
}
