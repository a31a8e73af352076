import { useSignal } from '@preact/signals';
import { FIELDS } from '../core/fields.ts';
import { saveSettings, settings } from './state.ts';

/**
 * Per console: a column label → canonical field mapping that overrides the built-in crosswalk, for
 * consoles whose column names Gridside does not recognise.
 */
export function FieldOverridesSection() {
  const current = settings.value;
  if (!current) return null;
  return (
    <section aria-labelledby="fields-title">
      <h2 id="fields-title">Field mapping</h2>
      <p class="muted">Tell Gridside which field a column holds when it guesses wrong or not at all.</p>
      {current.consoles.length === 0 && <p>Enable a console first.</p>}
      {current.consoles.map((origin) => (
        <ConsoleOverrides key={origin} origin={origin} overrides={current.fieldOverrides[origin] ?? {}} />
      ))}
      <datalist id="canonical-fields">
        {FIELDS.map((f) => (
          <option key={f.name} value={f.name}>
            {f.labels[0] ?? f.name}
          </option>
        ))}
      </datalist>
    </section>
  );
}

function ConsoleOverrides(props: { origin: string; overrides: Record<string, string> }) {
  const label = useSignal('');
  const field = useSignal('');
  const save = (next: Record<string, string>) => {
    const current = settings.value;
    if (!current) return;
    void saveSettings(
      { ...current, fieldOverrides: { ...current.fieldOverrides, [props.origin]: next } },
      'Field mapping saved.',
    );
  };
  const slug = props.origin.replace(/[^a-z0-9]+/gi, '-');
  const known = new Set(FIELDS.map((f) => f.name as string));

  return (
    <fieldset class="card">
      <legend>
        <code>{props.origin}</code>
      </legend>
      <table>
        <thead>
          <tr>
            <th scope="col">Column label</th>
            <th scope="col">Field</th>
            <th scope="col">
              <span class="visually-hidden">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {Object.entries(props.overrides).map(([columnLabel, fieldName]) => (
            <tr key={columnLabel}>
              <td>{columnLabel}</td>
              <td>{fieldName}</td>
              <td>
                <button
                  type="button"
                  aria-label={`Remove mapping for ${columnLabel}`}
                  onClick={() => {
                    const next = { ...props.overrides };
                    delete next[columnLabel];
                    save(next);
                  }}
                >
                  Remove
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <form
        class="row"
        onSubmit={(e) => {
          e.preventDefault();
          if (!label.value.trim() || !field.value.trim()) return;
          save({ ...props.overrides, [label.value.trim()]: field.value.trim() });
          label.value = '';
          field.value = '';
        }}
      >
        <label for={`${slug}-label`}>Column label</label>
        <input
          id={`${slug}-label`}
          value={label.value}
          onInput={(e) => {
            label.value = e.currentTarget.value;
          }}
        />
        <label for={`${slug}-field`}>Field</label>
        <input
          id={`${slug}-field`}
          list="canonical-fields"
          value={field.value}
          aria-invalid={field.value !== '' && !known.has(field.value)}
          onInput={(e) => {
            field.value = e.currentTarget.value;
          }}
        />
        <button type="submit" disabled={!known.has(field.value) || label.value.trim() === ''}>
          Add mapping
        </button>
      </form>
    </fieldset>
  );
}
