import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Stack, startStack } from '../support/e2e-stack.ts';
import { listedRuns } from '../support/orchestrator-process.ts';
import { shadowClick, shadowQueryAll, shadowWaitFor } from '../support/shadow-dom.ts';

/**
 * In-grid auto-enrichment end to end, in real Chromium against the real orchestrator: on the demo Logs
 * tab the analyst saves the rule "SIP is a public IP → IP Reputation" on the options page and switches it
 * on in the popup. The public origin IPs on screen are enriched, each distinct IP once and within the
 * minute's budget (counted at the orchestrator), private ones not; every such row shows an "Auto" chip
 * with its verdict, and the popup shows the budget spent, still after the browser restarts its worker.
 * Switched off in the popup, a scroll to other rows starts no run; switched on again, the rows now on
 * screen are enriched (so the quiet was the switch).
 */

const IP_REPUTATION = 'gridside-demo-ip-reputation/ip-reputation-origin-ip';
const LOG_ROWS = '#logs-grid .ag-row[row-index]';
const BUDGET = 40;
/** Private, loopback and link-local IPv4: what the rule must leave alone. Written out independently. */
const NOT_PUBLIC = /^(10\.|127\.|169\.254\.|192\.168\.|172\.(1[6-9]|2\d|3[01])\.)/;

let stack: Stack;
let page: Page;
let popup: Page;
let origin: string;

beforeAll(async () => {
  stack = await startStack({ logs: 2_000, alarms: 50 });
  page = await stack.openConsole('/analyzer.html#logs', LOG_ROWS);
  await page.waitForFunction(() => 'gridApi' in window, undefined, { timeout: 60_000 });
  origin = new URL(page.url()).origin;
  // The origin IP column in view (ag-Grid draws only the columns on screen), as the analyst would have it.
  await page.evaluate(() => {
    // biome-ignore lint/suspicious/noExplicitAny: the demo console exposes its ag-Grid API for tests
    (window as any).gridApi.logs.ensureColumnVisible('SIP');
  });
  await page.waitForSelector('#logs-grid .ag-row[row-index="0"] [col-id="SIP"]');
}, 300_000);

afterAll(async () => {
  await stack?.stop();
});

/** IP Reputation runs the orchestrator recorded, as its own API lists them. */
async function reputationRuns(): Promise<string[]> {
  const runs = await listedRuns(stack.orchestrator);
  return runs.filter((run) => run.actionId === IP_REPUTATION).flatMap((run) => Object.values(run.params));
}

/** Origin IPs of the rows drawn in the grid body: `shown` wholly inside its viewport, `drawn` any part. */
async function originIps(): Promise<{ shown: string[]; drawn: string[] }> {
  return page.evaluate(() => {
    const grid = document.querySelector('#logs-grid');
    const shown: string[] = [];
    const drawn: string[] = [];
    if (!grid) return { shown, drawn };
    const rect = grid.getBoundingClientRect();
    const bottom = Math.min(rect.bottom, window.innerHeight);
    // Rows ag-Grid draws ahead of the scroll sit under the header: wholly visible means below it.
    const below = Math.max(rect.top, grid.querySelector('.ag-header')?.getBoundingClientRect().bottom ?? 0);
    for (const cell of document.querySelectorAll('#logs-grid .ag-row[row-index] [col-id="SIP"]')) {
      const box = cell.getBoundingClientRect();
      const ip = cell.textContent?.trim() ?? '';
      if (!ip || box.bottom <= rect.top || box.top >= bottom) continue;
      drawn.push(ip);
      if (box.top >= below && box.bottom <= bottom) shown.push(ip);
    }
    return { shown, drawn };
  });
}

/** Polls the orchestrator until the runs stop changing for `quietMs` (the proposals have been served). */
async function runsWhenQuiet(quietMs: number, timeoutMs: number): Promise<string[]> {
  const deadline = Date.now() + timeoutMs;
  let last = await reputationRuns();
  let since = Date.now();
  while (Date.now() < deadline) {
    await page.waitForTimeout(250);
    const now = await reputationRuns();
    if (now.length !== last.length) {
      last = now;
      since = Date.now();
    } else if (Date.now() - since >= quietMs) return now;
  }
  return last;
}

/** The analyst's mouse wheel over the grid: a scroll of a few rows that comes to rest. */
async function scrollGrid(pixels: number): Promise<void> {
  // The middle of the grid's body: rows drawn above it (ag-Grid's buffer) are hidden behind the header.
  const body = await page.locator('#logs-grid').boundingBox();
  if (!body) throw new Error('no grid on screen');
  await page.mouse.move(body.x + body.width / 3, body.y + body.height / 2);
  const before = await firstRowIndex();
  await page.mouse.wheel(0, pixels);
  await page.waitForFunction((start) => {
    const rows = [...document.querySelectorAll('#logs-grid .ag-row[row-index]')];
    const top = document.querySelector('#logs-grid .ag-header')?.getBoundingClientRect().bottom ?? 0;
    const first = rows.filter((r) => r.getBoundingClientRect().bottom > top + 1);
    const index = Math.min(...first.map((r) => Number(r.getAttribute('row-index'))));
    return index !== start;
  }, before);
}

async function firstRowIndex(): Promise<number> {
  return page.evaluate(() => {
    const rows = [...document.querySelectorAll('#logs-grid .ag-row[row-index]')];
    const top = document.querySelector('#logs-grid .ag-header')?.getBoundingClientRect().bottom ?? 0;
    const first = rows.filter((r) => r.getBoundingClientRect().bottom > top + 1);
    return Math.min(...first.map((r) => Number(r.getAttribute('row-index'))));
  });
}

async function popupSwitch(): Promise<ReturnType<Page['getByLabel']>> {
  const box = popup.getByLabel('Auto-enrich rows on this site');
  await box.waitFor({ timeout: 20_000 });
  return box;
}

describe('in-grid auto-enrichment on the demo Logs tab', () => {
  it('is set up on the options page and switched on in the popup', { timeout: 120_000 }, async () => {
    const options = await stack.browser.context.newPage();
    await options.goto(`chrome-extension://${stack.browser.extensionId}/src/options/index.html`);
    const card = options.locator(`fieldset[data-console="${origin}"]`);
    await card
      .locator('select[id$="-action"] option', { hasText: 'Origin IP' })
      .first()
      .waitFor({ state: 'attached' });
    // Off by default: the switch cannot even be turned on before a rule exists.
    await expect(card.getByLabel('Auto-enrich rows on this console').isChecked()).resolves.toBe(false);
    await card.locator('input[id$="-field"]').fill('SIP');
    await card.getByLabel('Condition').selectOption('public-ip');
    await card.locator('select[id$="-action"]').selectOption(IP_REPUTATION);
    await card.getByRole('button', { name: 'Add rule' }).click();
    await card.getByText('SIP is a public IP → IP Reputation').waitFor();
    await card.getByLabel('Runs per minute').fill(String(BUDGET));
    await card.getByLabel('Runs per minute').blur();
    await options.getByText('Budget saved.').waitFor();
    await options.close();
    expect(await reputationRuns()).toEqual([]);

    // The popup, opened as a tab beside the console; it reads the site of the active tab: the console.
    popup = await stack.browser.context.newPage();
    await popup.goto(`chrome-extension://${stack.browser.extensionId}/src/popup/index.html`);
    await page.bringToFront();
    await popup.reload();
    const toggle = await popupSwitch();
    expect(await toggle.isChecked()).toBe(false);
    await toggle.check();
    await popup
      .locator('.auto-budget')
      .filter({ hasText: `of ${BUDGET} runs this minute` })
      .waitFor();
  });

  it('enriches the public IPs on screen once each, within the budget, and not the private ones', {
    timeout: 120_000,
  }, async () => {
    await page.bringToFront();
    // The analyst scrolls a few rows: when the scroll rests, the rows on screen are proposed.
    await scrollGrid(200);
    await shadowWaitFor(page, '.auto-mark[data-shown]', { timeoutMs: 30_000 });
    const { shown, drawn } = await originIps();
    const publicShown = [...new Set(shown.filter((ip) => !NOT_PUBLIC.test(ip)))];
    expect(publicShown.length, JSON.stringify({ shown, drawn })).toBeGreaterThan(0);
    expect(shown.some((ip) => NOT_PUBLIC.test(ip))).toBe(true);
    const runs = await runsWhenQuiet(3_000, 60_000);
    // Every public IP wholly on screen was enriched, by exactly one run whatever the rows repeating it.
    for (const ip of publicShown) expect(runs).toContain(ip);
    expect(new Set(runs).size).toBe(runs.length);
    // Nothing else: no private IP, no row off screen (a row cut by the viewport's edge may count).
    for (const ip of runs) {
      expect(NOT_PUBLIC.test(ip)).toBe(false);
      expect(drawn).toContain(ip);
    }
    expect(runs.length).toBeLessThanOrEqual(BUDGET);

    // Each enriched row shows its verdict in the chip (the demo feed knows every public IP: no "running").
    await shadowWaitFor(page, '.auto-mark[data-shown]', { text: /Auto · (safe|suspicious|malicious|info)/ });
    const rowsWithPublicIp = shown.filter((ip) => !NOT_PUBLIC.test(ip)).length;
    const deadline = Date.now() + 30_000;
    let chips = 0;
    while (Date.now() < deadline) {
      chips = (await shadowQueryAll(page, '.auto-mark[data-shown]:not([data-verdict="pending"])')).length;
      if (chips >= rowsWithPublicIp) break;
      await page.waitForTimeout(250);
    }
    expect(chips).toBeGreaterThanOrEqual(rowsWithPublicIp);

    // A click on a chip shows its run beside the row, like a pinned result.
    await shadowClick(page, '.auto-mark[data-shown]');
    await shadowWaitFor(page, '.auto-run-view .auto-run', { text: 'Succeeded', timeoutMs: 20_000 });

    // The popup shows the budget spent: the runs sent this minute.
    await popup
      .locator('.auto-budget')
      .filter({ hasText: `${runs.length} of ${BUDGET} runs this minute` })
      .waitFor();

    // The browser stops an idle worker and starts a new one on the next message: the new one goes on
    // with the same minute's budget, not a fresh one.
    await stack.browser.killWorker();
    await popup.reload();
    await popup
      .locator('.auto-budget')
      .filter({ hasText: `${runs.length} of ${BUDGET} runs this minute` })
      .waitFor();
  });

  it('stops at once when switched off in the popup, and starts again when switched on', {
    timeout: 180_000,
  }, async () => {
    const before = await reputationRuns();
    const toggle = await popupSwitch();
    await toggle.uncheck();
    await expect(popup.locator('.auto-budget').isVisible()).resolves.toBe(true);
    expect(await toggle.isChecked()).toBe(false);

    // Scroll to rows never seen: their public IPs would be enriched if it were on.
    await page.bringToFront();
    await page.evaluate(() => {
      // biome-ignore lint/suspicious/noExplicitAny: the demo console exposes its ag-Grid API for tests
      (window as any).gridApi.logs.ensureIndexVisible(900, 'top');
    });
    await page.waitForSelector('#logs-grid .ag-row[row-index="900"]');
    await scrollGrid(200);
    const { shown } = await originIps();
    const fresh = [...new Set(shown.filter((ip) => !NOT_PUBLIC.test(ip) && !before.includes(ip)))];
    expect(fresh.length).toBeGreaterThan(0);
    // Nothing to wait for but time: the scroll rests, the rows are read, nothing may reach the orchestrator.
    expect(await runsWhenQuiet(4_000, 20_000)).toEqual(before);

    // Switched on again, the rows on screen at the next rest are enriched: it was the switch that kept
    // them quiet, not the time the test waited.
    await toggle.check();
    await page.bringToFront();
    await scrollGrid(200);
    const now = await originIps();
    const wanted = [...new Set(now.shown.filter((ip) => !NOT_PUBLIC.test(ip) && !before.includes(ip)))];
    expect(wanted.length).toBeGreaterThan(0);
    const deadline = Date.now() + 60_000;
    let after = before;
    while (Date.now() < deadline && !wanted.every((ip) => after.includes(ip))) {
      await page.waitForTimeout(250);
      after = await reputationRuns();
    }
    for (const ip of wanted) expect(after).toContain(ip);
  });
});
