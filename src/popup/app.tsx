import { ApprovalList } from './approval-list.tsx';
import { openOptions } from './background.ts';
import { SiteToggle } from './site-toggle.tsx';
import { announcement } from './state.ts';

/** The toolbar popup: Gridside on this site, and the runs waiting for this analyst's approval. */
export function App() {
  return (
    <main>
      <div class="heading">
        <h1>Gridside</h1>
        <button type="button" class="quiet" onClick={() => void openOptions().then(() => window.close())}>
          Options
        </button>
      </div>
      <SiteToggle />
      <ApprovalList />
      <p class="status" role="status" aria-live="polite">
        {announcement.value}
      </p>
    </main>
  );
}
