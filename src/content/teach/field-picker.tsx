import { useSignal } from '@preact/signals';
import { useEffect, useRef } from 'preact/hooks';
import { FIELDS } from '../../core/fields.ts';
import type { Choice, TeachState } from './teach-state.ts';

/**
 * The field list for one column, opened by clicking its header: the canonical fields (SIP, DHostName,
 * Login, …) with the label consoles usually show for each, a filter box, "No field" and "As Gridside
 * guesses" (forget the choice).
 */
export function FieldPicker({ teach }: { teach: TeachState }) {
  const at = teach.picker.value;
  const filter = useSignal('');
  const input = useRef<HTMLInputElement>(null);
  useEffect(() => {
    filter.value = '';
    input.current?.focus({ preventScroll: true });
  }, [at?.label]);
  if (!at) return null;

  const words = filter.value.trim().toLowerCase();
  const shown = FIELDS.filter(
    (f) =>
      !words || f.name.toLowerCase().includes(words) || f.labels.some((l) => l.toLowerCase().includes(words)),
  );
  const choose = (choice: Choice | null) => teach.pick(at.label, choice);
  const width = 300;
  const left = Math.max(8, Math.min(at.anchor.left, window.innerWidth - width - 8));
  const below = at.anchor.bottom + 4;
  const top = below + 360 > window.innerHeight ? Math.max(8, at.anchor.top - 364) : below;

  return (
    <div
      class="picker"
      role="dialog"
      aria-label={`Field for column ${at.label}`}
      style={{ left: `${left}px`, top: `${top}px` }}
      onKeyDown={(event) => {
        if (event.key !== 'Escape') return;
        event.stopPropagation();
        teach.picker.value = null;
      }}
    >
      <h3>Field for “{at.label}”</h3>
      <input
        ref={input}
        type="search"
        aria-label="Filter fields"
        placeholder="SIP, host, user…"
        value={filter.value}
        onInput={(e) => {
          filter.value = e.currentTarget.value;
        }}
        onKeyDown={(e) => {
          const first = shown[0];
          if (e.key === 'Enter' && first) choose(first.name);
        }}
      />
      <ul>
        {shown.map((f) => (
          <li key={f.name}>
            <button type="button" class="field" data-field={f.name} onClick={() => choose(f.name)}>
              {f.name}
              {f.labels[0] && <small>{f.labels[0]}</small>}
            </button>
          </li>
        ))}
      </ul>
      <div class="buttons">
        <button type="button" onClick={() => choose('')}>
          No field
        </button>
        {teach.fieldOf(at.label).chosen && (
          <button type="button" onClick={() => choose(null)}>
            As Gridside guesses
          </button>
        )}
      </div>
    </div>
  );
}
