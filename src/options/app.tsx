import { AutoEnrichSection } from './auto-enrich-section.tsx';
import { ConsolesSection } from './consoles-section.tsx';
import { FieldOverridesSection } from './field-overrides-section.tsx';
import { GridSelectorsSection } from './grid-selectors-section.tsx';
import { OrchestratorsSection } from './orchestrators-section.tsx';
import { PluginsSection } from './plugins-section.tsx';
import { settings, status } from './state.ts';

export function App() {
  return (
    <main>
      <h1>Gridside options</h1>
      <p>
        <a href="../history/index.html" target="_blank" rel="noopener">
          Run history, export and import
        </a>
      </p>
      {/* One live region for every save and test result (Bitwarden's pattern). */}
      <p class={`status ${status.value?.kind ?? ''}`} role="status" aria-live="polite">
        {status.value?.text ?? ''}
      </p>
      {settings.value === null ? (
        <p>Loading…</p>
      ) : (
        <>
          <OrchestratorsSection />
          <PluginsSection />
          <ConsolesSection />
          <FieldOverridesSection />
          <AutoEnrichSection />
          <GridSelectorsSection />
        </>
      )}
    </main>
  );
}
