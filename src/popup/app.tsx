import { ApprovalList } from './approval-list.tsx';
import { SiteToggle } from './site-toggle.tsx';
import { announcement } from './state.ts';

/** The toolbar popup: Gridside on this site, and the runs waiting for this analyst's approval. */
export function App() {
  return (
    <main>
      <h1>Gridside</h1>
      <SiteToggle />
      <ApprovalList />
      <p class="status" role="status" aria-live="polite">
        {announcement.value}
      </p>
    </main>
  );
}
