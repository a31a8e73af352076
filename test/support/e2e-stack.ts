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
  /**
   * The address the extension is given for the orchestrator, from the orchestrator's own (e.g. a
   * fault-injecting proxy in front of it, test/support/fault-proxy.ts); default: the orchestrator's.
   */
  via?: (orchestratorUrl: string) => Promise<string>;
  /** Starts the orchestrator through another program (see StartOrchestratorOptions.wrap). */
  wrapOrchestrator?: (node: string, args: string[]) => { command: string; args: string[] };
  /**
   * Runs the orchestrator as it is deployed, the plain JavaScript of `npm run build:orchestrator` started
   * with Node alone, rather than the TypeScript sources through tsx (whose loader makes the process larger
   * and each plugin's spawn slower): for benchmarks. The caller builds it first.
   */
  builtOrchestrator?: boolean;
  /** The orchestrator's plugins folder; default: the demo's (`demo/plugins`). */
  plugins?: string;
  /** Changes the demo orchestrator config before the orchestrator starts (say, for `plugins`' actions). */
  configure?: (config: ReturnType<typeof demoConfig>) => void;
}

export interface Stack {
  orchestrator: OrchestratorHandle;
  console: DemoConsole;
  browser: ExtensionBrowser;
  /** The dist copy the browser loaded (demo-config.json inside). */
  dist: string;
  /** The demo directory's state file, where the disable-account plugin records what it changed. */
  directoryState: string;
  /** Opens a console page and waits until Gridside's content script is on it. */
  openConsole(pathname: string, readySelector: string): Promise<Page>;
  /**
   * Another analyst's Chromium (fresh profile, own dist copy) on the same orchestrator and console, signed
   * in with that demo person's token. Close it when done (two cores: keep two or three browsers at most);
   * `stop()` closes any still open.
   */
  launchAnalyst(who: DemoPerson): Promise<AnalystBrowser>;
  stop(): Promise<void>;
}

/**
 * The demo config's people, by role: `approver` is the first token with the approver role (Priya),
 * `approver2` the second (Sam).
 */
export type DemoPerson = 'analyst' | 'approver' | 'approver2' | 'admin';

export interface AnalystBrowser {
  /** The token's name, as the orchestrator shows it (`requestedBy`, an approval's `by`). */
  name: string;
  browser: ExtensionBrowser;
  dist: string;
  /** Opens a console page and waits until Gridside's content script is on it. */
  openConsole(pathname: string, readySelector: string): Promise<Page>;
  /** The toolbar popup, opened as a tab (`chrome-extension://ID/src/popup/index.html`). */
  openPopup(): Promise<Page>;
  /** The toolbar badge's text (the approvals count; '' when nothing waits). */
  badgeText(): Promise<string>;
  close(): Promise<void>;
}

export function demoConfig(): Record<string, unknown> & {
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

/** Name and token of a demo person (see DemoPerson). */
export function demoPerson(
  who: DemoPerson,
  tokens: Record<string, string>,
  config = demoConfig(),
): { name: string; token: string } {
  const role = who === 'approver2' ? 'approver' : who;
  const nth = who === 'approver2' ? 1 : 0;
  const name = config.tokens.filter((t) => t.roles.includes(role))[nth]?.name;
  const token = name ? tokens[name] : undefined;
  if (!name || !token) throw new Error(`demo/orchestrator.config.json has no ${who} token`);
  return { name, token };
}

export async function startStack(options: StackOptions = {}): Promise<Stack> {
  if (!existsSync(path.join(DIST, 'manifest.json')))
    throw new Error('dist/ is not built: run `npx vite build --mode demo` first');
  const config = demoConfig();
  options.configure?.(config);
  const workDir = mkdtempSync(path.join(tmpdir(), 'gridside-e2e-'));
  const stateFile = path.join(workDir, 'directory-state.json');
  const orchestrator = await startOrchestrator({
    plugins: options.plugins ?? 'demo/plugins',
    config,
    env: { GRIDSIDE_DEMO_STATE_FILE: stateFile },
    startTimeoutMs: 60_000,
    ...(options.wrapOrchestrator ? { wrap: options.wrapOrchestrator } : {}),
    ...(options.builtOrchestrator ? { built: true } : {}),
  });
  let demoConsole: DemoConsole | undefined;
  /** Stops the servers this stack started and removes its files: after its browsers, or a failed start. */
  const release = async () => {
    await demoConsole?.close().catch(() => undefined);
    await orchestrator.stop();
    orchestrator.cleanup();
    rmSync(workDir, { recursive: true, force: true });
  };
  let seeded: { dist: string; browser: ExtensionBrowser };
  let target: { orchestratorUrl: string; consoleUrl: string };
  try {
    demoConsole = await startDemoConsole({ port: 0, logs: options.logs, alarms: options.alarms });
    const token = options.token
      ? options.token(orchestrator.tokens)
      : analystToken(orchestrator.tokens, config);
    const orchestratorUrl = options.via ? await options.via(orchestrator.url) : orchestrator.url;
    target = { orchestratorUrl, consoleUrl: demoConsole.url };
    seeded = await launchSeeded(path.join(workDir, 'dist'), token, target);
  } catch (error) {
    // A stack that failed to start leaves nothing running: its orchestrator is a process of its own,
    // which would outlive the test run and hold its port and its plugins' directory.
    await release();
    throw error;
  }
  const { dist, browser } = seeded;
  const others = new Set<AnalystBrowser>();
  let copies = 0;

  return {
    orchestrator,
    console: demoConsole,
    browser,
    dist,
    directoryState: stateFile,
    openConsole: (pathname, readySelector) =>
      openConsolePage(browser, demoConsole.url, pathname, readySelector),
    async launchAnalyst(who) {
      const person = demoPerson(who, orchestrator.tokens, config);
      copies += 1;
      const seeded = await launchSeeded(path.join(workDir, `dist-${who}-${copies}`), person.token, target);
      const analyst: AnalystBrowser = {
        name: person.name,
        ...seeded,
        openConsole: (pathname, readySelector) =>
          openConsolePage(seeded.browser, demoConsole.url, pathname, readySelector),
        async openPopup() {
          const page = await seeded.browser.context.newPage();
          await page.goto(`chrome-extension://${seeded.browser.extensionId}/src/popup/index.html`);
          await page.waitForSelector('#approvals-title');
          return page;
        },
        async badgeText() {
          const worker = await seeded.browser.worker();
          return worker.evaluate(() => chrome.action.getBadgeText({}));
        },
        async close() {
          others.delete(analyst);
          await seeded.browser.close().catch(() => undefined);
          rmSync(seeded.dist, { recursive: true, force: true });
        },
      };
      others.add(analyst);
      return analyst;
    },
    async stop() {
      for (const other of [...others]) await other.close();
      await browser.close().catch(() => undefined);
      await release();
    },
  };
}

/**
 * A copy of dist/ whose demo-config.json points at this orchestrator (with `token`) and console, loaded
 * into a fresh Chromium; resolves once the worker seeded its settings and registered the content script.
 */
async function launchSeeded(
  dist: string,
  token: string,
  target: { orchestratorUrl: string; consoleUrl: string },
): Promise<{ dist: string; browser: ExtensionBrowser }> {
  cpSync(DIST, dist, { recursive: true });
  writeFileSync(
    path.join(dist, 'demo-config.json'),
    JSON.stringify({
      orchestrator: { url: target.orchestratorUrl, token },
      consoles: [target.consoleUrl],
    }),
  );
  const browser = await launchExtension({ dist });
  try {
    // The worker seeds settings and registers the content script for the console after install.
    const worker = await browser.worker();
    const demoBuild = await worker.evaluate(async () => {
      const hooks = (globalThis as unknown as { __gridsideTest?: { ready: Promise<unknown> } })
        .__gridsideTest;
      await hooks?.ready;
      return hooks !== undefined;
    });
    if (!demoBuild)
      throw new Error(
        'dist/ is a production build (its worker has no test hooks): run `npx vite build --mode demo` first',
      );
    await waitForRegistration(browser);
  } catch (error) {
    await browser.close().catch(() => undefined);
    throw error;
  }
  return { dist, browser };
}

async function openConsolePage(
  browser: ExtensionBrowser,
  consoleUrl: string,
  pathname: string,
  readySelector: string,
): Promise<Page> {
  const page = await browser.context.newPage();
  await page.goto(consoleUrl + pathname);
  await page.waitForSelector(readySelector, { timeout: 100_000 });
  await page.waitForSelector('[data-gridside]', { state: 'attached', timeout: 30_000 });
  return page;
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
