import { useSignal } from '@preact/signals';
import { type OrchestratorEntry, OrchestratorEntrySchema, OrchestratorKindSchema } from '../core/settings.ts';
import { askWorker } from './background.ts';
import { connectorOptionsForm } from './connector-forms/index.ts';
import { KeyValueEditor } from './key-value-editor.tsx';
import { SetByOrganisation } from './set-by-organisation.tsx';
import { managed, saveWithOrchestratorAccess, secretSet, setSecret, settings } from './state.ts';

const KIND_LABELS: Record<OrchestratorEntry['kind'], string> = {
  gridside: 'Gridside orchestrator',
  cortex: 'TheHive Cortex',
  stackstorm: 'StackStorm',
  webhook: 'Webhook SOAR (Tines, n8n, Shuffle, Logic Apps)',
  logrhythm: 'LogRhythm Alarm API',
};

/** Orchestrators: engine kind, URL, token (write-only), connection test, which one is the default. */
export function OrchestratorsSection() {
  const current = settings.value;
  if (!current) return null;

  const add = () => {
    const id = `orch-${Date.now().toString(36)}`;
    const entry: OrchestratorEntry = {
      id,
      kind: 'gridside',
      name: 'New orchestrator',
      url: 'https://orchestrator.example.com/',
      enabled: true,
      options: {},
    };
    void saveWithOrchestratorAccess(
      {
        ...current,
        orchestrators: [...current.orchestrators, entry],
        defaultOrchestratorId: current.defaultOrchestratorId ?? id,
      },
      'Orchestrator added. Set its URL and token.',
    );
  };

  return (
    <section aria-labelledby="orchestrators-title">
      <h2 id="orchestrators-title">Orchestrators</h2>
      <p class="muted">
        Where Gridside runs actions. Tokens are kept in this browser's extension storage only.
      </p>
      {current.orchestrators.length === 0 && <p>No orchestrator configured yet.</p>}
      {current.orchestrators.map((entry) => (
        <OrchestratorForm
          key={entry.id}
          entry={entry}
          isDefault={current.defaultOrchestratorId === entry.id}
          locked={managed.value.orchestratorIds.includes(entry.id)}
        />
      ))}
      <button type="button" onClick={add}>
        Add orchestrator
      </button>
    </section>
  );
}

/**
 * One orchestrator entry. A `locked` entry was set by the organisation: its fields and Remove are
 * disabled; its token, the connection test and "Make default" stay the analyst's.
 */
function OrchestratorForm(props: { entry: OrchestratorEntry; isDefault: boolean; locked: boolean }) {
  const draft = useSignal<OrchestratorEntry>(props.entry);
  const token = useSignal('');
  const problem = useSignal<string | null>(null);
  const testResult = useSignal<{ ok: boolean; text: string } | null>(null);
  const busy = useSignal(false);
  const id = props.entry.id;
  const hasToken = secretSet.value[id] === true;
  const entry = draft.value;
  const update = (patch: Partial<OrchestratorEntry>) => {
    draft.value = { ...draft.value, ...patch };
  };

  /** Saves this entry (with the others unchanged); a click handler, so it may ask for the URL's origin. */
  const save = async (makeDefault = props.isDefault): Promise<boolean> => {
    const current = settings.value;
    if (!current) return false;
    const parsed = OrchestratorEntrySchema.safeParse(draft.value);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      problem.value = `${issue?.path.join('.') || 'entry'}: ${issue?.message ?? 'invalid'}`;
      return false;
    }
    problem.value = null;
    return saveWithOrchestratorAccess({
      ...current,
      orchestrators: current.orchestrators.map((e) => (e.id === id ? parsed.data : e)),
      defaultOrchestratorId: makeDefault ? id : current.defaultOrchestratorId,
    });
  };

  const test = async () => {
    busy.value = true;
    testResult.value = null;
    if (await save()) {
      const reply = await askWorker({ type: 'connection.test', orchestratorId: id });
      testResult.value = reply.ok
        ? {
            ok: true,
            text: `Connected${reply.data.user ? ` as ${reply.data.user}` : ''}. ${reply.data.detail ?? ''}`,
          }
        : {
            ok: false,
            text: reply.error.hint ? `${reply.error.message} ${reply.error.hint}` : reply.error.message,
          };
    }
    busy.value = false;
  };

  const remove = () => {
    const current = settings.value;
    if (!current) return;
    const rest = current.orchestrators.filter((e) => e.id !== id);
    void saveWithOrchestratorAccess(
      {
        ...current,
        orchestrators: rest,
        defaultOrchestratorId: props.isDefault ? rest[0]?.id : current.defaultOrchestratorId,
      },
      'Orchestrator removed.',
    );
  };

  const f = (name: string) => `${id}-${name}`;
  return (
    <form
      class="card"
      aria-label={entry.name}
      onSubmit={(e) => {
        e.preventDefault();
        void save();
      }}
    >
      {props.locked && <SetByOrganisation id={f('managed')} />}
      {/* A disabled fieldset disables every field in it, the connector's own options included. */}
      <fieldset
        class="plain"
        disabled={props.locked}
        aria-describedby={props.locked ? f('managed') : undefined}
      >
        <div class="row">
          <label for={f('name')}>Name</label>
          <input id={f('name')} value={entry.name} onInput={(e) => update({ name: e.currentTarget.value })} />
        </div>
        <div class="row">
          <label for={f('kind')}>Engine</label>
          <select
            id={f('kind')}
            value={entry.kind}
            onChange={(e) => update({ kind: OrchestratorKindSchema.parse(e.currentTarget.value) })}
          >
            {OrchestratorKindSchema.options.map((kind) => (
              <option key={kind} value={kind}>
                {KIND_LABELS[kind]}
              </option>
            ))}
          </select>
        </div>
        <div class="row">
          <label for={f('url')}>URL</label>
          <input
            id={f('url')}
            type="url"
            value={entry.url}
            spellcheck={false}
            onInput={(e) => update({ url: e.currentTarget.value })}
          />
        </div>
        <div class="row">
          <label for={f('enabled')}>Enabled</label>
          <input
            id={f('enabled')}
            type="checkbox"
            checked={entry.enabled}
            onChange={(e) => update({ enabled: e.currentTarget.checked })}
          />
        </div>
        <ConnectorOptions entry={entry} onChange={(options) => update({ options })} />
      </fieldset>
      {problem.value && (
        <p class="error" role="alert">
          {problem.value}
        </p>
      )}
      <div class="actions">
        <button type="submit" disabled={props.locked}>
          Save
        </button>
        <button type="button" disabled={busy.value} onClick={() => void test()}>
          {busy.value ? 'Testing…' : 'Test connection'}
        </button>
        {props.isDefault ? (
          <span class="badge">Default</span>
        ) : (
          <button type="button" onClick={() => void save(true)}>
            Make default
          </button>
        )}
        <button type="button" class="danger" disabled={props.locked} onClick={remove}>
          Remove
        </button>
      </div>
      {/* An orchestrator that does not answer keeps the test going until the worker gives up (about 20 s). */}
      {busy.value && (
        <p class="muted" role="status">
          Testing the connection…
        </p>
      )}
      {testResult.value && (
        <p class={testResult.value.ok ? 'ok' : 'error'} role="status">
          {testResult.value.text}
        </p>
      )}

      <div class="row token">
        <label for={f('token')}>Token</label>
        {/* Write-only: the stored token is never sent back to this page. */}
        <input
          id={f('token')}
          type="password"
          autocomplete="off"
          placeholder={hasToken ? 'set (type to replace)' : 'not set'}
          value={token.value}
          onInput={(e) => {
            token.value = e.currentTarget.value;
          }}
          aria-describedby={f('token-state')}
        />
        <span id={f('token-state')} class="muted">
          {hasToken ? 'Token: set' : 'Token: not set'}
        </span>
        <button
          type="button"
          disabled={token.value === ''}
          onClick={async () => {
            if (await setSecret(id, token.value)) token.value = '';
          }}
        >
          Save token
        </button>
        {hasToken && (
          <button type="button" onClick={() => void setSecret(id, null)}>
            Remove token
          </button>
        )}
      </div>
    </form>
  );
}

/** The engine's own options form where it has one; plain key → value pairs otherwise. */
function ConnectorOptions(props: {
  entry: OrchestratorEntry;
  onChange: (options: Record<string, unknown>) => void;
}) {
  const { entry } = props;
  if (entry.kind === 'gridside') return null;
  const Form = connectorOptionsForm(entry.kind);
  if (Form) return <Form value={entry.options} onChange={props.onChange} />;
  return <KeyValueEditor idPrefix={entry.id} value={entry.options} onChange={props.onChange} />;
}
