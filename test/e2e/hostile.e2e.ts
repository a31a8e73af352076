import type { Dialog, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findHostileRows, type HostileSample } from '../../demo/generator/hostile.ts';
import { generateLogs } from '../../demo/generator/index.ts';
import type { LogRow } from '../../demo/generator/log-row.ts';
import { type Stack, startStack } from '../support/e2e-stack.ts';
import { shadowQueryAll } from '../support/shadow-dom.ts';
import {
  argAfter,
  closePanel,
  ECHO_ROW,
  echoedArgv,
  openPanelFromRow,
  outputFrameCount,
  panelText,
  runAction,
} from './analyst.ts';

/**
 * Log data is written by attackers. A row holding HTML or script-like text must stay text everywhere:
 * in the grid, in the panel, and on its way to the plugin (exactly one argument, byte for byte).
 */

const LOGS = 3_000; // enough for the img-onerror and script-tag rows of the seeded demo data
const SWITCH: Record<HostileSample['field'], string> = {
  URL: '-url',
  Object: '-object',
  Process: '-process',
  Login: '-login',
  Subject: '-subject',
  SHostName: '-shost',
};

let stack: Stack;
let page: Page;
const dialogs: string[] = [];

beforeAll(async () => {
  stack = await startStack({ logs: LOGS, alarms: 50 });
  page = await stack.openConsole('/analyzer.html#logs', '#logs-grid .ag-row[row-index]');
  page.on('dialog', (dialog: Dialog) => {
    dialogs.push(dialog.message());
    void dialog.dismiss();
  });
  await page.waitForFunction(() => 'gridApi' in window);
});

afterAll(async () => {
  await stack?.stop();
});

/** The same seeded rows the demo console serves (seed 42). */
const hostile = findHostileRows(generateLogs({ seed: 42, count: LOGS }) as LogRow[]);

const cases = [
  'img onerror in file name',
  'script tag in URL',
  'HTML in host name',
  'POSIX shell substitution',
].map((name) => {
  const hit = hostile.find((h) => h.sample.name === name);
  return { name, logId: hit ? String(hit.row.LogId) : null, sample: hit?.sample };
});

describe.each(cases)('A row holding $name', ({ logId, sample }) => {
  it('is shown as text, reaches the plugin verbatim, and shows as text in the panel', async () => {
    expect(logId, 'the seeded demo data holds this sample').not.toBeNull();
    const { field, value } = sample!;
    const index = await page.evaluate(
      ([id, field]) => {
        // biome-ignore lint/suspicious/noExplicitAny: the demo console exposes its ag-Grid API for tests
        const api = (window as any).gridApi.logs;
        const node = api.getRowNode(id);
        api.ensureIndexVisible(node.rowIndex, 'top');
        api.ensureColumnVisible(field);
        return node.rowIndex as number;
      },
      [logId!, field] as const,
    );
    const cell = page.locator(`#logs-grid .ag-row[row-index="${index}"] [col-id="${field}"]`).first();
    // The grid shows the text, and no element was made from it.
    expect(await cell.textContent()).toBe(value);
    expect(await cell.locator('img, script, svg, iframe').count()).toBe(0);

    await openPanelFromRow(page, cell);
    const argv = echoedArgv(await runAction(page, ECHO_ROW));
    expect(argAfter(argv, SWITCH[field])).toBe(value);

    // The panel shows the plugin output (JSON of the argv) as text in its output frame, and neither the
    // panel nor the frame made an element from it (the panel's one iframe is that frame).
    expect(await panelText(page)).toContain(JSON.stringify(value).slice(1, -1));
    expect(await shadowQueryAll(page, 'img, script, svg, iframe:not(.output-frame), object')).toHaveLength(0);
    expect(await shadowQueryAll(page, 'iframe.output-frame')).toHaveLength(1);
    expect(
      await outputFrameCount(
        page,
        '.content img, .content script, .content svg, .content iframe, .content object',
      ),
    ).toBe(0);
    await closePanel(page);
    expect(dialogs).toEqual([]);
  });
});
