import type { Page } from 'playwright-core';
import { closePanel, shadowClick, waitForPanelState } from '../../test/e2e/analyst.ts';
import { panelState, shadowClickPoint, shadowText } from '../../test/support/shadow-dom.ts';
import { type ClickToPaint, type PanelSummary, pageNow, waitClickToPaint } from './paint-probe.ts';

/**
 * The analyst's steps the bench times, with real mouse input through the DevTools protocol: open the panel
 * from a row's button, pick IP Reputation, click Run, and the batch over selected rows.
 */

export const IP_REPUTATION = 'IP Reputation : Origin IP';
/** The bench's own lookup that waits as a remote feed would (waiting-lookup/). */
export const WAITING_LOOKUP = 'Waiting Lookup : Origin IP';
export const LOG_ROWS = '#logs-grid .ag-row[row-index]';

/**
 * How long a timed click holds the button down. A hand's click lasts about 100 ms, and the console page
 * handles the press (focus, the pressed look, its own listeners) while the button is down. Released at
 * once, the press was still being handled when the release arrived, and that work counted as the
 * analyst's wait, which starts at the click (the release).
 */
export const CLICK_HOLD_MS = 50;

/**
 * A timed click at `point`: the pointer moves there first, as a hand does before it presses, then
 * `beforeClick` runs (the bench reads the CPU there), then the press, held CLICK_HOLD_MS, and the release.
 * What the move costs the page (hover states, a hit test) is not the click's.
 */
export async function timedClickAt(
  page: Page,
  point: { x: number; y: number },
  beforeClick: () => void = () => undefined,
): Promise<void> {
  await page.mouse.move(point.x, point.y);
  beforeClick();
  await page.mouse.down();
  await new Promise((resolve) => setTimeout(resolve, CLICK_HOLD_MS));
  await page.mouse.up();
}

const sipCell = (page: Page, index: number) =>
  page.locator(`#logs-grid .ag-row[row-index="${index}"] [col-id="SIP"]`).first();

/** Scrolls row `index` to the top of the grid; returns its origin IP. */
export async function showRow(page: Page, index: number): Promise<string> {
  await page.evaluate((i) => {
    // biome-ignore lint/suspicious/noExplicitAny: the demo console exposes its ag-Grid API
    const api = (window as any).gridApi.logs;
    api.ensureIndexVisible(i, 'top');
    api.ensureColumnVisible('SIP');
  }, index);
  await page.waitForSelector(`#logs-grid .ag-row[row-index="${index}"] [col-id="SIP"]`);
  return ((await sipCell(page, index).textContent()) ?? '').trim();
}

/** Hover the row, click its "Run SmartResponse" button: click → the actions this row can fill, painted. */
export async function openPanelTimed(page: Page, index: number): Promise<ClickToPaint> {
  const cell = sipCell(page, index);
  await page.mouse.move(1, 1);
  await cell.hover();
  const since = await pageNow(page);
  await shadowClick(page, '.row-button[data-shown]', { holdMs: CLICK_HOLD_MS });
  return waitClickToPaint(page, since, 'actions');
}

/** Narrows the catalog to the action `name` and opens its form (untimed: the analyst's reading time). */
export async function chooseAction(page: Page, name: string): Promise<void> {
  await shadowClick(page, 'input[type="search"]');
  await page.keyboard.press('ControlOrMeta+A');
  await page.keyboard.type(name);
  await shadowClick(page, 'button.action', { text: name });
  await waitForPanelState<PanelSummary>(page, (s) => s.step === 'form');
}

export const chooseIpReputation = (page: Page): Promise<void> => chooseAction(page, IP_REPUTATION);

/**
 * Click Run: click → verdict chips painted. A verdict that never comes fails with what the panel shows.
 * `beforeClick` runs once the button is found and still, just before the press (the bench reads the CPU
 * there, as for a batch).
 */
export async function runTimed(page: Page, beforeClick: () => void = () => undefined): Promise<ClickToPaint> {
  const point = await shadowClickPoint(page, 'form button[type="submit"].primary');
  const since = await pageNow(page);
  await timedClickAt(page, point, beforeClick);
  try {
    return await waitClickToPaint(page, since, 'verdict');
  } catch (error) {
    const shown = await panelState(page);
    throw new Error(
      `${error instanceof Error ? error.message : error}; the panel shows ${JSON.stringify(shown)}`,
    );
  }
}

export { closePanel };

/** Selects rows first..first+count-1 and shows them (only rendered rows can be read); returns their IPs. */
export async function selectRows(page: Page, first: number, count: number): Promise<string[]> {
  const ips: string[] = await page.evaluate(
    ([first, count]) => {
      // biome-ignore lint/suspicious/noExplicitAny: the demo console exposes its ag-Grid API
      const api = (window as any).gridApi.logs;
      const picked: string[] = [];
      type Node = { rowIndex: number; data: { SIP?: string }; setSelected(on: boolean): void };
      api.forEachNodeAfterFilterAndSort((node: Node) => {
        if (node.rowIndex >= first && node.rowIndex < first + count) {
          node.setSelected(true);
          picked.push(String(node.data.SIP ?? ''));
        }
      });
      api.ensureIndexVisible(first, 'top');
      return picked;
    },
    [first, count] as const,
  );
  await page.waitForFunction(
    (count) => document.querySelectorAll('#logs-grid .ag-row-selected[row-index]').length >= count,
    count,
  );
  return ips;
}

/**
 * Starts the batch from the open form's "Run on N selected rows" and returns click → the frame that paints
 * every row's outcome, stamped in the page by the probe from the demo build's panel summary (as the
 * verdict is): nothing polls the browser through the protocol while the batch runs. `clickAt` is the
 * click on the page's clock. `beforeClick` runs once the button is found and still, just before the press:
 * what the bench does to find it (its DevTools calls, the page's layout and frames they cause) is not the
 * batch's.
 */
export async function runBatchTimed(
  page: Page,
  count: number,
  beforeClick: () => void = () => undefined,
): Promise<{ wallMs: number; failed: number; clickAt: number; failedRows: FailedRow[] }> {
  const point = await shadowClickPoint(page, 'button[data-batch-start]', {
    text: `Run on ${count} selected rows`,
  });
  const since = await pageNow(page);
  await timedClickAt(page, point, beforeClick);
  const shown = await waitClickToPaint(page, since, 'batch', 120_000);
  if (shown.state.batch?.total !== count) {
    throw new Error(`the batch ran ${shown.state.batch?.total ?? 0} rows, not ${count}`);
  }
  return {
    wallMs: shown.paintedAt - shown.clickAt,
    failed: shown.state.batch.failed + shown.state.batch.notRun,
    clickAt: shown.clickAt,
    failedRows: await failedRows(page),
  };
}

/** A row of the batch that did not succeed, as the batch list shows it: the row, how it ended, and why. */
export interface FailedRow {
  row: string;
  outcome: 'failed' | 'not-run';
  reason: string;
}

/**
 * The batch list's rows that did not succeed, read once every outcome is painted (not timed): each such
 * line carries its reason (batch-view.tsx), so a row without a result can be told apart as the data's (a
 * row with no value to run on, "not run"), the plugin's or Gridside's.
 */
export async function failedRows(page: Page): Promise<FailedRow[]> {
  const found: FailedRow[] = [];
  for (const outcome of ['failed', 'not-run'] as const) {
    const line = `.batch-rows li[data-outcome="${outcome}"]`;
    const rows = await shadowText(page, `${line} .batch-row > span:first-child`);
    const reasons = await shadowText(page, `${line} .reason`);
    for (const [i, row] of rows.entries())
      found.push({ row: row.trim(), outcome, reason: reasons[i]?.trim() || 'no reason shown' });
  }
  return found;
}

/**
 * "1 not run: Log 14200987: Not run: …", the rows the panel counted as not run or failed (`unfinished` of
 * them), grouped by how they ended and the reason the batch list gives (`rows`, as read from it).
 */
export function describeFailed(unfinished: number, rows: FailedRow[]): string {
  if (unfinished === 0 && rows.length === 0) return 'every row done';
  const parts: string[] = [];
  for (const outcome of ['not-run', 'failed'] as const) {
    const byReason = new Map<string, string[]>();
    for (const { row, reason } of rows.filter((r) => r.outcome === outcome))
      byReason.set(reason, [...(byReason.get(reason) ?? []), row]);
    const count = [...byReason.values()].reduce((sum, which) => sum + which.length, 0);
    const groups = [...byReason].map(([reason, which]) => `${which.join(', ')}: ${reason}`);
    if (count > 0)
      parts.push(`${count} ${outcome === 'not-run' ? 'not run' : 'failed'}: ${groups.join('; ')}`);
  }
  if (rows.length !== unfinished) parts.push(`${rows.length} of ${unfinished} such rows read from the list`);
  return parts.join('; ');
}
