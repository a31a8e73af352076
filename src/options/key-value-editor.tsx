import { useSignal } from '@preact/signals';

/**
 * Connector options for engine kinds without a form of their own yet: plain key → value pairs. Values that
 * parse as JSON (numbers, booleans, objects) are stored parsed, so a connector's schema sees real types.
 */
export function KeyValueEditor(props: {
  idPrefix: string;
  value: Record<string, unknown>;
  onChange: (next: Record<string, unknown>) => void;
}) {
  const newKey = useSignal('');
  const entries = Object.entries(props.value);

  const setValue = (key: string, text: string) => props.onChange({ ...props.value, [key]: parseValue(text) });
  const remove = (key: string) => {
    const next = { ...props.value };
    delete next[key];
    props.onChange(next);
  };

  return (
    <fieldset class="kv">
      <legend>Connector options</legend>
      {entries.length === 0 && <p class="muted">No options set.</p>}
      {entries.map(([key, value], i) => (
        <div class="row" key={key}>
          <label for={`${props.idPrefix}-kv-${i}`}>{key}</label>
          <input
            id={`${props.idPrefix}-kv-${i}`}
            value={typeof value === 'string' ? value : JSON.stringify(value)}
            onChange={(e) => setValue(key, e.currentTarget.value)}
          />
          <button type="button" onClick={() => remove(key)} aria-label={`Remove option ${key}`}>
            Remove
          </button>
        </div>
      ))}
      <div class="row">
        <label for={`${props.idPrefix}-kv-new`}>New option name</label>
        <input
          id={`${props.idPrefix}-kv-new`}
          value={newKey.value}
          onInput={(e) => {
            newKey.value = e.currentTarget.value;
          }}
        />
        <button
          type="button"
          disabled={newKey.value.trim() === '' || newKey.value.trim() in props.value}
          onClick={() => {
            props.onChange({ ...props.value, [newKey.value.trim()]: '' });
            newKey.value = '';
          }}
        >
          Add option
        </button>
      </div>
    </fieldset>
  );
}

function parseValue(text: string): unknown {
  const trimmed = text.trim();
  if (/^(true|false|null|-?\d+(\.\d+)?|\{.*\}|\[.*\])$/s.test(trimmed)) {
    try {
      return JSON.parse(trimmed);
    } catch {
      return text;
    }
  }
  return text;
}
