import type { Taxonomy, VerdictLevel } from '../core/api.ts';

/**
 * Verdict chips, the same in the panel and on the history page: the level in words and an icon with its
 * own spoken label, never colour alone. Plugin output is data: every part is rendered as text.
 */

const LEVEL_WORD: Record<VerdictLevel, string> = {
  malicious: 'malicious',
  suspicious: 'suspicious',
  safe: 'safe',
  info: 'info',
};
const LEVEL_ICON: Record<VerdictLevel, string> = { malicious: '✖', suspicious: '⚠', safe: '✔', info: 'ℹ' };

export function VerdictChips({ taxonomies }: { taxonomies: readonly Taxonomy[] }) {
  if (taxonomies.length === 0) return null;
  return (
    <ul class="chips" aria-label="Verdicts">
      {taxonomies.map((t, i) => {
        // A level Gridside does not know (an older or newer orchestrator) reads as info.
        const level: VerdictLevel = t.level in LEVEL_WORD ? t.level : 'info';
        return (
          <li key={i} class={`chip ${level}`} data-level={level}>
            <span aria-label={LEVEL_WORD[level]} role="img">
              {LEVEL_ICON[level]}
            </span>{' '}
            {LEVEL_WORD[level]} · {t.namespace}:{t.predicate} = {String(t.value)}
          </li>
        );
      })}
    </ul>
  );
}
