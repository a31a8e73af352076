import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Page } from 'puppeteer-core';
import { type DemoConsole, startDemoConsole } from '../../demo/server.ts';
import { analystToken, demoConfig } from './e2e-stack.ts';
import {
  assertFirefoxDemoBuild,
  FIREFOX_DIST,
  type FirefoxExtensionBrowser,
  launchFirefoxExtension,
} from './firefox-browser.ts';
import { type OrchestratorHandle, startOrchestrator } from './orchestrator-process.ts';

/**
 * The analyst's session in Firefox, for one test file: the real orchestrator with the demo plugins and demo
 * config, the demo console, and Firefox with the Firefox demo build of Gridside (dist-firefox/, from
 * `npx tsx scripts/build-firefox.ts --demo`) seeded with this orchestrator's URL and the analyst's token —
 * the same session test/support/e2e-stack.ts gives the Chromium tests.
 */

export interface FirefoxStack {
  orchestrator: OrchestratorHandle;
  console: DemoConsole;
  firefox: FirefoxExtensionBrowser;
  /** Opens a console page and waits until Gridside's content script is on it. */
  openConsole(pathname: string, readySelector: string): Promise<Page>;
  stop(): Promise<void>;
}

export async function startFirefoxStack(
  options: { logs?: number; alarms?: number } = {},
): Promise<FirefoxStack> {
  assertFirefoxDemoBuild();
  const config = demoConfig();
  const workDir = mkdtempSync(path.join(tmpdir(), 'gridside-firefox-e2e-'));
  const stopped: (() => Promise<unknown>)[] = [];
  const stop = async () => {
    for (const step of stopped.reverse()) await step().catch(() => undefined);
    rmSync(workDir, { recursive: true, force: true });
  };
  try {
    const orchestrator = await startOrchestrator({
      plugins: 'demo/plugins',
      config,
      env: { GRIDSIDE_DEMO_STATE_FILE: path.join(workDir, 'directory-state.json') },
      startTimeoutMs: 60_000,
    });
    stopped.push(async () => {
      await orchestrator.stop();
      orchestrator.cleanup();
    });
    const demoConsole = await startDemoConsole({ port: 0, logs: options.logs, alarms: options.alarms });
    stopped.push(() => demoConsole.close());

    // The extension's own copy, seeded as `npm run demo` seeds dist/ (src/background/settings/demo-seed.ts).
    const dist = path.join(workDir, 'dist-firefox');
    cpSync(FIREFOX_DIST, dist, { recursive: true });
    writeFileSync(
      path.join(dist, 'demo-config.json'),
      JSON.stringify({
        orchestrator: { url: orchestrator.url, token: analystToken(orchestrator.tokens, config) },
        consoles: [demoConsole.url],
      }),
    );
    const firefox = await launchFirefoxExtension({ dist });
    stopped.push(() => firefox.close());

    return {
      orchestrator,
      console: demoConsole,
      firefox,
      async openConsole(pathname, readySelector) {
        const page = await firefox.browser.newPage();
        await page.goto(demoConsole.url + pathname);
        await page.waitForSelector(readySelector, { timeout: 100_000 });
        await page.waitForSelector('[data-gridside]', { timeout: 30_000 });
        return page;
      },
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}
