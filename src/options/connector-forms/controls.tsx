import { useState } from 'preact/hooks';
import type { z } from 'zod';

/**
 * Small labelled controls the connector option forms are built from. Each edits one key of the entry's
 * `options` object and hands the whole new object up; validation is the connector's own zod schema.
 */

export interface ConnectorOptionsFormProps {
  /** The entry's current `options` (as stored; defaults not filled in). */
  value: Record<string, unknown>;
  onChange: (next: Record<string, unknown>) => void;
}

type Setter = (key: string, next: unknown) => void;

export const setterFor =
  ({ value, onChange }: ConnectorOptionsFormProps): Setter =>
  (key, next) => {
    const copy = { ...value };
    if (next === undefined) delete copy[key];
    else copy[key] = next;
    onChange(copy);
  };

export function NumberField(props: {
  label: string;
  name: string;
  value: unknown;
  placeholder: number;
  min?: number;
  max?: number;
  set: Setter;
}) {
  return (
    <label class="gs-field">
      <span>{props.label}</span>
      <input
        type="number"
        name={props.name}
        min={props.min}
        max={props.max}
        placeholder={String(props.placeholder)}
        value={typeof props.value === 'number' ? String(props.value) : ''}
        onInput={(e) => {
          const text = e.currentTarget.value.trim();
          props.set(props.name, text === '' ? undefined : Number(text));
        }}
      />
    </label>
  );
}

export function CheckboxField(props: { label: string; name: string; value: unknown; set: Setter }) {
  return (
    <label class="gs-field gs-checkbox">
      <input
        type="checkbox"
        name={props.name}
        checked={props.value === true}
        onChange={(e) => props.set(props.name, e.currentTarget.checked)}
      />
      <span>{props.label}</span>
    </label>
  );
}

export function SelectField(props: {
  label: string;
  name: string;
  value: unknown;
  choices: readonly (readonly [string, string])[];
  set: Setter;
  /** Turns the chosen string back into the stored value (e.g. a number for TLP). */
  parse?: (text: string) => unknown;
}) {
  return (
    <label class="gs-field">
      <span>{props.label}</span>
      <select
        name={props.name}
        value={props.value === undefined ? '' : String(props.value)}
        onChange={(e) => {
          const text = e.currentTarget.value;
          props.set(props.name, text === '' ? undefined : (props.parse ?? ((t: string) => t))(text));
        }}
      >
        <option value="">(default)</option>
        {props.choices.map(([v, label]) => (
          <option key={v} value={v}>
            {label}
          </option>
        ))}
      </select>
    </label>
  );
}

/** A list of words, typed comma-separated (packs, analyzers). */
export function ListField(props: {
  label: string;
  name: string;
  value: unknown;
  set: Setter;
  hint?: string;
}) {
  const list = Array.isArray(props.value) ? props.value.join(', ') : '';
  return (
    <label class="gs-field">
      <span>{props.label}</span>
      <input
        type="text"
        name={props.name}
        value={list}
        placeholder={props.hint}
        onChange={(e) => {
          const items = e.currentTarget.value
            .split(',')
            .map((s) => s.trim())
            .filter(Boolean);
          props.set(props.name, items.length > 0 ? items : undefined);
        }}
      />
    </label>
  );
}

/**
 * A JSON value edited as text. Only a document that parses and fits `schema` is handed up; otherwise the
 * problem is shown in words and the stored value stays as it was.
 */
export function JsonField(props: {
  label: string;
  name: string;
  value: unknown;
  schema: z.ZodType;
  set: Setter;
  rows?: number;
}) {
  const [text, setText] = useState(() =>
    props.value === undefined ? '' : JSON.stringify(props.value, null, 2),
  );
  const [problem, setProblem] = useState<string | null>(null);
  const id = `gs-json-${props.name}`;
  return (
    <div class="gs-field gs-json">
      <label for={id}>{props.label}</label>
      <textarea
        id={id}
        name={props.name}
        rows={props.rows ?? 10}
        spellcheck={false}
        value={text}
        aria-invalid={problem !== null}
        aria-describedby={problem ? `${id}-problem` : undefined}
        onInput={(e) => {
          const next = e.currentTarget.value;
          setText(next);
          if (next.trim() === '') {
            setProblem(null);
            props.set(props.name, undefined);
            return;
          }
          let parsed: unknown;
          try {
            parsed = JSON.parse(next);
          } catch (error) {
            setProblem(`Not valid JSON: ${(error as Error).message}`);
            return;
          }
          const checked = props.schema.safeParse(parsed);
          if (!checked.success) {
            const issue = checked.error.issues[0];
            setProblem(`${issue?.path.join('.') || 'value'}: ${issue?.message ?? 'not accepted'}`);
            return;
          }
          setProblem(null);
          props.set(props.name, parsed);
        }}
      />
      {problem ? (
        <p id={`${id}-problem`} class="gs-problem" role="alert">
          {problem}
        </p>
      ) : null}
    </div>
  );
}

/** The whole options object checked against the connector's schema, in plain words. */
export function SchemaStatus(props: { schema: z.ZodType; value: Record<string, unknown> }) {
  const checked = props.schema.safeParse(props.value);
  if (checked.success) return <p class="gs-ok">Options are valid.</p>;
  const issue = checked.error.issues[0];
  return (
    <p class="gs-problem" role="alert">
      Option {issue?.path.join('.') || ''} is not accepted: {issue?.message}
    </p>
  );
}
