import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { type BrowserContext, chromium, type Worker } from 'playwright-core';
import { loadExtensionArgs, QUIET_CHROMIUM_ARGS } from '../../scripts/ensure-chromium.ts';

/**
 * Real Chromium with the built extension loaded (README.md, "Tests and figures"). Each launch gets a fresh profile,
 * so tests never share state through the browser.
 */
export interface ExtensionBrowser {
  context: BrowserContext;
  extensionId: string;
  profileDir: string;
  /** The current service worker; after the worker was killed, call it again for a fresh handle. */
  worker(): Promise<Worker>;
  /** Stops the service worker the way Chrome does when it is idle. */
  killWorker(): Promise<void>;
  close(): Promise<void>;
}

export const DIST = resolve('dist');

export function chromiumPath(): string {
  return process.env.GRIDSIDE_CHROMIUM ?? '/usr/bin/chromium';
}

export async function launchExtension(
  options: { dist?: string; profileDir?: string; keepProfile?: boolean } = {},
): Promise<ExtensionBrowser> {
  const dist = options.dist ?? DIST;
  const profileDir = options.profileDir ?? mkdtempSync(join(tmpdir(), 'gridside-profile-'));
  const context = await chromium.launchPersistentContext(profileDir, {
    executablePath: chromiumPath(),
    headless: true,
    viewport: { width: 1400, height: 900 },
    args: [...loadExtensionArgs(dist), ...QUIET_CHROMIUM_ARGS],
  });
  const firstWorker = context.serviceWorkers()[0] ?? (await context.waitForEvent('serviceworker'));
  const extensionId = new URL(firstWorker.url()).host;

  // After Chrome stops the worker, Playwright keeps the same Worker handle, and calls on it hang until the
  // worker runs again. So after a kill, `worker()` first wakes it with a runtime message from an extension
  // page (any extension event starts it), then hands out the handle, which is attached to the new instance.
  let stopped = false;

  const worker = async (): Promise<Worker> => {
    if (stopped) {
      const page = await context.newPage();
      await page.goto(`chrome-extension://${extensionId}/src/options/index.html`);
      await page.evaluate(() => chrome.runtime.sendMessage({ type: 'ping' }).catch(() => undefined));
      await page.close();
      stopped = false;
    }
    const live = context.serviceWorkers().find((w) => w.url().includes(extensionId));
    return live ?? (await context.waitForEvent('serviceworker', { timeout: 20_000 }));
  };

  const killWorker = async () => {
    const browser = context.browser();
    if (!browser) throw new Error('no browser handle to kill the service worker with');
    const cdp = await browser.newBrowserCDPSession();
    const { targetInfos } = (await cdp.send('Target.getTargets')) as {
      targetInfos: { targetId: string; type: string; url: string }[];
    };
    const target = targetInfos.find((t) => t.type === 'service_worker' && t.url.includes(extensionId));
    if (target) await cdp.send('Target.closeTarget', { targetId: target.targetId });
    await cdp.detach();
    stopped = true;
  };

  return {
    context,
    extensionId,
    profileDir,
    worker,
    killWorker,
    async close() {
      await context.close();
      if (!options.keepProfile) rmSync(profileDir, { recursive: true, force: true });
    },
  };
}
