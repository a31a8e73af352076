import type { ElementHandle, Page } from 'puppeteer-core';
import { type PanelSummary, runShown } from '../e2e/analyst.ts';
import { shadowClick, shadowText, shadowWaitFor, waitForPanelState } from '../support/firefox-shadow.ts';

/**
 * What an analyst does with Gridside in Firefox, as test steps — the same steps as test/e2e/analyst.ts,
 * through puppeteer's WebDriver BiDi input and the panel's published state.
 */

/** Hovers the row (at the given cell) and clicks the one floating "Run SmartResponse" button. */
export async function openPanelFromRow(page: Page, cell: ElementHandle<Element>): Promise<PanelSummary> {
  await cell.scrollIntoView();
  // Move off and back on, so a pointerover fires even when the mouse already rests on this spot.
  await page.mouse.move(1, 1);
  await cell.hover();
  await shadowClick(page, '.row-button[data-shown]');
  return waitForPanelState<PanelSummary>(
    page,
    (s) => s.open && s.catalog !== 'loading' && s.catalog !== 'idle',
  );
}

/** Narrows the catalog by typing into its filter box and opens the action's form. */
export async function openForm(page: Page, actionName: string): Promise<void> {
  await waitForPanelState<PanelSummary>(page, (s) => s.open && s.catalog === 'ready');
  await shadowClick(page, 'input[type="search"]');
  await page.keyboard.down('Control');
  await page.keyboard.press('KeyA');
  await page.keyboard.up('Control');
  await page.keyboard.type(actionName);
  // The list narrows as the filter applies, moving the action's button: click it once the list is still.
  let before = '';
  for (const deadline = Date.now() + 5_000; Date.now() < deadline; ) {
    const now = JSON.stringify(await shadowText(page, 'button.action'));
    if (now === before) break;
    before = now;
    await new Promise((resolve) => setTimeout(resolve, 150));
  }
  await shadowClick(page, 'button.action', { text: actionName });
  await waitForPanelState<PanelSummary>(page, (s) => s.step === 'form');
}

/** Opens the action's form and presses Enter in it. */
async function pickAndSubmit(page: Page, actionName: string): Promise<void> {
  await openForm(page, actionName);
  await shadowClick(page, 'form input[type="text"]');
  await page.keyboard.press('Enter');
}

/** Picks an action from the catalog by its name and runs it; returns the finished panel state. */
export async function runAction(page: Page, actionName: string, timeoutMs = 45_000): Promise<PanelSummary> {
  await pickAndSubmit(page, actionName);
  await waitForPanelState<PanelSummary>(page, (s) => s.step === 'run', 10_000).catch(async (error) => {
    throw new Error(`Run did not start; the panel shows: ${await panelText(page)}`, { cause: error });
  });
  return waitForPanelState<PanelSummary>(
    page,
    // The output is shown by the output frame a moment after the panel learns the run ended.
    runShown,
    timeoutMs,
  );
}

/** All text the panel shows (header, body, output). */
export async function panelText(page: Page): Promise<string> {
  return (await shadowText(page, 'section.panel')).join('\n');
}

/** The panel header's title, e.g. "Log 123456" (without the identity note beside it). */
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
