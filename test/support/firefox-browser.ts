import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import puppeteer, { type Browser, type Page } from 'puppeteer-core';
import { GECKO_ID } from '../../manifest.config.ts';
import { findFirefox } from '../../scripts/ensure-firefox.ts';

/**
 * Real Firefox (Debian's firefox-esr) with the Firefox demo build of Gridside installed for the session,
 * driven through WebDriver BiDi by puppeteer-core. Each launch gets a fresh profile (puppeteer makes one
 * and removes it on close), so tests never share state through the browser.
 *
 * Firefox keeps extension pages out of a WebDriver session's reach unless the session is allowed system
 * access (`--remote-allow-system-access`): that is Firefox's counterpart of the DevTools protocol reaching
 * Chromium's extension service worker. The tests use it for one thing only: an extension page in a tab,
 * from which they call the background page's demo-build hooks (the context-menu click, readiness), as the
 * Chromium tests call the worker's.
 */

export const FIREFOX_DIST = resolve('dist-firefox');

/**
 * The extension's internal UUID, fixed through Firefox's own preference so the test knows its origin
 * (moz-extension://UUID): Firefox otherwise picks a random one per profile.
 */
const EXTENSION_UUID = '6a0f2f4e-5c1d-4b8e-9a57-2f6c1d0b9e31';
export const EXTENSION_ORIGIN = `moz-extension://${EXTENSION_UUID}`;

export interface FirefoxExtensionBrowser {
  browser: Browser;
  /** Calls into the background page (see BackgroundHooks). */
  background: BackgroundHooks;
  close(): Promise<void>;
}

export interface BackgroundHooks {
  /** Resolves once the background seeded its demo settings and registered the content script. */
  ready(): Promise<void>;
  /** The tab id Firefox gave the first tab whose URL starts with `urlPrefix`. */
  tabId(urlPrefix: string): Promise<number>;
  /** Whether the context menu item exists (contextMenus.update fails for an unknown id). */
  hasMenuItem(id: string): Promise<boolean>;
  /** The background's own context-menu click handler, called as Firefox calls it for a click. */
  menuClick(menuItemId: string, tabId: number, frameId: number): Promise<void>;
  /** The background's own keyboard-command handler, called as Firefox calls it for the shortcut. */
  command(name: string, tabId: number): Promise<void>;
}

/** Checks dist-firefox/ holds the Firefox DEMO build (the production one has no seed or test hooks). */
export function assertFirefoxDemoBuild(dist = FIREFOX_DIST): void {
  const manifestPath = resolve(dist, 'manifest.json');
  const hint = 'run `npx tsx scripts/build-firefox.ts --demo` first';
  if (!existsSync(manifestPath)) throw new Error(`${dist} is not built: ${hint}`);
  const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as {
    name?: string;
    browser_specific_settings?: { gecko?: { id?: string } };
  };
  if (manifest.browser_specific_settings?.gecko?.id !== GECKO_ID || manifest.name !== 'Gridside (demo)')
    throw new Error(`${dist} is not the Firefox demo build: ${hint}`);
}

export async function launchFirefoxExtension(options: { dist: string }): Promise<FirefoxExtensionBrowser> {
  const executablePath = findFirefox();
  if (!executablePath)
    throw new Error('Firefox is not installed: run `npx tsx scripts/ensure-firefox.ts` (see its message)');
  const browser = await puppeteer.launch({
    browser: 'firefox',
    executablePath,
    headless: true,
    defaultViewport: { width: 1400, height: 900 },
    args: ['--remote-allow-system-access'],
    // GRIDSIDE_FIREFOX_LOG=1 shows Firefox's output, with every console message of pages and extension.
    dumpio: process.env.GRIDSIDE_FIREFOX_LOG === '1',
    extraPrefsFirefox: {
      'extensions.webextensions.uuids': JSON.stringify({ [GECKO_ID]: EXTENSION_UUID }),
      ...(process.env.GRIDSIDE_FIREFOX_LOG === '1'
        ? { 'devtools.console.stdout.content': true, 'devtools.console.stdout.chrome': true }
        : {}),
    },
  });
  try {
    // Installed as a temporary add-on, as `web-ext run` or about:debugging would. The demo manifest's
    // localhost host permissions are granted at install, as stock Firefox grants an MV3 add-on's declared
    // host permissions when the user accepts the install (`extensions.originControls.grantByDefault`,
    // left as shipped); the user may withdraw them later in the add-ons manager. A missing grant shows as
    // no content-script registration, which `ready()` waits for.
    const id = await browser.installExtension(options.dist);
    if (id !== GECKO_ID) throw new Error(`Firefox installed the extension as ${id}, not ${GECKO_ID}`);
    const hooksPage = await openExtensionPage(browser, `${EXTENSION_ORIGIN}/src/options/index.html`);
    const background = backgroundHooks(hooksPage);
    await background.ready();
    return {
      browser,
      background,
      async close() {
        await browser.close();
      },
    };
  } catch (error) {
    await browser.close().catch(() => undefined);
    throw error;
  }
}

/** Polls `probe` until it returns a value other than undefined, or fails with `what` after `timeoutMs`. */
export async function pollUntil<T>(
  what: string,
  probe: () => Promise<T | undefined>,
  timeoutMs = 30_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  while (Date.now() < deadline) {
    try {
      const value = await probe();
      if (value !== undefined) return value;
    } catch (error) {
      lastError = error;
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`timed out waiting for ${what}`, { cause: lastError });
}

/**
 * Opens one of the extension's pages in a new tab. Firefox's BiDi does not report the navigation events of
 * extension pages, so puppeteer's goto would wait for a load it never hears about: start the navigation and
 * wait until the page answers from the extension's origin with its document loaded.
 */
async function openExtensionPage(browser: Browser, url: string): Promise<Page> {
  const page = await browser.newPage();
  void page.goto(url).catch(() => undefined);
  await pollUntil(`the extension page ${url}`, async () => {
    const loaded = await page.evaluate(
      (expected) => location.href === expected && document.readyState === 'complete',
      url,
    );
    return loaded ? true : undefined;
  });
  return page;
}

interface GridsideTestHooks {
  ready: Promise<unknown>;
  onMenuClick(info: { menuItemId: string; frameId?: number }, tab: { id?: number }): Promise<void>;
  onCommand(command: string, tab: { id?: number }): Promise<void>;
}

/** The `browser` namespace as the extension page sees it (only what the hooks use). */
interface ExtensionPageGlobals {
  browser: {
    runtime: { getBackgroundPage(): Promise<{ __gridsideTest?: GridsideTestHooks }> };
    tabs: { query(query: object): Promise<{ id?: number; url?: string }[]> };
    scripting: { getRegisteredContentScripts(): Promise<unknown[]> };
    contextMenus: { update(id: string, properties: object): Promise<void> };
  };
}

function backgroundHooks(page: Page): BackgroundHooks {
  return {
    async ready() {
      await pollUntil('the background page to seed its settings and register the content script', () =>
        page.evaluate(async () => {
          const { browser } = globalThis as unknown as ExtensionPageGlobals;
          const background = await browser.runtime.getBackgroundPage();
          if (!background.__gridsideTest) return undefined;
          await background.__gridsideTest.ready;
          const scripts = await browser.scripting.getRegisteredContentScripts();
          return scripts.length > 0 ? true : undefined;
        }),
      );
    },
    async tabId(urlPrefix) {
      return pollUntil(`a tab at ${urlPrefix}`, () =>
        page.evaluate(async (prefix) => {
          const { browser } = globalThis as unknown as ExtensionPageGlobals;
          const tabs = await browser.tabs.query({});
          return tabs.find((t) => t.url?.startsWith(prefix))?.id;
        }, urlPrefix),
      );
    },
    hasMenuItem(id) {
      return page.evaluate(async (menuId) => {
        const { browser } = globalThis as unknown as ExtensionPageGlobals;
        return browser.contextMenus.update(menuId, {}).then(
          () => true,
          () => false,
        );
      }, id);
    },
    async menuClick(menuItemId, tabId, frameId) {
      await page.evaluate(
        async (info, id) => {
          const { browser } = globalThis as unknown as ExtensionPageGlobals;
          const background = await browser.runtime.getBackgroundPage();
          if (!background.__gridsideTest) throw new Error('the background page has no demo-build hooks');
          await background.__gridsideTest.onMenuClick(info, { id });
        },
        { menuItemId, frameId },
        tabId,
      );
    },
    async command(name, tabId) {
      await page.evaluate(
        async (command, id) => {
          const { browser } = globalThis as unknown as ExtensionPageGlobals;
          const background = await browser.runtime.getBackgroundPage();
          if (!background.__gridsideTest) throw new Error('the background page has no demo-build hooks');
          await background.__gridsideTest.onCommand(command, { id });
        },
        name,
        tabId,
      );
    },
  };
}
