import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ActionSchema, type Run, RunSchema } from '../../src/core/api.ts';
import { demoPerson, type Stack, startStack } from '../support/e2e-stack.ts';
import { shadowBox, shadowClick, shadowQueryAll, shadowWaitFor } from '../support/shadow-dom.ts';

/**
 * "Waiting for your approval" on the alarm's row, in real Chromium: Gridside runs as Priya (approver) on
 * the demo console's Alarms tab; Alex (analyst) asks the real orchestrator to disable the account of one
 * alarm. Without a reload, the amber "Approve" mark appears beside THAT alarm's row (the worker's
 * heartbeat finds the run and tells the open console); a real click opens the approval window with the
 * row's run first; Priya approves there and the mark leaves the row. Nothing in the console page decided.
 */

const ACTION = 'gridside-demo-disable-account/disable-account-user-impacted';

let stack: Stack;
let page: Page;

beforeAll(async () => {
  stack = await startStack({
    logs: 500,
    alarms: 200,
    token: (tokens) => demoPerson('approver', tokens).token,
  });
  page = await stack.openConsole('/analyzer.html#logs', '#logs-grid .ag-row[row-index]');
  await page.waitForFunction(() => 'gridApi' in window, undefined, { timeout: 60_000 });
}, 300_000);

afterAll(async () => {
  await stack?.stop();
});

async function api<T>(method: 'GET' | 'POST', path: string, token: string, body?: unknown): Promise<T> {
  const response = await fetch(`${stack.orchestrator.url}/api/v1${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, ...(body ? { 'content-type': 'application/json' } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${await response.text()}`);
  return (await response.json()) as T;
}

/** `GRIDSIDE_SCREENSHOTS=docs npx vitest run -c vitest.e2e.config.ts test/e2e/approval-marks.e2e.ts`
 * refreshes the README's pictures of the mark and the window; without it nothing is written. */
async function screenshot(target: Page, file: string, height?: number): Promise<void> {
  const dir = process.env.GRIDSIDE_SCREENSHOTS;
  if (!dir) return;
  const out = path.join(dir, file);
  if (height) await target.screenshot({ path: out, clip: { x: 0, y: 0, width: 1400, height } });
  else await target.locator('main').screenshot({ path: out });
}

const cellOf = (index: number, column: string) =>
  page.locator(`#alarms-grid .ag-row[row-index="${index}"] [col-id="${column}"]`).first();

/** Alex asks for the alarm's account to be disabled, as the panel would send it. */
async function requestDisable(alarmId: string, account: string): Promise<Run> {
  const alex = demoPerson('analyst', stack.orchestrator.tokens);
  const { actions } = await api<{ actions: unknown[] }>('GET', '/actions', alex.token);
  const action = actions.map((a) => ActionSchema.parse(a)).find((a) => a.id === ACTION);
  const target = action?.params.find(
    (p) => p.default && 'field' in p.default && p.default.field === 'Account',
  );
  if (!action || !target) throw new Error(`${ACTION} has no parameter bound to Account`);
  const run = await api<unknown>('POST', '/runs', alex.token, {
    actionId: ACTION,
    params: { [target.id]: account },
    context: {
      console: stack.console.url,
      kind: 'alarm',
      key: { value: alarmId, source: 'column', confidence: 'high' },
      alarmId,
      fields: { Account: account },
      labels: { 'Alarm ID': alarmId, 'User (Impacted)': account },
    },
  });
  return RunSchema.parse(run);
}

describe("waiting for approval, on the alarm's row", () => {
  it('marks the alarm a run waits on, opens the approval window from the mark, and clears it after the decision', {
    timeout: 240_000,
  }, async () => {
    await page.locator('#tab-alarms').click();
    await page.waitForSelector('#alarms-grid .ag-row[row-index="0"] [col-id="AlarmId"]', { timeout: 60_000 });
    // An alarm near the top with an impacted user. The Account column is off screen (column
    // virtualization): its value comes from the grid's own data.
    const { index, alarmId, account } = await page.evaluate(() => {
      // biome-ignore lint/suspicious/noExplicitAny: the demo console exposes its ag-Grid API for tests
      const grid = (window as any).gridApi.alarms;
      for (let i = 2; i < 12; i++) {
        const data = grid.getDisplayedRowAtIndex(i)?.data;
        if (data?.Account) return { index: i, alarmId: String(data.AlarmId), account: String(data.Account) };
      }
      throw new Error('no alarm with a User (Impacted) among the first rows');
    });
    expect(((await cellOf(index, 'AlarmId').textContent()) ?? '').trim()).toBe(alarmId);
    expect(alarmId).toMatch(/^\d+$/);
    expect(account).not.toBe('');
    expect(await shadowQueryAll(page, '.approval-mark[data-shown]')).toHaveLength(0);

    const run = await requestDisable(alarmId, account);
    expect(run.status).toBe('pending_approval');

    // The open console learns of it by itself (heartbeat ≈ 30 s), no reload, no popup.
    await shadowWaitFor(page, '.approval-mark[data-shown]', { text: 'Approve', timeoutMs: 90_000 });
    expect(await shadowQueryAll(page, '.approval-mark[data-shown]')).toHaveLength(1);
    const mark = await shadowBox(page, '.approval-mark[data-shown]');
    const row = await page.locator(`#alarms-grid .ag-row[row-index="${index}"]`).first().boundingBox();
    const middle = ((mark?.top ?? 0) + (mark?.bottom ?? 0)) / 2;
    expect(middle).toBeGreaterThan(row?.y ?? 0);
    expect(middle).toBeLessThan((row?.y ?? 0) + (row?.height ?? 0));
    await screenshot(page, 'approval-mark.png', Math.round((row?.y ?? 0) + (row?.height ?? 0) + 120));

    // A real click on the mark: the worker opens the approval window (an extension page).
    const opened = stack.browser.context.waitForEvent('page', { timeout: 20_000 });
    await shadowClick(page, '.approval-mark[data-shown]');
    const window = await opened;
    await window.waitForLoadState();
    expect(window.url()).toContain(
      `chrome-extension://${stack.browser.extensionId}/src/popup/index.html?runs=`,
    );
    const card = window.locator('li.run.focused');
    await card.waitFor({ timeout: 20_000 });
    await expect.poll(() => card.textContent()).toContain('From the row you clicked');
    const text = (await card.textContent()) ?? '';
    expect(text).toContain('Disable Account : User (Impacted)');
    expect(text).toContain(`Requested by ${demoPerson('analyst', stack.orchestrator.tokens).name}`);
    expect(text).toContain(account);
    expect(text).toContain(alarmId);
    // The keyboard starts in that card, in its comment box, not on the window's body.
    await expect
      .poll(() =>
        card.evaluate((li) => li.contains(document.activeElement) && document.activeElement?.tagName),
      )
      .toBe('TEXTAREA');

    await card.locator('textarea').fill('Confirmed with the account owner’s manager.');
    await screenshot(window, 'approval-window.png');
    await card.getByRole('button', { name: 'Approve' }).click();
    await window.locator('[role="status"]', { hasText: 'Approved' }).waitFor({ timeout: 20_000 });

    // The orchestrator has Priya's approval; the mark leaves the row without a reload.
    const decided = RunSchema.parse(
      await api<unknown>('GET', `/runs/${run.id}`, demoPerson('analyst', stack.orchestrator.tokens).token),
    );
    expect(decided.approvals[0]).toMatchObject({
      status: 'approved',
      by: demoPerson('approver', stack.orchestrator.tokens).name,
      comment: 'Confirmed with the account owner’s manager.',
    });
    await expect
      .poll(async () => (await shadowQueryAll(page, '.approval-mark')).length, { timeout: 20_000 })
      .toBe(0);
  });
});
