import type { Page } from 'playwright-core';
import { FINISHED, openPanelFromRow, type PanelSummary, panelText } from '../e2e/analyst.ts';
import type { ExtensionBrowser } from '../support/extension-browser.ts';
import { shadowClick, waitForPanelState } from '../support/shadow-dom.ts';

/**
 * The analyst's steps the fault tests share: start an action on a log row and watch the panel while the
 * network, the orchestrator or the browser's storage misbehave, then read what Gridside kept.
 */

export function logCell(page: Page, row: number, column = 'SIP') {
  return page.locator(`#logs-grid .ag-row[row-index="${row}"] [col-id="${column}"]`).first();
}

/** Opens the panel on a log row and returns the row's Origin IP, as the grid shows it. */
export async function openOnRow(page: Page, row: number): Promise<{ sip: string; state: PanelSummary }> {
  await page.evaluate(() => {
    // biome-ignore lint/suspicious/noExplicitAny: the demo console exposes its ag-Grid API for tests
    (window as any).gridApi.logs.ensureColumnVisible('SIP');
  });
  const cell = logCell(page, row);
  const sip = ((await cell.textContent()) ?? '').trim();
  if (!sip) throw new Error(`log row ${row} shows no Origin IP`);
  const state = await openPanelFromRow(page, cell);
  return { sip, state };
}

/**
 * Picks the action, types `values` over its form's prefilled ones (by the parameter's place in the form)
 * and presses Enter; resolves once the panel shows the run (or its refusal).
 */
export async function startAction(
  page: Page,
  actionName: string,
  values: Record<number, string> = {},
): Promise<PanelSummary> {
  await waitForPanelState<PanelSummary>(page, (s) => s.open && s.catalog === 'ready', 60_000);
  await shadowClick(page, 'input[type="search"]');
  await page.keyboard.press('ControlOrMeta+A');
  await page.keyboard.type(actionName);
  await shadowClick(page, 'button.action', { text: actionName });
  await waitForPanelState<PanelSummary>(page, (s) => s.step === 'form');
  for (const [index, value] of Object.entries(values)) {
    await shadowClick(page, `form input#gs-param-${index}`);
    await page.keyboard.press('ControlOrMeta+A');
    await page.keyboard.type(value);
  }
  await shadowClick(page, 'form input[type="text"]');
  await page.keyboard.press('Enter');
  return waitForPanelState<PanelSummary>(page, (s) => s.step === 'run', 30_000);
}

/**
 * Waits until the run has ended (a status the orchestrator never leaves) and, if it succeeded, its output
 * frame reported what it shows (the frame fetches the output a moment after the panel learns the end).
 */
export function runEnded(page: Page, timeoutMs = 90_000): Promise<PanelSummary> {
  return waitForPanelState<PanelSummary>(
    page,
    (s) =>
      s.step === 'run' &&
      s.status !== null &&
      FINISHED.includes(s.status) &&
      (s.status !== 'succeeded' || s.stdout !== null),
    timeoutMs,
  );
}

/** The panel's words, for a failure message and for what the analyst reads. */
export const shownText = panelText;

/** A job as the worker stored it (IndexedDB, the extension origin), read by the worker itself. */
export interface KeptJob {
  id: string;
  status: string;
  open: number;
  rowKey: string;
  createdAt: number;
  params: Record<string, string>;
  error: { code: string; message: string } | null;
  run: { id: string; status: string; output: { stdout: string } | null } | null;
}

export async function keptJobs(browser: ExtensionBrowser): Promise<KeptJob[]> {
  const worker = await browser.worker();
  return worker.evaluate(
    () =>
      new Promise<KeptJob[]>((resolve, reject) => {
        const open = indexedDB.open('gridside');
        open.onerror = () => reject(open.error);
        open.onsuccess = () => {
          const db = open.result;
          const all = db.transaction('jobs').objectStore('jobs').getAll();
          all.onsuccess = () => {
            db.close();
            resolve(all.result as KeptJob[]);
          };
          all.onerror = () => reject(all.error);
        };
      }),
  );
}

/** The newest stored job whose parameters carry `value` (each test runs on a row of its own). */
export async function keptJobFor(browser: ExtensionBrowser, value: string): Promise<KeptJob | undefined> {
  const jobs = await keptJobs(browser);
  return jobs
    .filter((job) => Object.values(job.params).includes(value))
    .sort((a, b) => b.createdAt - a.createdAt)[0];
}
