// @vitest-environment jsdom
import { render } from 'preact';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { ApprovalWatch } from '../../../src/background/approvals/approvals.ts';
import { createPopupHandler } from '../../../src/background/channels/popup-handlers.ts';
import { ConnectorError } from '../../../src/background/connectors/connector.ts';
import { createSettingsStore } from '../../../src/background/settings/settings-store.ts';
import { createSiteAccess } from '../../../src/background/sites/site-access.ts';
import { createTeachOpener } from '../../../src/background/sites/teach-open.ts';
import type { Run } from '../../../src/core/api.ts';
import { runsFromQuery, runsQuery } from '../../../src/core/approval-marks.ts';
import { type ApprovalsView, PopupRequestSchema } from '../../../src/core/popup-messages.ts';
import { createFakeBrowser, type FakeBrowser } from '../../support/fake-browser.ts';
import { sampleRun } from '../background/fake-orchestrator.ts';

/**
 * The toolbar popup against the worker's real popup handler and site access (settings over the fake
 * browser's storage); only the orchestrator side of approvals is a stand-in that records decisions.
 */
let fake: FakeBrowser;
vi.mock('webextension-polyfill', () => ({
  default: new Proxy({}, { get: (_t, key) => (fake as unknown as Record<string | symbol, unknown>)[key] }),
}));

const { App } = await import('../../../src/popup/app.tsx');
const state = await import('../../../src/popup/state.ts');

const HOSTILE = '<img src=x onerror="alert(1)">';
const CONSOLE = 'https://siem.example.com';

let root: HTMLElement;
let waiting: Run[];
let decisions: { runId: string; decision: string; comment: string }[];
let syncs: number;

function view(): ApprovalsView {
  return {
    queues: [
      {
        orchestratorId: 'main',
        orchestratorName: 'Main orchestrator',
        user: 'bob',
        approver: true,
        runs: waiting,
        error: null,
      },
    ],
    count: waiting.length,
    checkedAt: 0,
  };
}

const approvals: ApprovalWatch = {
  async refresh() {
    return view();
  },
  latest: () => undefined,
  async decide(request) {
    decisions.push(request);
    if (request.runId === 'r-own') {
      throw new ConnectorError(
        'forbidden',
        'You cannot approve this run: nobody approves their own run; ask another approver.',
        'Another approver has to decide on it.',
      );
    }
    const run = waiting.find((r) => r.id === request.runId);
    if (!run) throw new Error('unknown run');
    waiting = waiting.filter((r) => r !== run);
    return { run: { ...run, status: 'queued' }, view: view() };
  },
};

function wireBackground(tabUrl: string): void {
  fake = createFakeBrowser({ id: 'popuptest' });
  fake.openTabs.push({ id: 1, url: tabUrl });
  const store = createSettingsStore(fake.storage.local, fake.storage.managed);
  const handler = createPopupHandler({
    approvals,
    teach: createTeachOpener({
      tabUrl: async (id) => fake.openTabs.find((t) => t.id === id)?.url,
      consoles: async () => (await store.load()).consoles,
      send: (tabId, message) => fake.tabs.sendMessage(tabId, message, { frameId: 0 }),
    }),
    site: createSiteAccess({
      settings: store,
      permissions: fake.permissions,
      syncConsoles: async () => {
        syncs++;
      },
    }),
  });
  Object.assign(fake.runtime, {
    // What router.ts does for an extension page: parse once, answer errors as data.
    async sendMessage(message: unknown) {
      const request = PopupRequestSchema.parse(structuredClone(message));
      try {
        return { ok: true, data: structuredClone(await handler(request)) };
      } catch (error) {
        if (error instanceof ConnectorError) return { ok: false, error: error.toPanelError() };
        throw error;
      }
    },
  });
}

async function until<T>(find: () => T | null | undefined, what: string): Promise<T> {
  for (let i = 0; i < 200; i++) {
    const found = find();
    if (found) return found;
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error(`Timed out waiting for ${what}; popup says: ${root.textContent}`);
}

const button = (text: string, within: ParentNode = root) =>
  [...within.querySelectorAll<HTMLButtonElement>('button')].find((b) => b.textContent?.trim() === text);
const card = (actionName: string) =>
  [...root.querySelectorAll<HTMLElement>('li.run')].find(
    (li) => li.querySelector('h3')?.textContent === actionName,
  );

async function openPopup(tabUrl = `${CONSOLE}/alarms?id=4711`): Promise<void> {
  wireBackground(tabUrl);
  root = document.createElement('div');
  document.body.append(root);
  render(<App />, root);
  await Promise.all([state.loadSite(), state.loadApprovals()]);
}

beforeEach(() => {
  syncs = 0;
  decisions = [];
  waiting = [
    sampleRun({
      id: 'r-block',
      actionName: 'Block IP at firewall',
      status: 'pending_approval',
      requestedBy: 'alice',
      params: { ip: '10.1.2.3', reason: HOSTILE },
      alarmId: '4711',
      approvals: [
        { level: 1, status: 'approved', by: 'erin', at: '2026-11-27T10:05:00Z', comment: HOSTILE },
        { level: 2, status: 'pending', by: null, at: null, comment: null },
      ],
    }),
    sampleRun({
      id: 'r-own',
      actionName: 'Disable account',
      status: 'pending_approval',
      requestedBy: 'bob',
      alarmId: null,
      rowKey: 'row-99',
      approvals: [{ level: 1, status: 'pending', by: null, at: null, comment: null }],
    }),
  ];
  state.approvals.value = null;
  state.approvalsError.value = null;
  state.site.value = null;
  state.siteProblem.value = null;
  state.announcement.value = '';
  state.focusRuns.value = [];
});
afterEach(() => {
  render(null, root);
  root.remove();
});

describe('popup: approvals', () => {
  it('shows what would run, for which alarm, who asked and each level, all as text', async () => {
    await openPopup();
    const block = await until(() => card('Block IP at firewall'), 'the run');
    const text = block.textContent ?? '';
    expect(text).toContain('Requested by alice');
    expect(text).toContain('Alarm 4711');
    expect(text).toContain('ip10.1.2.3');
    expect(text).toContain(`reason${HOSTILE}`);
    expect(text).toContain('Level 1: approved by erin');
    expect(text).toContain('Level 2: waiting for an approver');
    expect(card('Disable account')?.textContent).toContain('Row row-99');
    expect(root.querySelector('img')).toBeNull();
  });

  it("shows a value's hidden characters to the approver, and isolates comments", async () => {
    // A right-to-left override makes the account read "domain-admin" where it is shown as plain text.
    const account = '\u202Enimda-niamod';
    waiting = [
      sampleRun({
        id: 'r-disable',
        actionName: 'Disable Account',
        status: 'pending_approval',
        params: { 'target-account': account },
        approvals: [
          { level: 1, status: 'approved', by: 'erin', at: null, comment: `fine for ${account}` },
          { level: 2, status: 'pending', by: null, at: null, comment: null },
        ],
      }),
    ];
    await openPopup();
    const disable = await until(() => card('Disable Account'), 'the run');
    const value = disable.querySelector('dl.params dd code bdi');
    expect(value?.textContent).toBe('⟨U+202E⟩nimda-niamod');
    expect(disable.querySelector('[role="alert"]')?.textContent).toContain('do not show on screen (U+202E)');
    const comment = disable.querySelector('.levels q > bdi');
    expect(comment?.textContent).toBe('fine for ⟨U+202E⟩nimda-niamod');
    expect(disable.textContent).not.toContain('\u202E');
  });

  it('sends the decision with the typed comment, then drops the run and says what happened', async () => {
    await openPopup();
    const block = await until(() => card('Block IP at firewall'), 'the run');
    const comment = block.querySelector('textarea');
    if (!comment) throw new Error('no comment box');
    comment.value = '  known scanner, block it ';
    comment.dispatchEvent(new Event('input', { bubbles: true }));
    button('Approve', block)?.click();
    await until(() => (card('Block IP at firewall') ? null : true), 'the run to leave the list');
    expect(decisions).toEqual([
      { orchestratorId: 'main', runId: 'r-block', decision: 'approve', comment: 'known scanner, block it' },
    ]);
    expect(root.querySelector('[role="status"]')?.textContent).toBe(
      'Approved "Block IP at firewall". The run is queued.',
    );
  });

  it('shows the refusal beside the run in plain words', async () => {
    await openPopup();
    const own = await until(() => card('Disable account'), 'the own run');
    button('Approve', own)?.click();
    const alert = await until(() => own.querySelector('[role="alert"]'), 'the refusal');
    expect(alert.textContent).toContain('nobody approves their own run');
    expect(alert.textContent).toContain('Another approver has to decide on it.');
  });

  it('says when the token cannot approve', async () => {
    wireBackground(`${CONSOLE}/`);
    state.approvals.value = { ...view(), queues: [{ ...view().queues[0]!, approver: false, runs: [] }] };
    root = document.createElement('div');
    document.body.append(root);
    render(<App />, root);
    expect(root.textContent).toContain('does not have the approver role');
  });
});

describe('popup: opened from a row mark', () => {
  it("lists the row's runs first and marked, with Close instead of the site switch", async () => {
    const address = runsQuery([{ orchestratorId: 'main', runId: 'r-own' }]);
    state.focusRuns.value = runsFromQuery(address);
    await openPopup(`${CONSOLE}/alarms`);
    await until(() => card('Disable account'), 'the runs');
    const cards = [...root.querySelectorAll<HTMLElement>('li.run')];
    expect(cards.map((li) => li.querySelector('h3')?.textContent)).toEqual([
      'Disable account',
      'Block IP at firewall',
    ]);
    expect(cards[0]?.classList.contains('focused')).toBe(true);
    expect(cards[0]?.textContent).toContain('From the row you clicked');
    expect(cards[1]?.textContent).not.toContain('From the row you clicked');
    expect(button('Close')).toBeDefined();
    expect(root.textContent).not.toContain('This site');
  });

  it("puts the keyboard in the first card's comment box, not on the body", async () => {
    state.focusRuns.value = runsFromQuery(runsQuery([{ orchestratorId: 'main', runId: 'r-own' }]));
    await openPopup(`${CONSOLE}/alarms`);
    const own = await until(() => card('Disable account'), 'the runs');
    await until(() => (document.activeElement === own.querySelector('textarea') ? true : null), 'the focus');
    expect(document.activeElement?.closest('li.run')).toBe(root.querySelector('li.run'));
  });

  it('marks nothing when the address names a run that does not wait for this analyst', async () => {
    state.focusRuns.value = [{ orchestratorId: 'main', runId: 'r-not-waiting' }];
    await openPopup();
    await until(() => card('Block IP at firewall'), 'the runs');
    expect(root.querySelectorAll('li.run.focused')).toHaveLength(0);
    expect(root.querySelectorAll('li.run')).toHaveLength(2);
  });
});

describe('popup: options', () => {
  it('opens the options page from the popup, since the toolbar button now opens the popup', async () => {
    await openPopup();
    const opened: string[] = [];
    Object.assign(fake.runtime, { openOptionsPage: async () => void opened.push('options') });
    const close = vi.spyOn(window, 'close').mockImplementation(() => undefined);
    button('Options')?.click();
    await until(() => (close.mock.calls.length > 0 ? true : null), 'the popup to close');
    expect(opened).toEqual(['options']);
    close.mockRestore();
  });
});

describe('popup: this site', () => {
  it("asks for the tab's origin, enables it and offers to turn it off", async () => {
    await openPopup();
    const enable = await until(() => button('Enable Gridside on this site'), 'the enable button');
    enable.click();
    await until(() => (root.textContent?.includes('Gridside is on for') ? true : null), 'on');
    expect(fake.granted.has(`${CONSOLE}/*`)).toBe(true);
    const stored = (await fake.storage.local.get('settings')).settings as { consoles: string[] };
    expect(stored.consoles).toEqual([CONSOLE]);
    expect(syncs).toBe(1);

    button('Turn off')?.click();
    await until(() => button('Enable Gridside on this site'), 'off again');
    expect(fake.granted.has(`${CONSOLE}/*`)).toBe(false);
    const after = (await fake.storage.local.get('settings')).settings as { consoles: string[] };
    expect(after.consoles).toEqual([]);
  });

  it('starts teach mode in the console tab once Gridside is on there', async () => {
    await openPopup();
    expect(button('Teach Gridside this grid')).toBeUndefined();
    (await until(() => button('Enable Gridside on this site'), 'the enable button')).click();
    const teach = await until(() => button('Teach Gridside this grid'), 'the teach button');
    const close = vi.spyOn(globalThis, 'close').mockImplementation(() => undefined);
    teach.click();
    await until(() => (fake.sent.length > 0 ? true : null), 'the push to the tab');
    expect(fake.sent).toEqual([{ tabId: 1, message: { type: 'teach.open' }, options: { frameId: 0 } }]);
    await until(() => (close.mock.calls.length > 0 ? true : null), 'the popup closing');
    close.mockRestore();
  });

  it('stays off when the browser refuses access', async () => {
    await openPopup();
    fake.permissions.request = async () => false;
    (await until(() => button('Enable Gridside on this site'), 'the enable button')).click();
    await until(() => root.querySelector('[role="alert"]'), 'the refusal');
    expect(root.textContent).toContain(`did not grant Gridside access to ${CONSOLE}`);
    expect((await fake.storage.local.get('settings')).settings).toBeUndefined();
  });

  it('shows a console the organisation enabled as set by it, with Turn off disabled', async () => {
    await openPopup();
    await fake.storage.managed.set({ consoles: [`${CONSOLE}/`] });
    fake.granted.add(`${CONSOLE}/*`);
    await state.loadSite();
    const turnOff = await until(() => button('Turn off'), 'the on state');
    expect(turnOff.disabled).toBe(true);
    const label = root.querySelector(`#${turnOff.getAttribute('aria-describedby')}`);
    expect(label?.textContent).toBe('set by your organisation');
  });

  it('offers nothing on a browser page', async () => {
    await openPopup('chrome://extensions/');
    await until(() => (root.textContent?.includes('web pages') ? true : null), 'the explanation');
    expect(button('Enable Gridside on this site')).toBeUndefined();
  });
});
