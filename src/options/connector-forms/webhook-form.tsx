import { useState } from 'preact/hooks';
import { z } from 'zod';
import { WebhookActionSchema, WebhookOptionsSchema } from '../../core/engines/webhook-options.ts';
import { type ConnectorOptionsFormProps, JsonField, SchemaStatus, setterFor } from './controls.tsx';
import { PRESET_LABELS, WEBHOOK_PRESETS, type WebhookPresetName } from './webhook-presets.ts';

/** Webhook entry options: a list of actions (URL, body template, response mapping), started from presets. */
export function WebhookOptionsForm(props: ConnectorOptionsFormProps) {
  const set = setterFor(props);
  // Remounts the JSON editor when a preset changes the list from outside it.
  const [revision, setRevision] = useState(0);
  const actions = Array.isArray(props.value.actions) ? (props.value.actions as { id?: unknown }[]) : [];

  const addPreset = (name: WebhookPresetName) => {
    const preset = WEBHOOK_PRESETS[name];
    const taken = new Set(actions.map((a) => a.id));
    let id: string = preset.id;
    for (let n = 2; taken.has(id); n++) id = `${preset.id}-${n}`;
    set('actions', [...actions, { ...preset, id }]);
    setRevision((r) => r + 1);
  };

  return (
    <fieldset class="gs-connector-form">
      <legend>Webhook SOAR</legend>
      <p class="gs-help">
        The entry secret is sent in each action's <code>authHeader</code> (or put in its URL by{' '}
        <code>{'{{secret}}'}</code>). Placeholders: <code>{'{{SIP}}'}</code>, <code>{'{{param.x}}'}</code>,{' '}
        <code>{'{{row.labels.Origin IP}}'}</code>, <code>{'{{row.alarmId}}'}</code>,{' '}
        <code>{'{{row.fieldsJson}}'}</code>.
      </p>
      <fieldset class="gs-presets">
        <legend>Add an action from a preset</legend>
        {(Object.keys(WEBHOOK_PRESETS) as WebhookPresetName[]).map((name) => (
          <button key={name} type="button" onClick={() => addPreset(name)}>
            Add {PRESET_LABELS[name]} action
          </button>
        ))}
      </fieldset>
      <JsonField
        key={revision}
        label="Actions (JSON)"
        name="actions"
        value={props.value.actions}
        schema={z.array(WebhookActionSchema)}
        rows={18}
        set={set}
      />
      <SchemaStatus schema={WebhookOptionsSchema} value={props.value} />
    </fieldset>
  );
}
