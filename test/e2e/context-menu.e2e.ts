import type { Page, Worker } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Stack, startStack } from '../support/e2e-stack.ts';
import {
  chooseMenuItem,
  closePanel,
  type PanelSummary,
  panelState,
  panelTitle,
  waitForPanelState,
} from './analyst.ts';

/**
 * The other two ways in: the page's context menu ("Run SmartResponse on this row") and the keyboard
 * command (Alt+Shift+R). Automation cannot click Chrome's native menu or press a global shortcut, so the
 * test checks the menu item exists and calls the worker's own click and command handlers (demo build
 * hooks) with the real tab — the rest (which row, the panel) is the product's.
 */

let stack: Stack;
let page: Page;

interface TestHooks {
  onMenuClick(info: { menuItemId: string; frameId?: number }, tab: { id?: number }): Promise<void>;
  onCommand(command: string, tab: { id?: number }): Promise<void>;
}

beforeAll(async () => {
  stack = await startStack({ logs: 500, alarms: 50 });
  page = await stack.openConsole('/analyzer.html#logs', '#logs-grid .ag-row[row-index]');
  await page.waitForFunction(() => 'gridApi' in window);
});

afterAll(async () => {
  await stack?.stop();
});

async function consoleTabId(worker: Worker): Promise<number> {
  const id = await worker.evaluate(async (origin) => {
    const tabs = await chrome.tabs.query({});
    return tabs.find((t) => t.url?.startsWith(origin))?.id ?? null;
  }, stack.console.url);
  if (id === null) throw new Error('the console tab is not visible to the extension');
  return id;
}

async function logIdAt(index: number): Promise<string> {
  return (
    (await page.locator(`#logs-grid .ag-row[row-index="${index}"] [col-id="LogId"]`).first().textContent()) ??
    ''
  );
}

describe('Right-click a row', () => {
  it('offers the menu item and opens the panel for the right-clicked row', async () => {
    const worker = await stack.browser.worker();
    const exists = await worker.evaluate(
      () =>
        new Promise<boolean>((resolve) =>
          chrome.contextMenus.update('gridside-run-on-row', {}, () => resolve(!chrome.runtime.lastError)),
        ),
    );
    expect(exists).toBe(true);

    const index = 6;
    const logId = await logIdAt(index);
    expect(logId).toMatch(/^\d+$/);
    const box = await page
      .locator(`#logs-grid .ag-row[row-index="${index}"] [col-id="LogId"]`)
      .first()
      .boundingBox();
    await page.mouse.click(box!.x + box!.width / 2, box!.y + box!.height / 2, { button: 'right' });
    await page.keyboard.press('Escape');

    await chooseMenuItem(stack.browser, stack.console.url);
    await waitForPanelState<PanelSummary>(page, (s) => s.open && s.catalog === 'ready');
    expect(await panelTitle(page)).toBe(`Log ${logId}`);
    await closePanel(page);
  });

  it('opens on no row when the grid redrew the right-clicked element with another row before the menu item', async () => {
    const index = 7;
    const logId = await logIdAt(index);
    const cell = page.locator(`#logs-grid .ag-row[row-index="${index}"] [col-id="LogId"]`).first();
    const box = await cell.boundingBox();
    await page.mouse.click(box!.x + box!.width / 2, box!.y + box!.height / 2, { button: 'right' });
    await page.keyboard.press('Escape');
    // A live grid refreshes while the menu is open: the same row element now shows another log.
    const swapped = await page.evaluate((index) => {
      // biome-ignore lint/suspicious/noExplicitAny: the demo console exposes its ag-Grid API for tests
      const api = (window as any).gridApi.logs;
      const node = api.getDisplayedRowAtIndex(index);
      const other = api.getDisplayedRowAtIndex(index + 20).data;
      const original = node.data;
      node.setData({ ...other });
      return { original, other: String(other.LogId) };
    }, index);
    await expect.poll(() => logIdAt(index)).toBe(swapped.other);

    await chooseMenuItem(stack.browser, stack.console.url);
    const shown = await waitForPanelState<PanelSummary>(page, (s) => s.open);
    expect(shown.step).toBe('notice');
    expect(await panelTitle(page)).not.toContain(swapped.other);
    await closePanel(page);
    await page.evaluate(
      ({ index, original }) => {
        // biome-ignore lint/suspicious/noExplicitAny: the demo console exposes its ag-Grid API for tests
        (window as any).gridApi.logs.getDisplayedRowAtIndex(index).setData(original);
      },
      { index, original: swapped.original },
    );
    await expect.poll(() => logIdAt(index)).toBe(logId);
  });
});

describe('The keyboard command', () => {
  it('opens the panel for the focused row', async () => {
    const index = 9;
    const logId = await logIdAt(index);
    // Clicking a cell focuses it (ag-Grid's cell focus), as an analyst moving through the grid would.
    await page.locator(`#logs-grid .ag-row[row-index="${index}"] [col-id="Priority"]`).first().click();
    const worker = await stack.browser.worker();
    const tabId = await consoleTabId(worker);
    await worker.evaluate(
      ([tabId]) =>
        (globalThis as unknown as { __gridsideTest: TestHooks }).__gridsideTest.onCommand(
          'run-on-focused-row',
          {
            id: tabId,
          },
        ),
      [tabId] as const,
    );
    await waitForPanelState<PanelSummary>(page, (s) => s.open && s.catalog === 'ready');
    expect(await panelTitle(page)).toBe(`Log ${logId}`);
    await closePanel(page);
  });

  it('takes no row from a grid on a tab the analyst left', async () => {
    // ag-Grid keeps its focus mark on the Logs cell clicked last while the Alarms tab shows.
    await page.locator('#logs-grid .ag-row[row-index="4"] [col-id="Priority"]').first().click();
    await page.locator('#tab-alarms').click();
    const alarmId = page.locator('#alarms-grid .ag-row[row-index="0"] [col-id="AlarmId"]').first();
    await alarmId.waitFor();
    await page.keyboard.press('Alt+Shift+R');
    await page.waitForTimeout(1000);
    expect((await panelState<PanelSummary>(page))?.open ?? false).toBe(false);
    // A cell of the grid on screen: its row.
    await alarmId.click();
    await page.keyboard.press('Alt+Shift+R');
    await waitForPanelState<PanelSummary>(page, (s) => s.open && s.catalog === 'ready');
    expect(await panelTitle(page)).toBe(`Alarm ${(await alarmId.textContent())?.trim()}`);
    await closePanel(page);
    await page.locator('#tab-logs').click();
  });
});
