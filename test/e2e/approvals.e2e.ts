import { existsSync, readFileSync } from 'node:fs';
import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AnalystBrowser, analystToken, type Stack, startStack } from '../support/e2e-stack.ts';
import { shadowQueryAll } from '../support/shadow-dom.ts';
import {
  approvalLines,
  closePanel,
  openPanelFromRow,
  type PanelSummary,
  panelText,
  shadowWaitFor,
  startConfirmedRun,
  waitForPanelState,
} from './analyst.ts';

/**
 * Two-level approval across three people, in real Chromium: the analyst starts "Disable Account and Revoke
 * Sessions" from a log row; Priya approves level 1 from her toolbar popup, Sam level 2 from his; the
 * analyst's panel follows each decision by itself and finally shows the plugin's output. A second run is
 * denied with a comment that must reach the analyst as text. Each approver has their own browser, launched
 * one after the other (the requester's stays open throughout).
 */

const ACTION = 'Disable Account and Revoke Sessions : User (Origin)';
const LOG_ROWS = '#logs-grid .ag-row[row-index]';
/** Markup, quotes and an ampersand: the panel must show them as typed. */
const DENIAL = `Not this one: <b>"payroll"</b> runs tonight & it's 'quarter end' <img src=x onerror=alert(1)>`;

interface Candidate {
  index: number;
  logId: string;
  login: string;
  /** The directory login the plugin resolves the row's value to (user, DOMAIN\user, user@domain). */
  account: string;
}

let stack: Stack;
let page: Page;
let approver: AnalystBrowser | undefined;
let rows: Candidate[] = [];
/** Query strings of the requester's worker's long-polls on a run (`GET /api/v1/runs/:id?wait=…`). */
const longPolls: URLSearchParams[] = [];

beforeAll(async () => {
  stack = await startStack({ logs: 2_000, alarms: 50 });
  // Playwright reports the service worker's requests on the context.
  stack.browser.context.on('request', (request) => {
    const url = new URL(request.url());
    if (url.pathname.startsWith('/api/v1/runs/') && url.searchParams.has('wait'))
      longPolls.push(url.searchParams);
  });
  page = await stack.openConsole('/analyzer.html#logs', LOG_ROWS);
  await page.waitForFunction(() => 'gridApi' in window);
  rows = await rowsWithDirectoryAccounts();
});

afterAll(async () => {
  await approver?.close();
  await stack?.stop();
});

/** Log rows whose User (Origin) is an enabled account of the demo directory: the plugin can disable it. */
async function rowsWithDirectoryAccounts(): Promise<Candidate[]> {
  const users = JSON.parse(readFileSync('demo/plugins/disable-account/users.json', 'utf8')) as {
    login: string;
    enabled: boolean;
  }[];
  const enabled = new Set(users.filter((u) => u.enabled).map((u) => u.login));
  const seen: { index: number; logId: string; login: string }[] = await page.evaluate(() => {
    // biome-ignore lint/suspicious/noExplicitAny: the demo console exposes its ag-Grid API for tests
    const api = (window as any).gridApi.logs;
    const found: { index: number; logId: string; login: string }[] = [];
    for (let i = 0; i < 300; i++) {
      const data = api.getDisplayedRowAtIndex(i)?.data;
      if (data?.Login) found.push({ index: i, logId: String(data.LogId), login: String(data.Login) });
    }
    return found;
  });
  const accounts = new Set<string>();
  const picked: Candidate[] = [];
  for (const row of seen) {
    // As the plugin reads it (demo/plugins/disable-account/disable-account.mjs).
    const match = /^(?:[A-Za-z0-9-]{1,15}\\)?([A-Za-z0-9._$-]{1,64})(?:@[A-Za-z0-9.-]{1,253})?$/.exec(
      row.login,
    );
    const account = match?.[1]?.toLowerCase();
    if (!account || !enabled.has(account) || accounts.has(account)) continue;
    accounts.add(account);
    picked.push({ ...row, account });
  }
  return picked;
}

async function loginCell(row: Candidate): Promise<Locator> {
  await page.evaluate((index) => {
    // biome-ignore lint/suspicious/noExplicitAny: the demo console exposes its ag-Grid API for tests
    const api = (window as any).gridApi.logs;
    api.ensureIndexVisible(index, 'middle');
    api.ensureColumnVisible('Login');
  }, row.index);
  const cell = page.locator(`#logs-grid .ag-row[row-index="${row.index}"] [col-id="Login"]`).first();
  await cell.waitFor();
  expect((await cell.textContent())?.trim()).toBe(row.login);
  return cell;
}

/**
 * The card of the run started on `row` in the approver's popup. The popup lists what the worker's last
 * round of asking found; a heartbeat round already under way when the popup opened can predate the run,
 * so press Refresh, as the approver would, until it shows.
 */
async function cardFor(popup: Page, row: Candidate): Promise<Locator> {
  const card = popup.locator('li.run').filter({ hasText: row.login });
  for (let attempt = 0; attempt < 6; attempt++) {
    if (await card.isVisible()) return card;
    const shown = await card.waitFor({ timeout: 4_000 }).then(
      () => true,
      () => false,
    );
    if (shown) return card;
    await popup.getByRole('button', { name: 'Refresh' }).click();
  }
  throw new Error(`the popup never listed the run: ${await popup.locator('main').textContent()}`);
}

/** Writes the comment and presses Approve or Deny; waits for the popup to say the decision was recorded. */
async function decide(popup: Page, card: Locator, decision: 'Approve' | 'Deny', comment: string) {
  await card.getByLabel('Comment (kept in the audit log)').fill(comment);
  await card.getByRole('button', { name: decision, exact: true }).click();
  await popup
    .getByRole('status')
    .filter({ hasText: decision === 'Approve' ? /^Approved "/ : /^Denied "/ })
    .waitFor({ timeout: 20_000 });
}

/** What the demo directory recorded as changed (the disable-account plugin's side effect). */
function directory(): { accounts: Record<string, { disabled: boolean; sessions_revoked: boolean }> } {
  if (!existsSync(stack.directoryState)) return { accounts: {} };
  return JSON.parse(readFileSync(stack.directoryState, 'utf8'));
}

async function waitForLine(text: string | RegExp, timeoutMs = 45_000): Promise<void> {
  await shadowWaitFor(page, 'ul.approvals li', { text, timeoutMs });
}

describe('a run that needs two approvals', () => {
  let row: Candidate;

  it('waits for approval in the requester’s panel, both levels pending', async () => {
    expect(rows.length).toBeGreaterThanOrEqual(2);
    row = rows[0] as Candidate;
    await openPanelFromRow(page, await loginCell(row));
    const state = await startConfirmedRun(page, ACTION, row.login);
    expect(state.error).toBeNull();
    expect(state.status).toBe('pending_approval');
    await shadowWaitFor(page, 'p.status', { text: 'Waiting for approval' });
    expect(await approvalLines(page)).toEqual(['Level 1: pending', 'Level 2: pending']);
    expect(directory().accounts[row.account]).toBeUndefined();
  });

  it('level 1: Priya sees the run in her popup, approves with a comment, and the panel follows', async () => {
    approver = await stack.launchAnalyst('approver');
    const popup = await approver.openPopup();
    const card = await cardFor(popup, row);
    const text = (await card.textContent()) ?? '';
    expect(text).toContain(ACTION);
    expect(text).toContain('Requested by Alex Analyst');
    expect(text).toContain(row.logId);
    await expect(card.locator('dd code').allInnerTexts()).resolves.toContain(row.login);
    expect(await card.locator('ol.levels li').allInnerTexts()).toEqual([
      'Level 1: waiting for an approver',
      'Level 2: waiting for an approver',
    ]);
    // The popup refreshed the count on opening: one run waits for her.
    expect(await approver.badgeText()).toBe('1');

    await decide(popup, card, 'Approve', 'Confirmed with the service desk, ticket 4711');
    expect(await approver.badgeText()).toBe('');
    // Decided by her: it no longer waits for her, though it waits for level 2.
    await popup.getByText('Nothing waits for you').waitFor();

    // The requester did nothing: the worker's long-poll brings the decision into the open panel.
    await waitForLine(/^Level 1: approved by Priya Approver .*Confirmed with the service desk, ticket 4711/);
    const lines = await approvalLines(page);
    expect(lines[1]).toBe('Level 2: pending');
    const state = await waitForPanelState<PanelSummary>(page, (s) => s.open);
    expect(state.status).toBe('pending_approval');
    // One level of two is not enough: the account is untouched.
    expect(directory().accounts[row.account]).toBeUndefined();
    await approver.close();
    approver = undefined;
  });

  // A long-poll without `seen` is answered only when the run ends or the wait (15 s) runs out, so a
  // level's approval would reach the panel up to 15 s late instead of at once (the test above would still
  // pass, its wait is generous). The worker's pause guard once dropped `seen` on its way to the connector.
  it('the worker’s long-poll says what the panel shows, so the orchestrator answers on the next change', () => {
    expect(longPolls.length).toBeGreaterThan(0);
    for (const query of longPolls) expect(query.get('seen')).toMatch(/^[a-z_]+\|1:/);
  });

  it('level 2: Sam approves from his popup, the run runs and its output appears in the panel', async () => {
    approver = await stack.launchAnalyst('approver2');
    const popup = await approver.openPopup();
    const card = await cardFor(popup, row);
    // He sees Priya's decision beside his own pending level.
    const levels = await card.locator('ol.levels li').allInnerTexts();
    expect(levels[0]).toMatch(/^Level 1: approved by Priya Approver/);
    expect(levels[1]).toBe('Level 2: waiting for an approver');
    expect(await approver.badgeText()).toBe('1');

    await decide(popup, card, 'Approve', 'Second pair of eyes: go');
    expect(await approver.badgeText()).toBe('');

    const done = await waitForPanelState<PanelSummary>(
      page,
      (s) => (s.status === 'succeeded' && s.stdout !== null) || s.status === 'failed' || s.error !== null,
      60_000,
    );
    expect(done.status, await panelText(page)).toBe('succeeded');
    await shadowWaitFor(page, 'p.status', { text: 'Succeeded' });
    const lines = await approvalLines(page);
    expect(lines[0]).toMatch(/^Level 1: approved by Priya Approver/);
    expect(lines[1]).toMatch(/^Level 2: approved by Sam Second-Approver .*Second pair of eyes: go/);
    // The plugin's own report: this row's account, disabled with its sessions revoked.
    const report = JSON.parse(done.stdout ?? '{}') as {
      full?: { account: string; action: string; changed: boolean; state_file: string };
    };
    expect(report.full).toMatchObject({
      account: row.account,
      action: 'disable-and-revoke-sessions',
      changed: true,
    });
    expect(done.verdicts).toEqual(['info', 'info']);
    expect(await panelText(page)).toContain('revoked');
    // The state file's path came from the orchestrator's environment: the analyst never sees it.
    expect(done.stdout).not.toContain(stack.directoryState);
    // And the side effect happened (the demo directory keeps it in a state file).
    expect(directory().accounts[row.account]).toMatchObject({ disabled: true, sessions_revoked: true });
    await closePanel(page);
  });

  it('a denied run shows the approver’s comment, as text, and never runs', async () => {
    const second = rows[1] as Candidate;
    await openPanelFromRow(page, await loginCell(second));
    const state = await startConfirmedRun(page, ACTION, second.login);
    expect(state.status).toBe('pending_approval');
    expect(await approvalLines(page)).toEqual(['Level 1: pending', 'Level 2: pending']);

    // Sam's browser is still open; the popup opens afresh, as it does on each toolbar click.
    if (!approver) throw new Error('the second approver’s browser closed early');
    const popup = await approver.openPopup();
    const card = await cardFor(popup, second);
    expect(await approver.badgeText()).toBe('1');
    await decide(popup, card, 'Deny', DENIAL);
    expect(await approver.badgeText()).toBe('');

    const denied = await waitForPanelState<PanelSummary>(page, (s) => s.status === 'denied', 30_000);
    expect(denied.stdout).toBeNull();
    await shadowWaitFor(page, 'p.status', { text: 'Denied' });
    await waitForLine('Level 1: denied by Sam Second-Approver');
    const [line] = await approvalLines(page);
    expect(line).toContain(`“${DENIAL}”`);
    // Markup in the comment stayed characters: no element was made from it.
    expect(await shadowQueryAll(page, 'section.panel b, section.panel img')).toHaveLength(0);
    // The run's reason, shown below the levels, carries the same comment.
    expect(await panelText(page)).toContain(`denied by Sam Second-Approver at level 1: ${DENIAL}`);
    // Nothing ran for this account.
    expect(directory().accounts[second.account]).toBeUndefined();
  });

  it('a value that reads as another is shown to the approver as it is sent', async () => {
    // A right-to-left override in a log value: as plain text, this account reads "domain-admin".
    const account = '\u202Enimda-niamod';
    const orchestrator = stack.orchestrator;
    const started = await fetch(`${orchestrator.url}/api/v1/runs`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${analystToken(orchestrator.tokens)}`,
        'content-type': 'application/json',
      },
      body: JSON.stringify({
        actionId: 'gridside-demo-disable-account/disable-account-user-impacted',
        params: { 'target-account': account },
        context: {
          console: stack.console.url,
          kind: 'log',
          key: { value: 'spoofed-1', source: 'column', confidence: 'high' },
          fields: { Account: account },
          labels: { 'User (Impacted)': account },
          missing: [],
          truncated: [],
        },
      }),
    });
    expect(started.ok).toBe(true);
    if (!approver) throw new Error('the second approver’s browser closed early');
    const popup = await approver.openPopup();
    const card = popup.locator('li.run').filter({ hasText: 'nimda-niamod' });
    for (let i = 0; i < 10 && (await card.count()) === 0; i++) {
      await popup.getByRole('button', { name: 'Refresh' }).click();
      await popup.waitForTimeout(500);
    }
    expect(await card.locator('dd code').allInnerTexts()).toEqual(['⟨U+202E⟩nimda-niamod']);
    expect(await card.locator('dd code bdi').count()).toBe(1);
    await expect(card.getByRole('alert').textContent()).resolves.toContain('do not show on screen (U+202E)');
  });
});
