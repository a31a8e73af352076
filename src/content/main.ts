import { CONTENT_FEATURES } from './affordances/index.ts';
import { ask, extensionAlive, whenNotEnabled } from './background-channel.ts';
import { installChunkLoader } from './chunk-loader.ts';
import { type ContentSession, startFeatures } from './content-session.ts';
import { adaptersFor } from './grid/grids.ts';
import { createOverlayHost } from './overlay-host.ts';
import { openPanel } from './panel-loader.ts';
import { openTeach } from './teach-loader.ts';

/**
 * Gridside's content script: the untrusted side, running in the console page (docs/architecture.md §1). The
 * background registers this file for the console origins the analyst enabled and granted.
 *
 * It holds no secrets and makes no network calls. It listens to real user input only (never to the
 * page's `message` or custom events), reads rows when the analyst acts, and talks to the background
 * through background-channel.ts. No zod here: the background validates every request it receives.
 */

interface BootRecord {
  controller: AbortController;
}
const BOOT_KEY = '__gridsideContent';

function boot(): void {
  const g = globalThis as unknown as Record<string, BootRecord | undefined>;
  // Injected twice (registered script + injection into already-open tabs): the first one stays.
  if (g[BOOT_KEY] && !g[BOOT_KEY].controller.signal.aborted) return;
  const controller = new AbortController();
  g[BOOT_KEY] = { controller };
  const { signal } = controller;
  installChunkLoader();

  const overlay = createOverlayHost();
  signal.addEventListener('abort', () => overlay.dispose(), { once: true });

  const session: ContentSession = {
    origin: location.origin,
    adapters: adaptersFor(),
    fieldOverrides: {},
    overlay,
    lastContextRow: null,
    hoveredRow: null,
    isUserInput: (event) => event.isTrusted,
    openPanel: (hit, source, returnFocus) => openPanel(session, signal, hit, source, returnFocus ?? null),
    openTeach: () => openTeach(session, signal),
  };

  // Not a console the analyst enabled (see whenNotEnabled): nothing of Gridside stays on the page.
  whenNotEnabled(() => controller.abort());
  void ask({ type: 'config.get' }).then(async (reply) => {
    if (!reply.ok || signal.aborted) return;
    session.fieldOverrides = reply.data.fieldOverrides ?? {};
    const configs = reply.data.gridSelectors;
    // The per-site selectors' adapter is loaded only on a console that has some: most have none.
    if (Array.isArray(configs) && configs.length) {
      const { adaptersWith } = await import('./grid/site-selectors.ts');
      if (!signal.aborted) session.adapters = adaptersWith(configs);
    }
  });

  startFeatures(CONTENT_FEATURES, session, signal);

  // After an extension update this copy is orphaned (its runtime is gone): stand down on the next input.
  const standDownIfOrphaned = () => {
    if (!extensionAlive()) controller.abort();
  };
  for (const type of ['pointerdown', 'keydown', 'contextmenu'] as const) {
    window.addEventListener(type, standDownIfOrphaned, { capture: true, passive: true, signal });
  }
}

boot();
