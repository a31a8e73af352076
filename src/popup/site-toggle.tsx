import { useSignal } from '@preact/signals';
import { enableSite, site, siteProblem, siteTab, teachThisGrid, turnOffSite } from './state.ts';

/** "Enable Gridside on this site" for the active tab's origin, or "on for this site" with Turn off. */
export function SiteToggle() {
  const busy = useSignal(false);
  const current = site.value;
  const problem = siteProblem.value;

  const act = (change: (origin: string) => Promise<void>, origin: string) => {
    busy.value = true;
    // No await before `change`: enabling asks the browser for access, which needs this click's gesture.
    void change(origin).finally(() => {
      busy.value = false;
    });
  };

  return (
    <section aria-labelledby="site-title" class="site">
      <h2 id="site-title">This site</h2>
      {current && !current.supported && (
        <p class="muted">Gridside works on web pages (http and https) only.</p>
      )}
      {current?.supported && current.enabled && current.granted && (
        <div class="heading">
          <p class="ok">
            Gridside is on for <code>{current.origin}</code>
          </p>
          {/* A console the organisation enabled stays on: the worker refuses turning it off anyway. */}
          {current.managed && (
            <span id="site-managed" class="muted">
              set by your organisation
            </span>
          )}
          <button
            type="button"
            disabled={busy.value || current.managed}
            aria-describedby={current.managed ? 'site-managed' : undefined}
            onClick={() => act(turnOffSite, current.origin)}
          >
            Turn off
          </button>
        </div>
      )}
      {current?.supported && current.enabled && current.granted && siteTab.value !== null && (
        <p class="teach">
          <button
            type="button"
            disabled={busy.value}
            onClick={() => act(() => teachThisGrid(), current.origin)}
          >
            Teach Gridside this grid
          </button>{' '}
          <span class="muted">when it does not read this page’s grid, or maps a column wrongly.</span>
        </p>
      )}
      {current?.supported && !(current.enabled && current.granted) && (
        <>
          {!current.enabled && (
            <p class="muted">
              Gridside is off for <code>{current.origin}</code>.
            </p>
          )}
          {current.enabled && (
            <p class="warn">
              Gridside is enabled for <code>{current.origin}</code>, but the browser has not granted it
              access.
            </p>
          )}
          <button
            type="button"
            class="primary"
            disabled={busy.value}
            onClick={() => act(enableSite, current.origin)}
          >
            Enable Gridside on this site
          </button>
        </>
      )}
      {problem && (
        <p class="error" role="alert">
          {problem}
        </p>
      )}
    </section>
  );
}
