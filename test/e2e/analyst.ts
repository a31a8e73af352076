import type { Locator, Page } from 'playwright-core';
import type { ExtensionBrowser } from '../support/extension-browser.ts';
import {
  OUTPUT_FRAME_PATH,
  panelState,
  shadowBox,
  shadowClick,
  shadowText,
  shadowWaitFor,
  waitForPanelState,
} from '../support/shadow-dom.ts';

/**
 * What an analyst does with Gridside, as test steps: hover a row, click the floating button, pick an
 * action, run it, read what the panel shows. Everything goes through real mouse input and the panel's
 * published state (the UI lives in a closed shadow root).
 */

export interface PanelSummary {
  open: boolean;
  step: string;
  catalog: string;
  action: string | null;
  status: string | null;
  error: string | null;
  verdicts: string[];
  stdout: string | null;
}

export const ECHO_ROW = 'Echo Row Fields';
export const FINISHED = ['succeeded', 'failed', 'denied', 'canceled', 'timed_out'];

/**
 * The run ended and, if it succeeded, its output frame reported what it shows: the output is fetched by
 * the frame itself, a moment after the panel learns the run ended (the accessor's `stdout` comes from it).
 */
export function runShown(s: PanelSummary): boolean {
  if (s.step !== 'run') return false;
  if (s.error !== null) return true;
  return s.status !== null && FINISHED.includes(s.status) && (s.status !== 'succeeded' || s.stdout !== null);
}

/** How many elements match `selector` inside the run output of every output frame in the page. */
export async function outputFrameCount(page: Page, selector: string): Promise<number> {
  const counts = await Promise.all(
    page
      .frames()
      .filter((frame) => frame.url().includes(OUTPUT_FRAME_PATH))
      .map((frame) => frame.evaluate((s) => document.querySelectorAll(s).length, selector).catch(() => 0)),
  );
  return counts.reduce((a, b) => a + b, 0);
}

/** The text every output frame in the page shows, read through the browser (the page itself cannot). */
export async function outputFrameText(page: Page): Promise<string> {
  const texts = await Promise.all(
    page
      .frames()
      .filter((frame) => frame.url().includes(OUTPUT_FRAME_PATH))
      .map((frame) => frame.evaluate(() => document.body?.textContent ?? '').catch(() => '')),
  );
  return texts.join('\n');
}

/** Hovers the row (at the given cell) and clicks the one floating "Run SmartResponse" button. */
export async function openPanelFromRow(page: Page, cell: Locator): Promise<PanelSummary> {
  await cell.scrollIntoViewIfNeeded();
  // Move off and back on, so a pointerover fires even when the mouse already rests on this spot.
  await page.mouse.move(1, 1);
  await cell.hover();
  await shadowClick(page, '.row-button[data-shown]');
  return waitForPanelState<PanelSummary>(
    page,
    (s) => s.open && s.catalog !== 'loading' && s.catalog !== 'idle',
  );
}

/** Picks an action from the open panel's catalog by its name; resolves once its form shows. */
export async function openActionForm(page: Page, actionName: string): Promise<void> {
  await waitForPanelState<PanelSummary>(page, (s) => s.open && s.catalog === 'ready');
  // Narrow the catalog the way an analyst does with a long list: type into the filter box.
  await shadowClick(page, 'input[type="search"]');
  await page.keyboard.press('ControlOrMeta+A');
  await page.keyboard.type(actionName);
  await shadowClick(page, 'button.action', { text: actionName });
  await waitForPanelState<PanelSummary>(page, (s) => s.step === 'form');
}

/** Picks an action from the catalog by its name and presses Run; returns the finished panel state. */
export async function runAction(page: Page, actionName: string, timeoutMs = 45_000): Promise<PanelSummary> {
  await openActionForm(page, actionName);
  // "Enter runs it" (param-form.tsx), the keyboard's way; the Run button's own click is in grid-run.e2e.ts
  // ("The panel under a still pointer").
  await shadowClick(page, 'form input[type="text"]');
  await page.keyboard.press('Enter');
  await waitForPanelState<PanelSummary>(page, (s) => s.step === 'run', 10_000).catch(async (error) => {
    await page.screenshot({ path: '/tmp/gridside-e2e-run-did-not-start.png' }).catch(() => undefined);
    throw new Error(`Run did not start; the panel shows: ${await panelText(page)}`, { cause: error });
  });
  return waitForPanelState<PanelSummary>(page, runShown, timeoutMs);
}

/** The argv the echo-row plugin printed. */
export function echoedArgv(state: PanelSummary): string[] {
  if (state.status !== 'succeeded' || !state.stdout)
    throw new Error(`echo-row did not succeed: ${JSON.stringify(state)}`);
  return (JSON.parse(state.stdout) as { argv: string[] }).argv;
}

/** The value that followed a switch (`-sip 10.0.0.1` → `10.0.0.1`), as the plugin received it. */
export function argAfter(argv: string[], flag: string): string | undefined {
  const index = argv.indexOf(flag);
  return index >= 0 ? argv[index + 1] : undefined;
}

/** All text the panel shows (header, body, and the output in its output frame). */
export async function panelText(page: Page): Promise<string> {
  return [...(await shadowText(page, 'section.panel')), await outputFrameText(page)].join('\n');
}

/** The panel header's title, e.g. "Log 123456" or "Alarm 4321" (without the identity note beside it). */
export async function panelTitle(page: Page): Promise<string> {
  await shadowWaitFor(page, 'section.panel h2');
  const heading = (await shadowText(page, 'section.panel h2'))[0] ?? '';
  const note = (await shadowText(page, 'section.panel h2 .key'))[0] ?? '';
  return note && heading.endsWith(note) ? heading.slice(0, -note.length) : heading;
}

export async function closePanel(page: Page): Promise<void> {
  await shadowClick(page, 'header button.icon');
  await waitForPanelState<PanelSummary>(page, (s) => !s.open);
}

export { panelState, shadowBox, shadowClick, shadowText, shadowWaitFor, waitForPanelState };

/**
 * For an action that changes things: picks it, submits the form, checks the confirmation lists `sentValue`
 * among the values that will be sent, confirms, and returns the panel state once the orchestrator took the
 * run (for an action with approvals: `pending_approval`).
 */
export async function startConfirmedRun(
  page: Page,
  actionName: string,
  sentValue: string,
): Promise<PanelSummary> {
  await openActionForm(page, actionName);
  await shadowClick(page, 'form input[type="text"]');
  await page.keyboard.press('Enter');
  await waitForPanelState<PanelSummary>(page, (s) => s.step === 'confirm', 10_000);
  await shadowWaitFor(page, 'ul.sent li', { text: sentValue });
  await shadowClick(page, '.row-buttons button.primary', { text: `Run ${actionName}` });
  return waitForPanelState<PanelSummary>(
    page,
    (s) => s.step === 'run' && (s.error !== null || (s.status !== null && s.status !== 'submitting')),
    20_000,
  );
}

/** The panel's approval lines, one per level (or per approver of a quorum level), as the analyst reads them. */
export async function approvalLines(page: Page): Promise<string[]> {
  return shadowText(page, 'ul.approvals li');
}

interface MenuHooks {
  onMenuClick(info: { menuItemId: string; frameId?: number }, tab: { id?: number }): Promise<void>;
}

/**
 * The context menu's "Run SmartResponse on this row", chosen in the console's tab. Chrome's own menu cannot
 * be clicked by automation: the right-click before it must be real, and this calls the worker's own click
 * handler (a demo-build hook) with the real tab, so which row opens is the product's decision.
 */
export async function chooseMenuItem(browser: ExtensionBrowser, consoleUrl: string): Promise<void> {
  const worker = await browser.worker();
  const tabId = await worker.evaluate(async (origin) => {
    const tabs = await chrome.tabs.query({});
    return tabs.find((t) => t.url?.startsWith(origin))?.id ?? null;
  }, consoleUrl);
  if (tabId === null) throw new Error('the console tab is not visible to the extension');
  await worker.evaluate(
    ([tabId]) =>
      (globalThis as unknown as { __gridsideTest: MenuHooks }).__gridsideTest.onMenuClick(
        { menuItemId: 'gridside-run-on-row', frameId: 0 },
        { id: tabId },
      ),
    [tabId] as const,
  );
}
