import { useSignal } from '@preact/signals';
import { removeOrigins, requestOrigins } from './background.ts';
import { SetByOrganisation } from './set-by-organisation.tsx';
import { managed, missingPermission, originOf, saveSettings, say, settings, syncConsoles } from './state.ts';

/**
 * Consoles Gridside runs on. Adding one asks the browser for that origin (on this click: permission
 * requests need a user gesture); the worker then registers the content script for it.
 */
export function ConsolesSection() {
  const input = useSignal('');
  const problem = useSignal<string | null>(null);
  const current = settings.value;
  if (!current) return null;

  const add = async () => {
    const origin = originOf(input.value);
    if (!origin) {
      problem.value = 'Enter the console address, e.g. https://siem.example.com';
      return;
    }
    problem.value = null;
    const granted = await requestOrigins([origin]).catch(() => false);
    if (
      await saveSettings(
        { ...current, consoles: [...current.consoles, origin] },
        `Gridside is enabled on ${origin}.`,
      )
    ) {
      input.value = '';
    }
    if (!granted)
      say('error', `Saved, but the browser did not grant access to ${origin}. Use "Grant access".`);
  };

  const grant = async (origin: string) => {
    if (await requestOrigins([origin]).catch(() => false)) {
      await syncConsoles();
      say('ok', `Access to ${origin} granted.`);
    } else say('error', `The browser did not grant access to ${origin}.`);
  };

  const remove = async (origin: string) => {
    await removeOrigins([origin]).catch(() => false);
    await saveSettings(
      { ...current, consoles: current.consoles.filter((c) => c !== origin) },
      `Gridside is off on ${origin}.`,
    );
  };

  return (
    <section aria-labelledby="consoles-title">
      <h2 id="consoles-title">Consoles</h2>
      <p class="muted">SIEM consoles whose grids get a "Run SmartResponse" button.</p>
      <ul class="list">
        {current.consoles.map((origin) => (
          <li key={origin}>
            {/* The worker refuses removing these anyway; the disabled button says so before a click. */}
            <code>{origin}</code>
            {missingPermission.value.includes(origin) ? (
              <>
                <span class="warn">no access yet</span>
                <button type="button" onClick={() => void grant(origin)}>
                  Grant access
                </button>
              </>
            ) : (
              <span class="ok">active</span>
            )}
            {managed.value.consoles.includes(origin) && <SetByOrganisation id={`managed-${origin}`} />}
            <button
              type="button"
              class="danger"
              disabled={managed.value.consoles.includes(origin)}
              aria-describedby={managed.value.consoles.includes(origin) ? `managed-${origin}` : undefined}
              onClick={() => void remove(origin)}
              aria-label={`Remove ${origin}`}
            >
              Remove
            </button>
          </li>
        ))}
      </ul>
      <form
        class="row"
        onSubmit={(e) => {
          e.preventDefault();
          void add();
        }}
      >
        <label for="console-origin">Console address</label>
        <input
          id="console-origin"
          type="url"
          placeholder="https://siem.example.com"
          value={input.value}
          onInput={(e) => {
            input.value = e.currentTarget.value;
          }}
        />
        <button type="submit">Enable</button>
      </form>
      {problem.value && (
        <p class="error" role="alert">
          {problem.value}
        </p>
      )}
    </section>
  );
}
