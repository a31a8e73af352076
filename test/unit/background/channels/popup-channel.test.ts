import { describe, expect, it } from 'vitest';
import type { ApprovalWatch } from '../../../../src/background/approvals/approvals.ts';
import { createPopupHandler } from '../../../../src/background/channels/popup-handlers.ts';
import { createRouter } from '../../../../src/background/channels/router.ts';
import { createSettingsStore } from '../../../../src/background/settings/settings-store.ts';
import { createSiteAccess } from '../../../../src/background/sites/site-access.ts';
import { createFakeBrowser } from '../../../support/fake-browser.ts';
import { sampleRun } from '../fake-orchestrator.ts';

/**
 * The popup's requests travel on the privileged channel: an extension page may approve a run or switch
 * Gridside on for a site; a console page (content script) may not, whatever it sends.
 */
function setUp() {
  const fake = createFakeBrowser({ id: 'channeltest' });
  const decided: string[] = [];
  const approvals: ApprovalWatch = {
    refresh: async () => ({ queues: [], count: 0, checkedAt: 0 }),
    latest: () => undefined,
    async decide(request) {
      decided.push(request.runId);
      return { run: sampleRun({ id: request.runId }), view: { queues: [], count: 0, checkedAt: 0 } };
    },
  };
  const popup = createPopupHandler({
    approvals,
    site: createSiteAccess({
      settings: createSettingsStore(fake.storage.local),
      permissions: fake.permissions,
      syncConsoles: async () => undefined,
    }),
  });
  const router = createRouter({
    extensionId: fake.runtime.id,
    extensionOrigin: `chrome-extension://${fake.runtime.id}`,
    isEnabledConsole: async () => true,
    content: async () => 'content',
    options: async () => 'options',
    popup,
    history: async () => 'history',
  });
  const fromPopup = (message: unknown) =>
    router(message, {
      id: fake.runtime.id,
      url: `chrome-extension://${fake.runtime.id}/src/popup/index.html`,
    });
  const fromConsole = (message: unknown) =>
    router(message, {
      id: fake.runtime.id,
      url: 'https://siem.example.com/alarms',
      tab: { id: 4, url: 'https://siem.example.com/alarms' },
      frameId: 0,
    });
  return { fake, decided, fromPopup, fromConsole };
}

const decide = {
  type: 'approvals.decide',
  orchestratorId: 'main',
  runId: 'r-1',
  decision: 'approve',
  comment: 'ok',
};

describe('popup requests on the privileged channel', () => {
  it('lets the popup decide and switch a site on', async () => {
    const { decided, fromPopup, fake } = setUp();
    expect(await fromPopup(decide)).toMatchObject({ ok: true, data: { run: { id: 'r-1' } } });
    expect(decided).toEqual(['r-1']);
    const enabled = await fromPopup({ type: 'site.enable', origin: 'https://siem.example.com/alarms' });
    expect(enabled).toMatchObject({ ok: true, data: { origin: 'https://siem.example.com', enabled: true } });
    expect(JSON.stringify(await fake.storage.local.get('settings'))).toContain('https://siem.example.com');
  });

  it('refuses a decision or a site switch sent by a console page', async () => {
    const { decided, fromConsole, fake } = setUp();
    expect(await fromConsole(decide)).toMatchObject({ ok: false, error: { code: 'bad_request' } });
    expect(await fromConsole({ type: 'site.enable', origin: 'https://evil.example' })).toMatchObject({
      ok: false,
    });
    expect(await fromConsole({ type: 'teach.open', tabId: 1 })).toMatchObject({
      ok: false,
      error: { code: 'bad_request' },
    });
    expect(decided).toEqual([]);
    expect(await fake.storage.local.get('settings')).toEqual({});
  });

  it('answers a malformed decision without guessing', async () => {
    const { decided, fromPopup } = setUp();
    const reply = await fromPopup({ ...decide, decision: 'maybe' });
    expect(reply).toMatchObject({ ok: false, error: { code: 'bad_request' } });
    expect(decided).toEqual([]);
  });
});
