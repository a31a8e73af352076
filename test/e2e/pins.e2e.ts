import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Stack, startStack } from '../support/e2e-stack.ts';
import { shadowQueryAll, shadowText } from '../support/shadow-dom.ts';
import {
  closePanel,
  ECHO_ROW,
  openPanelFromRow,
  outputFrameText,
  runAction,
  shadowBox,
  shadowClick,
  shadowWaitFor,
} from './analyst.ts';

/**
 * Pinned results on the demo console's Alarms tab (ag-Grid 36, 500 alarms): run an action on an alarm,
 * pin it, and the pin marker is beside that alarm again after a reload, after scrolling far away and back
 * (row elements are recycled), and after the worker was stopped; the marker opens the pinned result.
 */

let stack: Stack;
let page: Page;
const INDEX = 5;

beforeAll(async () => {
  stack = await startStack({ logs: 2_000 });
  page = await stack.openConsole('/analyzer.html#logs', '#logs-grid .ag-row[row-index]');
  await page.waitForFunction(() => 'gridApi' in window, undefined, { timeout: 60_000 });
}, 300_000); // an orchestrator, a console and Chromium, on a shared machine

afterAll(async () => {
  await stack?.stop();
});

async function showAlarm(index: number): Promise<void> {
  await page.locator('#tab-alarms').click();
  await page.evaluate((i) => {
    // biome-ignore lint/suspicious/noExplicitAny: the demo console exposes its ag-Grid API for tests
    (window as any).gridApi.alarms.ensureIndexVisible(i, 'middle');
  }, index);
  await page.waitForSelector(`#alarms-grid .ag-row[row-index="${index}"] [col-id="AlarmId"]`, {
    timeout: 60_000,
  });
}

async function reload(): Promise<void> {
  await page.reload();
  await page.waitForFunction(() => 'gridApi' in window, undefined, { timeout: 60_000 });
}

const alarmCell = (index: number) =>
  page.locator(`#alarms-grid .ag-row[row-index="${index}"] [col-id="AlarmId"]`).first();

/** The marker's vertical centre lies inside the row's box: it is beside THIS row. */
async function expectMarkerBesideAlarm(index: number): Promise<void> {
  await shadowWaitFor(page, '.pin-marker[data-shown]', { text: /^1$/, timeoutMs: 20_000 });
  const marker = await shadowBox(page, '.pin-marker[data-shown]');
  const row = await page.locator(`#alarms-grid .ag-row[row-index="${index}"]`).first().boundingBox();
  expect(marker && row).toBeTruthy();
  const middle = ((marker?.top ?? 0) + (marker?.bottom ?? 0)) / 2;
  expect(middle).toBeGreaterThan(row?.y ?? 0);
  expect(middle).toBeLessThan((row?.y ?? 0) + (row?.height ?? 0));
}

describe('pinned results beside an alarm', () => {
  it('pins a finished run and finds it again after a reload, a long scroll and a worker restart', {
    timeout: 240_000,
  }, async () => {
    await showAlarm(INDEX);
    const alarmId = ((await alarmCell(INDEX).textContent()) ?? '').trim();
    expect(alarmId).not.toBe('');

    await openPanelFromRow(page, alarmCell(INDEX));
    const done = await runAction(page, ECHO_ROW);
    expect(done.status).toBe('succeeded');
    await shadowClick(page, 'button.pin', { text: 'Pin to alarm' });
    await shadowWaitFor(page, '.pinned', { text: 'Pinned' });
    await closePanel(page);
    await expectMarkerBesideAlarm(INDEX);
    // Only the pinned alarm is marked.
    expect(await shadowQueryAll(page, '.pin-marker[data-shown]')).toHaveLength(1);

    // Another tab chosen: the Alarms grid stays laid out, hidden and off screen, and its marker goes too.
    await page.locator('#tab-logs').click();
    await page.waitForTimeout(600); // past the markers' settle time
    expect(await shadowQueryAll(page, '.pin-marker[data-shown]')).toHaveLength(0);
    await showAlarm(INDEX);
    await expectMarkerBesideAlarm(INDEX);

    await reload();
    await showAlarm(INDEX);
    await expectMarkerBesideAlarm(INDEX);

    // Far away: the row elements now show other alarms, and none of them is pinned.
    await showAlarm(480);
    await page.waitForTimeout(600); // past the markers' settle time, so a wrong marker would have shown
    expect(await shadowQueryAll(page, '.pin-marker[data-shown]')).toHaveLength(0);

    await showAlarm(INDEX);
    await expectMarkerBesideAlarm(INDEX);

    // The worker is stopped (as Chrome does when idle); a new page load asks the new worker.
    await stack.browser.killWorker();
    await stack.browser.worker();
    await reload();
    await showAlarm(INDEX);
    await expectMarkerBesideAlarm(INDEX);

    await shadowClick(page, '.pin-marker[data-shown]');
    await shadowWaitFor(page, '.pins-view li.pin', { text: ECHO_ROW });
    const view = (await shadowText(page, '.pins-view')).join('\n');
    expect(view).toContain(`Alarm ${alarmId}`);
    expect(view).toContain('Succeeded');
    expect(view).toMatch(/pinned by \S+/);
    // The pinned output is shown in the output frame, fetched by the pin from the new worker.
    await expect.poll(() => outputFrameText(page), { timeout: 10_000 }).toContain('"argv"');
    expect(view).not.toContain('"argv"');
    // The first pinned results opened since the page loaded have the keyboard too: Escape closes them.
    await page.keyboard.press('Escape');
    await expect.poll(() => shadowQueryAll(page, '.pins-view'), { timeout: 5_000 }).toHaveLength(0);
  });
});
