import type { Taxonomy } from '../core/api.ts';

/** Verdict chips as the panel shows them: the level in words and an icon, never colour alone. */
const ICON = { malicious: '✖', suspicious: '⚠', safe: '✔', info: 'ℹ' } as const;

export function VerdictChips({ taxonomies }: { taxonomies: readonly Taxonomy[] }) {
  if (taxonomies.length === 0) return null;
  return (
    <ul class="chips" aria-label="Verdicts">
      {taxonomies.map((t, i) => (
        <li key={i} class={`chip ${t.level}`} data-level={t.level}>
          {ICON[t.level]} {t.level} · {t.namespace}:{t.predicate} = {t.value}
        </li>
      ))}
    </ul>
  );
}
