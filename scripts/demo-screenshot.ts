/**
 * The README picture: Gridside at work in the demo console. Called by `npm run demo -- --screenshot
 * docs/screenshot.png` after it built dist/ and wrote dist/demo-config.json (orchestrator + console), so
 * a fresh headless Chromium with dist/ loaded starts already pointed at the running demo.
 *
 * It does what an analyst does: hovers a log row whose origin IP is on the demo threat list, clicks
 * "Run SmartResponse", runs IP Reputation, waits for the verdict chips, and saves the window (1400×900).
 * Gridside's UI is in a closed shadow root, so clicks inside it go through the DevTools protocol
 * (test/support/shadow-dom.ts, shared with the end-to-end tests).
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { chromium, type Page } from 'playwright-core';
import { exitWithUsageOnHelp } from '../src/orchestrator/cli-usage.ts';
import { shadowClick, shadowWaitFor, waitForPanelState } from '../test/support/shadow-dom.ts';
import { findChromium, loadExtensionArgs, QUIET_CHROMIUM_ARGS } from './ensure-chromium.ts';

exitWithUsageOnHelp(`usage: npm run demo -- --screenshot docs/screenshot.png

Takes the README picture: with the demo running and dist/ built, runs IP Reputation on a log row in
headless Chromium and saves the window. Called by the demo launcher, not on its own.`);

const ROOT = path.resolve(import.meta.dirname, '..');
const DIST = path.join(ROOT, 'dist');
const THREAT_LIST = path.join(ROOT, 'demo', 'plugins', 'ip-reputation', 'threat-ips.json');
const ACTION = 'IP Reputation : Origin IP';

interface PanelSummary {
  open: boolean;
  step: string;
  catalog: string;
  status: string | null;
  error: string | null;
  verdicts: string[];
}

/** IPs the demo feed calls malicious (its rule: sure C2/botnet/malware hosts, very sure phishing hosts). */
function maliciousIps(): string[] {
  const feed = JSON.parse(readFileSync(THREAT_LIST, 'utf8')) as {
    ip: string;
    category: string;
    confidence: number;
  }[];
  return feed
    .filter(
      (e) =>
        (['c2', 'botnet', 'malware-host'].includes(e.category) && e.confidence >= 70) ||
        (e.category === 'phishing' && e.confidence >= 80),
    )
    .map((e) => e.ip);
}

/**
 * Scrolls the first log whose origin IP is malicious to the top of the grid, with its origin IP column in
 * view and a whole column at the left edge (not the end of one cut off); returns its row index.
 */
async function showThreatRow(page: Page): Promise<number> {
  const index = await page.evaluate((listed) => {
    // biome-ignore lint/suspicious/noExplicitAny: the demo console exposes its ag-Grid API
    const api = (window as any).gridApi.logs;
    const count = api.getDisplayedRowCount();
    for (let i = 0; i < count; i += 1) {
      if (listed.includes(api.getDisplayedRowAtIndex(i)?.data?.SIP)) {
        api.ensureIndexVisible(i, 'top');
        api.ensureColumnVisible('SIP');
        const { left } = api.getHorizontalPixelRange();
        // biome-ignore lint/suspicious/noExplicitAny: ag-Grid's column objects
        const first = api.getAllDisplayedColumns().find((c: any) => c.getLeft() >= left);
        if (first && first.getLeft() > left) {
          api.ensureColumnVisible(first, 'start');
          const sip = api.getColumn('SIP');
          if (api.getHorizontalPixelRange().right < sip.getLeft() + sip.getActualWidth())
            api.ensureColumnVisible('SIP');
        }
        return i;
      }
    }
    return -1;
  }, maliciousIps());
  if (index < 0) throw new Error('no demo log has an origin IP on the threat list');
  return index;
}

export async function takeDemoScreenshot(options: { consoleUrl: string; out: string }): Promise<void> {
  const executablePath = findChromium();
  if (!executablePath) throw new Error('no Chromium or Chrome found for the screenshot');
  const profile = mkdtempSync(path.join(tmpdir(), 'gridside-screenshot-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath,
    headless: true,
    viewport: { width: 1400, height: 900 },
    colorScheme: 'dark',
    args: [...loadExtensionArgs(DIST), ...QUIET_CHROMIUM_ARGS],
  });
  try {
    const worker = context.serviceWorkers()[0] ?? (await context.waitForEvent('serviceworker'));
    // The demo build seeds itself from dist/demo-config.json and then registers the content script.
    await worker.evaluate(async () => {
      const hooks = (globalThis as unknown as { __gridsideTest: { ready: Promise<unknown> } }).__gridsideTest;
      await hooks.ready;
      for (let tries = 0; tries < 100; tries += 1) {
        if ((await chrome.scripting.getRegisteredContentScripts()).length > 0) return;
        await new Promise((r) => setTimeout(r, 100));
      }
      throw new Error('Gridside did not register its content script for the demo console');
    });

    const page = await context.newPage();
    await page.goto(options.consoleUrl);
    await page.waitForFunction(() => 'gridApi' in window, null, { timeout: 120_000 });
    await page.waitForSelector('[data-gridside]', { state: 'attached', timeout: 30_000 });
    const index = await showThreatRow(page);
    const cell = page.locator(`#logs-grid .ag-row[row-index="${index}"] [col-id="SIP"]`).first();
    await cell.waitFor();
    await cell.hover();
    await shadowClick(page, '.row-button[data-shown]');
    await waitForPanelState<PanelSummary>(page, (s) => s.open && s.catalog === 'ready');
    await shadowClick(page, 'button.action', { text: ACTION });
    await waitForPanelState<PanelSummary>(page, (s) => s.step === 'form');
    await shadowClick(page, 'form input[type="text"]');
    await page.keyboard.press('Enter');
    const done = await waitForPanelState<PanelSummary>(
      page,
      (s) => s.error !== null || s.status === 'succeeded' || s.status === 'failed',
      60_000,
    );
    if (done.status !== 'succeeded')
      throw new Error(`IP Reputation did not succeed: ${JSON.stringify(done)}`);
    await shadowWaitFor(page, '.chip.malicious');
    // Keep the row highlighted, as when the analyst is looking at it, and let the last frame settle. The
    // pointer goes to the row's event name by coordinates: a hover aimed at the IP cell, which the row
    // button now covers, would have Playwright scroll the grid until the cell is free, away from the panel.
    const event = await page
      .locator(`#logs-grid .ag-row[row-index="${index}"] [col-id="CommonEvent"]`)
      .first()
      .boundingBox();
    const rows = await page.locator('#logs-grid .ag-grid-viewport').boundingBox();
    // ag-Grid keeps a few rows rendered out of view: the row must be inside the scroller's box too.
    if (!event || !rows || event.y < rows.y || event.y + event.height > rows.y + rows.height)
      throw new Error(
        'the log row IP Reputation ran on left the screen: the picture would show its panel alone',
      );
    await page.mouse.move(event.x + event.width / 2, event.y + event.height / 2);
    await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
    await page.screenshot({ path: options.out });
  } finally {
    await context.close();
    rmSync(profile, { recursive: true, force: true });
  }
}
