import { defineManifest } from '@crxjs/vite-plugin';
import pkg from './package.json' with { type: 'json' };
import { EXTENSION_PAGES } from './src/core/page-channel.ts';

/**
 * The MV3 manifest, one source for both browsers. The production build declares no host permissions:
 * consoles and orchestrators are granted per origin at runtime (`optional_host_permissions`,
 * docs/architecture.md §8). The demo/test build (`--mode demo`) also declares localhost so `npm run demo`
 * and the end-to-end tests need no clicks.
 *
 * Firefox differs in two places only: it runs an MV3 background as an event page (`background.scripts`,
 * not `service_worker`), and it needs `browser_specific_settings.gecko`: the add-on id, the minimum
 * version and the data-collection declaration (Gridside sends row data only to the orchestrator the user
 * configured, and collects nothing).
 */

export type TargetBrowser = 'chrome' | 'firefox';

/**
 * Extension pages shown in a frame inside the panel: the ONLY web-accessible resources Gridside declares.
 * Any file a page can fetch from an installed extension tells it that Gridside is installed, and which
 * version, so the content script is registered and injected by the worker instead (docs/security.md).
 * Add a frame page here; it is declared with `frameResource`.
 */
export const FRAME_PAGES: string[] = [EXTENSION_PAGES.outputFrame];

/**
 * A frame page's entry. `use_dynamic_url`: Chrome serves it only under a per-session random id, never under
 * the extension's fixed id, so a page cannot probe for it; Firefox's moz-extension host is random per
 * install already. Consoles are granted per origin at runtime, so the manifest cannot name them: any
 * http(s) page may embed the frame, and the worker answers it only inside a tab of an enabled console,
 * about that console's own runs (the output frame: run output shown out of the page's reach).
 */
export function frameResource(page: string, browser: TargetBrowser) {
  return {
    resources: [page],
    matches: ['https://*/*', 'http://*/*'],
    ...(browser === 'chrome' ? { use_dynamic_url: true } : {}),
  };
}

/** The Firefox add-on id; the Firefox end-to-end tests install the demo build under it. */
export const GECKO_ID = 'gridside@gridside.dev';
const WORKER = 'src/background/service-worker.ts';

export function manifestFor(browser: TargetBrowser) {
  return defineManifest((env) => {
    const demo = env.mode === 'demo';
    const localhost = ['http://localhost/*', 'http://127.0.0.1/*'];
    const shared = {
      manifest_version: 3,
      name: demo ? 'Gridside (demo)' : 'Gridside',
      description: pkg.description,
      version: pkg.version,
      icons: { 16: 'icons/16.png', 48: 'icons/48.png', 128: 'icons/128.png' },
      action: {
        default_title: 'Gridside',
        default_icon: { 16: 'icons/16.png', 48: 'icons/48.png' },
        default_popup: EXTENSION_PAGES.popup,
      },
      options_ui: { page: EXTENSION_PAGES.options, open_in_tab: true },
      permissions: ['storage', 'alarms', 'contextMenus', 'scripting', 'activeTab'],
      host_permissions: demo ? localhost : [],
      optional_host_permissions: ['https://*/*', 'http://*/*'],
      commands: {
        'run-on-focused-row': {
          suggested_key: { default: 'Alt+Shift+R' },
          description: 'Run SmartResponse on the focused grid row',
        },
      },
      storage: { managed_schema: 'managed_schema.json' },
      ...(FRAME_PAGES.length > 0
        ? { web_accessible_resources: FRAME_PAGES.map((page) => frameResource(page, browser)) }
        : {}),
    };
    if (browser === 'firefox') {
      return {
        ...shared,
        background: { scripts: [WORKER], type: 'module' },
        browser_specific_settings: {
          gecko: {
            id: GECKO_ID,
            strict_min_version: '142.0',
            data_collection_permissions: { required: ['none'] },
          },
        },
      };
    }
    return {
      ...shared,
      minimum_chrome_version: '120',
      background: { service_worker: WORKER, type: 'module' },
    };
  });
}

export default manifestFor('chrome');
