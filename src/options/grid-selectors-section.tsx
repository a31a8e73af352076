import { useSignal } from '@preact/signals';
import { z } from 'zod';
import { GridSelectorConfigSchema } from '../core/settings.ts';
import { saveSettings, settings } from './state.ts';

const GridSelectorsSchema = z.array(GridSelectorConfigSchema);

/** Problems in the JSON, each with where it is (`[0].columnKey`), so the analyst can find it. */
export function gridSelectorProblems(text: string): {
  problems: string[];
  value?: z.infer<typeof GridSelectorsSchema>;
} {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    return { problems: [`Not valid JSON: ${error instanceof Error ? error.message : String(error)}`] };
  }
  const parsed = GridSelectorsSchema.safeParse(json);
  if (parsed.success) return { problems: [], value: parsed.data };
  return {
    problems: parsed.error.issues.map((issue) => {
      const path = issue.path.map((p) => (typeof p === 'number' ? `[${p}]` : `.${String(p)}`)).join('');
      return `${path || '(top level)'}: ${issue.message}`;
    }),
  };
}

/** Grid selector configs for consoles no built-in adapter recognises, edited as JSON. */
export function GridSelectorsSection() {
  const current = settings.value;
  const text = useSignal<string | null>(null);
  const problems = useSignal<string[]>([]);
  if (!current) return null;
  const shown = text.value ?? JSON.stringify(current.gridSelectors, null, 2);

  const save = () => {
    // Read the signal, not the rendered text: a click can come before the re-render of the last keystroke.
    const result = gridSelectorProblems(text.value ?? JSON.stringify(current.gridSelectors));
    problems.value = result.problems;
    if (!result.value) return;
    void saveSettings({ ...current, gridSelectors: result.value }, 'Grid selectors saved.').then((ok) => {
      if (ok) text.value = null;
    });
  };

  return (
    <section aria-labelledby="selectors-title">
      <h2 id="selectors-title">Grid selectors</h2>
      <p class="muted">
        For a console grid Gridside does not recognise: an array of{' '}
        {'{ origin, root, row, cell, columnKey, … }'}. Easier: on the console page, choose “Teach Gridside
        this grid” in the toolbar popup and point at a column header and a row; what you teach shows here.
      </p>
      <label for="grid-selectors">Grid selector configs (JSON)</label>
      <textarea
        id="grid-selectors"
        rows={10}
        spellcheck={false}
        value={shown}
        aria-invalid={problems.value.length > 0}
        aria-describedby="grid-selectors-problems"
        onInput={(e) => {
          text.value = e.currentTarget.value;
        }}
      />
      <ul id="grid-selectors-problems" class="error" role="alert">
        {problems.value.map((p) => (
          <li key={p}>{p}</li>
        ))}
      </ul>
      <button type="button" onClick={save}>
        Save grid selectors
      </button>
    </section>
  );
}
