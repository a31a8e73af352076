import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import type { Page } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ECHO_ROW } from '../e2e/analyst.ts';
import { EXTENSION_ORIGIN, FIREFOX_DIST } from '../support/firefox-browser.ts';
import { type FirefoxStack, startFirefoxStack } from '../support/firefox-stack.ts';
import { openPanelFromRow, runAction } from './firefox-analyst.ts';

/**
 * Firefox's side of test/e2e/no-fingerprint.e2e.ts: a console page, where Gridside runs and has loaded
 * its panel through the worker, cannot fetch any file of the extension at its moz-extension:// origin,
 * save the frame pages the manifest declares. Firefox has no per-session URL for those; its extension
 * host is random per install (this test fixes it through a preference to know it), so a page cannot
 * guess where to look.
 */

let stack: FirefoxStack;
let page: Page;

beforeAll(async () => {
  stack = await startFirefoxStack({ logs: 200, alarms: 20 });
  page = await stack.openConsole('/analyzer.html#logs', '#logs-grid .ag-row[row-index]');
}, 300_000);

afterAll(async () => {
  await stack?.stop();
});

describe('what a console page in Firefox can learn about Gridside', () => {
  it('fetches none of its files, even after the panel ran an action', async () => {
    const cell = await page.waitForSelector('#logs-grid .ag-row[row-index="3"] [col-id="LogId"]');
    if (!cell) throw new Error('no LogId cell in row 3');
    await openPanelFromRow(page, cell);
    // The run itself: its output is shown in the output frame, outside what this test is about.
    expect((await runAction(page, ECHO_ROW)).status).toBe('succeeded');

    const manifest = JSON.parse(readFileSync(path.join(FIREFOX_DIST, 'manifest.json'), 'utf8')) as {
      web_accessible_resources?: { resources: string[] }[];
    };
    const framePages = (manifest.web_accessible_resources ?? []).flatMap((entry) => entry.resources);
    expect(
      framePages.every((page) => page.endsWith('.html')),
      framePages.join(),
    ).toBe(true);
    const urls = readdirSync(FIREFOX_DIST, { recursive: true, encoding: 'utf8' })
      .map((file) => file.split(path.sep).join('/'))
      .filter((file) => statSync(path.join(FIREFOX_DIST, file)).isFile() && !framePages.includes(file))
      .map((file) => `${EXTENSION_ORIGIN}/${file}`);
    expect(urls.length).toBeGreaterThan(20);
    const fetched = await page.evaluate(async (all: string[]) => {
      const outcomes = await Promise.all(
        all.map((url) =>
          fetch(url).then(
            (response) => `${url}: fetched ${response.status}`,
            () => null,
          ),
        ),
      );
      return outcomes.filter((outcome) => outcome !== null);
    }, urls);
    expect(fetched).toEqual([]);
  });
});
