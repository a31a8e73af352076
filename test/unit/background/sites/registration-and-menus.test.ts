import { describe, expect, it } from 'vitest';
import { createPush, pushToEveryFrame } from '../../../../src/background/channels/push.ts';
import {
  createContentScriptRegistry,
  type ScriptingLike,
} from '../../../../src/background/sites/content-scripts.ts';
import { createMenus, RUN_ON_ROW_MENU_ID } from '../../../../src/background/sites/menus.ts';
import { createFakeBrowser } from '../../../support/fake-browser.ts';

const A = 'https://siem-a.example.com';
const B = 'http://127.0.0.1:5180';

function registryFor(consoles: string[], granted: string[]) {
  const browser = createFakeBrowser({ granted: granted.map((o) => `${o}/*`) });
  const registry = createContentScriptRegistry({
    scripting: browser.scripting as unknown as ScriptingLike,
    permissions: browser.permissions,
    tabs: browser.tabs,
    scriptFile: 'content/gridside.js',
    consoles: async () => consoles,
  });
  return { browser, registry };
}

describe('content script registration', () => {
  it('registers the content script only for enabled consoles whose permission was granted', async () => {
    const { browser, registry } = registryFor([A, B], [B]);
    const result = await registry.sync();
    expect(result).toEqual({ registered: [B], missingPermission: [A] });
    expect([...browser.registered.values()]).toEqual([
      expect.objectContaining({
        matches: [`${B}/*`],
        js: ['content/gridside.js'],
        allFrames: true,
        runAt: 'document_idle',
      }),
    ]);
  });

  it('injects into tabs already open on a newly registered console, once', async () => {
    const { browser, registry } = registryFor([A], [A]);
    browser.openTabs.push({ id: 4, url: `${A}/analyzer` }, { id: 5, url: 'https://elsewhere.example/' });
    await registry.sync();
    await registry.sync();
    // The page first, then its frames (a frame the extension may not enter refuses the whole call).
    expect(browser.injected).toEqual([
      { tabId: 4, files: ['content/gridside.js'] },
      { tabId: 4, files: ['content/gridside.js'], allFrames: true },
    ]);
  });

  it('unregisters a console whose permission was removed', async () => {
    const { browser, registry } = registryFor([A], [A]);
    await registry.sync();
    browser.granted.clear();
    const result = await registry.sync();
    expect(browser.registered.size).toBe(0);
    expect(result.missingPermission).toEqual([A]);
  });
});

describe('context menu and command', () => {
  function setup(consoles: string[]) {
    const browser = createFakeBrowser();
    const push = createPush(browser.tabs);
    const menus = createMenus({
      contextMenus: browser.contextMenus,
      consoles: async () => consoles,
      openPanel: (target, source) =>
        'everyFrame' in target
          ? pushToEveryFrame(browser.tabs, target.tabId, { type: 'panel.open', source })
          : push(target, { type: 'panel.open', source }),
    });
    return { browser, menus };
  }

  it('offers the item only on enabled consoles, and can be rebuilt', async () => {
    const { browser, menus } = setup([A, B]);
    await menus.rebuild();
    await menus.rebuild();
    expect(browser.menus.get(RUN_ON_ROW_MENU_ID)).toMatchObject({
      title: 'Run SmartResponse on this row',
      contexts: ['page', 'selection', 'link'],
      documentUrlPatterns: [`${A}/*`, `${B}/*`],
    });
  });

  it('creates no item when no console is enabled', async () => {
    const { browser, menus } = setup([]);
    await menus.rebuild();
    expect(browser.menus.size).toBe(0);
  });

  it('a click opens the panel in the frame that was right-clicked', async () => {
    const { browser, menus } = setup([A]);
    await menus.onMenuClick({ menuItemId: RUN_ON_ROW_MENU_ID, frameId: 2 }, { id: 8 });
    expect(browser.sent).toEqual([
      { tabId: 8, message: { type: 'panel.open', source: 'context-menu' }, options: { frameId: 2 } },
    ]);
  });

  it('the keyboard command asks every frame of the active tab: a framed grid may hold the focus', async () => {
    const { browser, menus } = setup([A]);
    await menus.onCommand('run-on-focused-row', { id: 3 });
    await menus.onCommand('something-else', { id: 3 });
    expect(browser.sent).toEqual([
      { tabId: 3, message: { type: 'panel.open', source: 'command' }, options: undefined },
    ]);
  });
});
