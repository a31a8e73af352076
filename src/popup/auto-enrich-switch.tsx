import { useEffect } from 'preact/hooks';
import {
  AUTO_ENRICH_REFRESH_MS,
  autoEnrich,
  autoEnrichProblem,
  loadAutoEnrich,
  switchAutoEnrich,
} from './auto-enrich-state.ts';
import { site } from './state.ts';

/**
 * "Auto-enrich rows on this site": the switch that stops (or resumes) in-grid auto-enrichment for the
 * active tab's console at once, in every open tab, and the budget it spent this minute. Shown only on a
 * console Gridside runs on that has at least one rule (rules are made on the options page).
 */
export function AutoEnrichSwitch() {
  const current = site.value;
  const origin = current?.supported && current.enabled && current.granted ? current.origin : null;

  useEffect(() => {
    if (!origin) return;
    void loadAutoEnrich(origin);
    const timer = setInterval(() => void loadAutoEnrich(origin), AUTO_ENRICH_REFRESH_MS);
    return () => clearInterval(timer);
  }, [origin]);

  const status = autoEnrich.value;
  if (!origin || !status || status.origin !== origin || !status.configured) return null;
  return (
    <section aria-labelledby="auto-title" class="site auto-enrich">
      <h2 id="auto-title">Auto-enrichment</h2>
      <label class="switch">
        <input
          type="checkbox"
          checked={status.enabled}
          onChange={(e) => void switchAutoEnrich(origin, e.currentTarget.checked)}
        />{' '}
        Auto-enrich rows on this site
      </label>
      <p class="muted auto-budget" aria-live="polite">
        {status.spent} of {status.perMinute} runs this minute · {status.running} going (at most{' '}
        {status.concurrency})
      </p>
      <ul class="muted auto-rules">
        {status.rules.map((rule) => (
          <li key={rule}>{rule}</li>
        ))}
      </ul>
      {autoEnrichProblem.value && (
        <p class="error" role="alert">
          {autoEnrichProblem.value}
        </p>
      )}
    </section>
  );
}
