import { ApprovalList } from './approval-list.tsx';
import { AutoEnrichSwitch } from './auto-enrich-switch.tsx';
import { openOptions } from './background.ts';
import { SiteToggle } from './site-toggle.tsx';
import { announcement, focusRuns } from './state.ts';

/**
 * The toolbar popup: Gridside on this site, and the runs waiting for this analyst's approval. Opened from a
 * row's approval mark it is a window of its own, about that row's runs: no site to switch, a Close button.
 */
export function App() {
  const fromRow = focusRuns.value.length > 0;
  return (
    <main>
      <div class="heading">
        <h1>Gridside</h1>
        {fromRow ? (
          <button type="button" class="quiet" onClick={() => window.close()}>
            Close
          </button>
        ) : (
          <button type="button" class="quiet" onClick={() => void openOptions().then(() => window.close())}>
            Options
          </button>
        )}
      </div>
      {fromRow ? (
        <p class="muted">Opened from a row of the console: its runs come first.</p>
      ) : (
        <>
          <SiteToggle />
          <AutoEnrichSwitch />
        </>
      )}
      <ApprovalList />
      <p class="status" role="status" aria-live="polite">
        {announcement.value}
      </p>
    </main>
  );
}
