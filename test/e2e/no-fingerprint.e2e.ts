import { readdirSync, readFileSync, statSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Stack, startStack } from '../support/e2e-stack.ts';
import { ECHO_ROW, echoedArgv, openPanelFromRow, runAction } from './analyst.ts';

/**
 * A web page must not be able to tell that Gridside is installed (docs/security.md): no file of the
 * extension may be fetched from a page, neither from a plain site nor from a console where Gridside runs,
 * before or after the panel's and teach mode's code was loaded. The list of files is read from the built
 * extension on disk, so a file added later is probed too.
 */

let stack: Stack;
let plainSite: Server;
let plainUrl: string;

beforeAll(async () => {
  stack = await startStack({ logs: 200, alarms: 20 });
  // Any site that is not a console: a page on another origin, with nothing of Gridside on it.
  plainSite = createServer((_request, response) => {
    response.writeHead(200, { 'content-type': 'text/html' });
    response.end('<!doctype html><title>Elsewhere</title><p>Nothing to see.</p>');
  });
  await new Promise<void>((resolve) => plainSite.listen(0, '127.0.0.1', resolve));
  plainUrl = `http://127.0.0.1:${(plainSite.address() as AddressInfo).port}/`;
});

afterAll(async () => {
  await stack?.stop();
  await new Promise((resolve) => plainSite?.close(resolve));
});

/** Every file of the extension the browser loaded, as paths inside it. */
function extensionFiles(): string[] {
  return readdirSync(stack.dist, { recursive: true, encoding: 'utf8' })
    .filter((file) => statSync(path.join(stack.dist, file)).isFile())
    .map((file) => file.split(path.sep).join('/'));
}

/** What the page's own script gets for each URL: 'refused', or the status and length it could read. */
async function probeFromPage(page: Page, urls: string[]): Promise<Record<string, string>> {
  return page.evaluate(async (all) => {
    const outcomes = await Promise.all(
      all.map(async (url) => {
        try {
          const response = await fetch(url);
          return [url, `fetched ${response.status}, ${(await response.text()).length} chars`] as const;
        } catch {
          return [url, 'refused'] as const;
        }
      }),
    );
    return Object.fromEntries(outcomes);
  }, urls);
}

function probeUrls(): string[] {
  const base = `chrome-extension://${stack.browser.extensionId}/`;
  return extensionFiles().map((file) => base + file);
}

function expectAllRefused(outcomes: Record<string, string>): void {
  const fetched = Object.entries(outcomes).filter(([, outcome]) => outcome !== 'refused');
  expect(fetched).toEqual([]);
}

describe('what a web page can learn about Gridside', () => {
  it('the manifest lets no page fetch any file (a frame page would need a per-session URL)', () => {
    const manifest = JSON.parse(readFileSync(path.join(stack.dist, 'manifest.json'), 'utf8')) as {
      web_accessible_resources?: { use_dynamic_url?: boolean }[];
    };
    for (const entry of manifest.web_accessible_resources ?? []) {
      expect(entry.use_dynamic_url).toBe(true);
    }
    expect(extensionFiles()).toContain('content/gridside.js');
  });

  it('a plain site fetches none of its files', async () => {
    const page = await stack.browser.context.newPage();
    await page.goto(plainUrl);
    const urls = probeUrls();
    expect(urls.length).toBeGreaterThan(20);
    expectAllRefused(await probeFromPage(page, urls));
    await page.close();
  });

  it('a console fetches none of them either, before or after the panel ran an action', async () => {
    const page = await stack.openConsole('/analyzer.html#logs', '#logs-grid .ag-row[row-index]');
    expectAllRefused(await probeFromPage(page, probeUrls()));

    // The panel's code is loaded on first use (injected by the worker); the run still works.
    const cell = page.locator('#logs-grid .ag-row[row-index="3"] [col-id="LogId"]').first();
    await openPanelFromRow(page, cell);
    const finished = await runAction(page, ECHO_ROW);
    expect(echoedArgv(finished).length).toBeGreaterThan(0);

    expectAllRefused(await probeFromPage(page, probeUrls()));
    // Nothing of the extension's address was written into the page either.
    const html = await page.evaluate(() => document.documentElement.outerHTML);
    expect(html).not.toContain(stack.browser.extensionId);
    await page.close();
  });
});
