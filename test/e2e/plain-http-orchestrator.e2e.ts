import { afterAll, beforeAll, expect, it } from 'vitest';
import { type ExtensionBrowser, launchExtension } from '../support/extension-browser.ts';

/**
 * The built extension in real Chromium will not be pointed at a Gridside orchestrator over plain http on
 * another machine: the options page says why and what to do, and keeps the saved settings as they were.
 * Over https, or over http on this machine (the demo), the same form saves.
 */

let browser: ExtensionBrowser;
beforeAll(async () => {
  browser = await launchExtension();
});
afterAll(async () => {
  await browser?.close();
});

it('refuses a remote plain-http orchestrator in options, with a message naming the fix', async () => {
  const page = await browser.context.newPage();
  await page.goto(`chrome-extension://${browser.extensionId}/src/options/index.html`);
  const status = page.getByRole('status');
  const saved = () =>
    page.evaluate(async () => {
      const { settings } = (await chrome.storage.local.get('settings')) as {
        settings?: { orchestrators: { url: string }[] };
      };
      return (settings?.orchestrators ?? []).map((entry) => entry.url);
    });
  // An entry as the options page makes it ("Add orchestrator"), saved without the browser's permission prompt.
  await page.evaluate(async () => {
    const { settings } = (await chrome.storage.local.get('settings')) as {
      settings?: Record<string, unknown>;
    };
    const entry = {
      id: 'soc',
      kind: 'gridside',
      name: 'New orchestrator',
      url: 'https://orchestrator.example.com/',
      enabled: true,
      options: {},
    };
    const orchestrators = [...((settings?.orchestrators as unknown[]) ?? []), entry];
    await chrome.storage.local.set({ settings: { ...settings, orchestrators } });
  });
  await page.reload();
  const form = page.getByRole('form', { name: 'New orchestrator' });
  await form.getByLabel('URL').fill('http://orchestrator.soc.example.com:8787/');
  await form.getByRole('button', { name: 'Save', exact: true }).click();
  await expect
    .poll(() => status.textContent())
    .toContain('will not use the orchestrator at http://orchestrator.soc.example.com:8787 over plain http');
  expect(await status.textContent()).toMatch(/Use https:\/\//);
  expect(await saved()).not.toContain('http://orchestrator.soc.example.com:8787/');

  // The demo's kind of address, on this machine, is fine over http.
  await form.getByLabel('URL').fill('http://127.0.0.1:8787/');
  await form.getByRole('button', { name: 'Save', exact: true }).click();
  await expect.poll(saved).toContain('http://127.0.0.1:8787/');
  await page.close();
});
