import { defineManifest } from '@crxjs/vite-plugin';
import pkg from './package.json' with { type: 'json' };

/**
 * The MV3 manifest. The production build declares no host permissions: consoles and orchestrators are
 * granted per origin at runtime (`optional_host_permissions`, DESIGN.md §8). The demo/test build
 * (`--mode demo`) also declares localhost so `npm run demo` and the end-to-end tests need no clicks.
 */
export default defineManifest((env) => {
  const demo = env.mode === 'demo';
  const localhost = ['http://localhost/*', 'http://127.0.0.1/*'];
  return {
    manifest_version: 3,
    name: demo ? 'Gridside (demo)' : 'Gridside',
    description: pkg.description,
    version: pkg.version,
    minimum_chrome_version: '120',
    icons: { 16: 'icons/16.png', 48: 'icons/48.png', 128: 'icons/128.png' },
    action: {
      default_title: 'Gridside',
      default_icon: { 16: 'icons/16.png', 48: 'icons/48.png' },
      default_popup: 'src/popup/index.html',
    },
    background: { service_worker: 'src/background/service-worker.ts', type: 'module' },
    options_ui: { page: 'src/options/index.html', open_in_tab: true },
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
  };
});
