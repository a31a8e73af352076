import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { type DemoConsole, startDemoConsole } from '../../demo/server.ts';
import { DIST, type ExtensionBrowser, launchExtension } from './extension-browser.ts';
import { type OrchestratorHandle, REPO_ROOT, startOrchestrator } from './orchestrator-process.ts';

/**
 * Everything an analyst's session needs, for one end-to-end test file: the real orchestrator with the demo
 * plugins and demo config, the demo console, and Chromium with the demo build of Gridside pointed at both.
 * Each stack gets its own copy of dist/ (with its own demo-config.json), so files never fight over dist/.
 *
 *   const stack = await startStack();
 *   const page = await stack.openConsole('/analyzer.html#logs');
 *   ...
 *   await stack.stop();
 */

const DEMO_CONFIG = path.join(REPO_ROOT, 'demo', 'orchestrator.config.json');

export interface StackOptions {
  /** The token the extension is seeded with; default: the demo analyst's. */
  token?: (tokens: Record<string, string>) => string;
  /** Demo console sizes (smaller is faster to load; the scroll tests need the default 50,000 logs). */
  logs?: number;
  alarms?: number;
}

export interface Stack {
  orchestrator: OrchestratorHandle;
  console: DemoConsole;
  browser: ExtensionBrowser;
  /** The dist copy the browser loaded (demo-config.json inside). */
  dist: string;
  /** Opens a console page and waits until Gridside's content script is on it. */
  openConsole(pathname: string, readySelector: string): Promise<Page>;
  stop(): Promise<void>;
}

function demoConfig(): Record<string, unknown> & {
  tokens: { name: string; roles: string[]; token?: string }[];
} {
  const config = JSON.parse(readFileSync(DEMO_CONFIG, 'utf8'));
  // The demo config keeps its state beside the repo; a test stack keeps it in the orchestrator's temp dir.
  delete config.dataDir;
  return config;
}

export function analystToken(tokens: Record<string, string>, config = demoConfig()): string {
  const name = config.tokens.find((t) => t.roles.includes('analyst'))?.name;
  const token = name ? tokens[name] : undefined;
  if (!token) throw new Error('demo/orchestrator.config.json has no analyst token');
  return token;
}

export async function startStack(options: StackOptions = {}): Promise<Stack> {
  if (!existsSync(path.join(DIST, 'manifest.json')))
    throw new Error('dist/ is not built: run `npx vite build --mode demo` first');
  const config = demoConfig();
  const workDir = mkdtempSync(path.join(tmpdir(), 'gridside-e2e-'));
  const stateFile = path.join(workDir, 'directory-state.json');
  const orchestrator = await startOrchestrator({
    plugins: 'demo/plugins',
    config,
    env: { GRIDSIDE_DEMO_STATE_FILE: stateFile },
    startTimeoutMs: 60_000,
  });
  const demoConsole = await startDemoConsole({ port: 0, logs: options.logs, alarms: options.alarms });

  const dist = path.join(workDir, 'dist');
  cpSync(DIST, dist, { recursive: true });
  const token = options.token
    ? options.token(orchestrator.tokens)
    : analystToken(orchestrator.tokens, config);
  writeFileSync(
    path.join(dist, 'demo-config.json'),
    JSON.stringify({ orchestrator: { url: orchestrator.url, token }, consoles: [demoConsole.url] }),
  );
  const browser = await launchExtension({ dist });
  // The worker seeds settings and registers the content script for the console after install.
  const worker = await browser.worker();
  await worker.evaluate(async () => {
    const hooks = (globalThis as unknown as { __gridsideTest: { ready: Promise<unknown> } }).__gridsideTest;
    await hooks.ready;
  });
  await waitForRegistration(browser);

  return {
    orchestrator,
    console: demoConsole,
    browser,
    dist,
    async openConsole(pathname, readySelector) {
      const page = await browser.context.newPage();
      await page.goto(demoConsole.url + pathname);
      await page.waitForSelector(readySelector, { timeout: 100_000 });
      await page.waitForSelector('[data-gridside]', { state: 'attached', timeout: 30_000 });
      return page;
    },
    async stop() {
      await browser.close().catch(() => undefined);
      await demoConsole.close().catch(() => undefined);
      await orchestrator.stop();
      orchestrator.cleanup();
      rmSync(workDir, { recursive: true, force: true });
    },
  };
}

/** The content script is registered dynamically (per console origin) a moment after install. */
async function waitForRegistration(browser: ExtensionBrowser): Promise<void> {
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    const worker = await browser.worker();
    const count = await worker.evaluate(async () => {
      const scripts = await chrome.scripting.getRegisteredContentScripts();
      return scripts.length;
    });
    if (count > 0) return;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error('Gridside never registered its content script for the demo console');
}
