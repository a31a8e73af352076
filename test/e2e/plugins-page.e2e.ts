import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { RunSchema } from '../../src/core/api.ts';
import { PluginListSchema } from '../../src/core/plugins-api.ts';
import { packLpi, signCommand } from '../../src/orchestrator/plugin-sign-cli.ts';
import { SIGNATURE_FILE } from '../../src/orchestrator/plugin-signature.ts';
import { demoPerson, type Stack, startStack } from '../support/e2e-stack.ts';

/**
 * The Plugins section of the options page, with the demo admin's token, against the demo orchestrator
 * (which requires signatures): it lists the signed demo plugins, imports a .lpi signed with the demo key,
 * and refuses an unsigned one with the orchestrator's reason.
 */

let stack: Stack;
let options: Page;
const work = mkdtempSync(path.join(tmpdir(), 'gridside-plugins-page-'));
const DEMO_KEY = 'demo/signing/gridside-demo-DEMO-ONLY.key';

/** The echo-row demo plugin under another name, packed as a .lpi; signed with the demo key unless `unsigned`. */
async function lpi(name: string, pluginName: string, signed: boolean): Promise<string> {
  const dir = path.join(work, name);
  cpSync('demo/plugins/echo-row', dir, { recursive: true });
  rmSync(path.join(dir, SIGNATURE_FILE));
  const xml = path.join(dir, 'actions.xml');
  writeFileSync(
    xml,
    readFileSync(xml, 'utf8').replace('Name="Gridside Demo Echo Row"', `Name="${pluginName}"`),
  );
  if (signed) await signCommand(['--key', DEMO_KEY, '--signer', 'Gridside demo (demo only)', dir]);
  const file = path.join(work, `${name}.lpi`);
  await packLpi(dir, file);
  return file;
}

beforeAll(async () => {
  stack = await startStack({ token: (tokens) => demoPerson('admin', tokens).token, logs: 50, alarms: 10 });
  options = await stack.browser.context.newPage();
  await options.goto(`chrome-extension://${stack.browser.extensionId}/src/options/index.html`);
});
afterAll(async () => {
  await stack?.stop();
  rmSync(work, { recursive: true, force: true });
});

it('lists the demo plugins as trusted, with their signer', async () => {
  const rows = options.locator('section.plugins tbody tr');
  await expect.poll(() => rows.count(), { timeout: 30_000 }).toBe(8);
  const echo = options.locator('tr[data-plugin-id="gridside-demo-echo-row"]');
  expect(await echo.getAttribute('data-status')).toBe('trusted');
  expect(await echo.textContent()).toContain('Gridside demo (demo only)');
});

it('imports a signed .lpi through the page, and the orchestrator runs with it', async () => {
  const file = await lpi('imported', 'Imported Echo', true);
  await options.locator('section.plugins input[type=file]').setInputFiles(file);
  await options.getByRole('button', { name: 'Import', exact: true }).click();
  const row = options.locator('tr[data-plugin-id="imported-echo"]');
  await row.waitFor({ timeout: 30_000 });
  expect(await row.getAttribute('data-status')).toBe('trusted');
  expect(await options.locator('[role=status]').textContent()).toBe('Imported Imported Echo (trusted).');

  // The orchestrator itself says so, to the admin's token.
  const admin = demoPerson('admin', stack.orchestrator.tokens).token;
  const listed = PluginListSchema.parse(
    await (
      await fetch(`${stack.orchestrator.url}/api/v1/plugins`, {
        headers: { authorization: `Bearer ${admin}` },
      })
    ).json(),
  );
  expect(listed.plugins.find((p) => p.id === 'imported-echo')).toMatchObject({
    kind: 'lpi',
    status: 'trusted',
    runnable: true,
  });
  const started = await fetch(`${stack.orchestrator.url}/api/v1/runs`, {
    method: 'POST',
    headers: { authorization: `Bearer ${admin}`, 'content-type': 'application/json' },
    body: JSON.stringify({
      actionId: 'imported-echo/echo-row-fields',
      params: {},
      context: {
        console: stack.console.url,
        kind: 'log',
        key: { value: 'log-1', source: 'column', confidence: 'high' },
        fields: { SIP: '10.1.2.3' },
        labels: {},
        missing: [],
        truncated: [],
      },
    }),
  });
  expect(started.status).toBe(201);
  const { id } = (await started.json()) as { id: string };
  const run = RunSchema.parse(
    await (
      await fetch(`${stack.orchestrator.url}/api/v1/runs/${id}?wait=30`, {
        headers: { authorization: `Bearer ${admin}` },
      })
    ).json(),
  );
  expect(run.status).toBe('succeeded');
  expect(run.output?.stdout).toContain('10.1.2.3');
});

it('refuses an unsigned .lpi and says why', async () => {
  const file = await lpi('unsigned', 'Unsigned Echo', false);
  await options.locator('section.plugins input[type=file]').setInputFiles(file);
  await options.getByRole('button', { name: 'Import', exact: true }).click();
  await expect
    .poll(() => options.locator('[role=status]').textContent(), { timeout: 30_000 })
    .toContain('signatures are required: the plugin carries no signature');
  expect(await options.locator('tr[data-plugin-id="unsigned-echo"]').count()).toBe(0);
});
