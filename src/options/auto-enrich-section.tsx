import { useSignal } from '@preact/signals';
import { useEffect } from 'preact/hooks';
import {
  AUTO_ENRICH_DEFAULTS,
  type AutoEnrichCondition,
  type AutoEnrichConsole,
  ruleWords,
} from '../core/auto-enrich.ts';
import { FIELDS } from '../core/fields.ts';
import type { ReadOnlyActions } from '../core/options-messages.ts';
import { askWorker } from './background.ts';
import { saveSettings, settings } from './state.ts';

/**
 * Per console: "when rows on screen have field F (e.g. a public SIP), run read-only action X for them"
 * (docs/auto-enrichment.md). Only the orchestrator's read-only actions are offered; the worker checks
 * again before every run. Off by default; the popup's switch turns it on and off for the site.
 */
export function AutoEnrichSection() {
  const actions = useSignal<ReadOnlyActions['actions'] | null>(null);
  useEffect(() => {
    void askWorker({ type: 'actions.readOnly' }).then((reply) => {
      actions.value = reply.ok ? reply.data.actions : [];
    });
  }, []);
  const current = settings.value;
  if (!current) return null;
  return (
    <section aria-labelledby="auto-title">
      <h2 id="auto-title">Auto-enrichment</h2>
      <p class="muted">
        Run a read-only action for the rows on screen automatically, and show its verdict beside each row.
        Bounded by a budget of runs per minute and a number of runs at once; answers from the result cache are
        free.
      </p>
      {current.consoles.length === 0 && <p>Enable a console first.</p>}
      {current.consoles.map((origin) => (
        <ConsoleAutoEnrich
          key={origin}
          origin={origin}
          config={current.autoEnrich?.[origin] ?? defaults()}
          actions={actions.value ?? []}
        />
      ))}
      <datalist id="auto-fields">
        {FIELDS.map((f) => (
          <option key={f.name} value={f.name}>
            {f.labels[0] ?? f.name}
          </option>
        ))}
      </datalist>
    </section>
  );
}

const defaults = (): AutoEnrichConsole => ({ enabled: false, rules: [], ...AUTO_ENRICH_DEFAULTS });

function ConsoleAutoEnrich(props: {
  origin: string;
  config: AutoEnrichConsole;
  actions: ReadOnlyActions['actions'];
}) {
  const field = useSignal('SIP');
  const when = useSignal<AutoEnrichCondition>('public-ip');
  const actionId = useSignal('');
  const { origin, config, actions } = props;
  const slug = `auto-${origin.replace(/[^a-z0-9]+/gi, '-')}`;
  const known = new Set(FIELDS.map((f) => f.name as string));
  const nameOf = (id: string) => actions.find((a) => a.id === id)?.name ?? id;
  const chosen = actionId.value || actions[0]?.id || '';

  const save = (next: AutoEnrichConsole, done: string) => {
    const now = settings.value;
    if (!now) return;
    void saveSettings({ ...now, autoEnrich: { ...now.autoEnrich, [origin]: next } }, done);
  };
  const limit = (value: string, min: number, max: number) =>
    Math.max(min, Math.min(max, Math.round(Number(value) || min)));

  return (
    <fieldset class="card" data-console={origin}>
      <legend>
        <code>{origin}</code>
      </legend>
      <label>
        <input
          type="checkbox"
          checked={config.enabled}
          disabled={config.rules.length === 0}
          onChange={(e) =>
            save(
              { ...config, enabled: e.currentTarget.checked },
              e.currentTarget.checked ? 'Auto-enrichment is on.' : 'Auto-enrichment is off.',
            )
          }
        />{' '}
        Auto-enrich rows on this console
      </label>
      <div class="row">
        <label for={`${slug}-budget`}>Runs per minute</label>
        <input
          id={`${slug}-budget`}
          type="number"
          min={1}
          max={600}
          value={config.perMinute}
          onChange={(e) =>
            save({ ...config, perMinute: limit(e.currentTarget.value, 1, 600) }, 'Budget saved.')
          }
        />
        <label for={`${slug}-cap`}>Runs at once</label>
        <input
          id={`${slug}-cap`}
          type="number"
          min={1}
          max={10}
          value={config.concurrency}
          onChange={(e) =>
            save({ ...config, concurrency: limit(e.currentTarget.value, 1, 10) }, 'Limit saved.')
          }
        />
      </div>
      <ul class="list">
        {config.rules.map((rule, index) => (
          <li key={`${rule.field}-${rule.when}-${rule.actionId}`}>
            <span>{ruleWords(rule, nameOf(rule.actionId))}</span>
            <button
              type="button"
              aria-label={`Remove rule ${ruleWords(rule, nameOf(rule.actionId))}`}
              onClick={() => {
                const rules = config.rules.filter((_, i) => i !== index);
                save({ ...config, rules, enabled: config.enabled && rules.length > 0 }, 'Rule removed.');
              }}
            >
              Remove
            </button>
          </li>
        ))}
      </ul>
      <form
        class="row"
        onSubmit={(e) => {
          e.preventDefault();
          if (!known.has(field.value) || !chosen) return;
          const rule = { field: field.value, when: when.value, actionId: chosen };
          save(
            { ...config, rules: [...config.rules, rule] },
            'Rule added. Switch it on here or in the popup.',
          );
        }}
      >
        <label for={`${slug}-field`}>When field</label>
        <input
          id={`${slug}-field`}
          list="auto-fields"
          value={field.value}
          onInput={(e) => {
            field.value = e.currentTarget.value;
          }}
        />
        <select
          aria-label="Condition"
          value={when.value}
          onChange={(e) => {
            when.value = e.currentTarget.value as AutoEnrichCondition;
          }}
        >
          <option value="public-ip">is a public IP</option>
          <option value="present">has a value</option>
        </select>
        <label for={`${slug}-action`}>run</label>
        <select
          id={`${slug}-action`}
          value={chosen}
          onChange={(e) => {
            actionId.value = e.currentTarget.value;
          }}
        >
          {actions.map((a) => (
            <option key={a.id} value={a.id}>
              {a.name}
            </option>
          ))}
        </select>
        <button type="submit" disabled={!known.has(field.value) || !chosen || config.rules.length >= 10}>
          Add rule
        </button>
      </form>
      {actions.length === 0 && (
        <p class="muted">The orchestrator offers no read-only action (or cannot be reached).</p>
      )}
    </fieldset>
  );
}
