import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import { createOptionsHandler } from '../../../../src/background/channels/options-handlers.ts';
import { openGridsideDb } from '../../../../src/background/db.ts';
import { createCatalog } from '../../../../src/background/orchestrators/catalog.ts';
import { createOrchestrators } from '../../../../src/background/orchestrators/orchestrators.ts';
import { createPluginAdminHandler } from '../../../../src/background/orchestrators/plugin-admin.ts';
import { createSecretStore } from '../../../../src/background/settings/secret-store.ts';
import {
  createSettingsStore,
  MANAGED_ORCHESTRATOR_ID,
  SETTINGS_KEY,
} from '../../../../src/background/settings/settings-store.ts';
import { createSiteAccess } from '../../../../src/background/sites/site-access.ts';
import type { SettingsView } from '../../../../src/core/options-messages.ts';
import type { Settings } from '../../../../src/core/settings.ts';
import { createFakeBrowser } from '../../../support/fake-browser.ts';

/**
 * Chromium reads a managed policy only from the operating system's policy files, so the browser's own
 * end-to-end run cannot set one; the fake browser's `storage.managed` stands in for the policy here.
 */
const POLICY = {
  orchestratorUrl: 'https://gridside.corp.example/',
  consoles: ['https://lr.corp.example/'],
};

let n = 0;
async function setup(policy: Record<string, unknown> = POLICY) {
  const browser = createFakeBrowser();
  await browser.storage.managed.set(policy);
  const secrets = createSecretStore(openGridsideDb(`gridside-managed-test-${++n}`));
  const settings = createSettingsStore(browser.storage.local, browser.storage.managed);
  const orchestrators = createOrchestrators({ settings: () => settings.load(), secrets, fetch });
  const options = createOptionsHandler({
    settings,
    secrets,
    orchestrators,
    catalog: createCatalog({ defaultEntry: orchestrators.defaultEntry, connector: orchestrators.connector }),
    syncConsoles: async () => ({ registered: [], missingPermission: [] }),
    plugins: createPluginAdminHandler({ orchestrators }),
  });
  const site = createSiteAccess({
    settings,
    permissions: browser.permissions,
    syncConsoles: async () => undefined,
  });
  return { browser, settings, options, site };
}

const own = {
  id: 'mine',
  kind: 'gridside' as const,
  name: 'My lab',
  url: 'https://lab.example.com/',
  enabled: true,
  options: {},
};

const withManagedUrl = (s: Settings, url: string): Settings => ({
  ...s,
  orchestrators: s.orchestrators.map((e) => (e.id === MANAGED_ORCHESTRATOR_ID ? { ...e, url } : e)),
});

describe('managed settings win', () => {
  it('refuses a save that changes the managed orchestrator URL, and keeps the managed one', async () => {
    const { settings } = await setup();
    const current = await settings.load();
    await expect(settings.save(withManagedUrl(current, 'https://evil.example/'))).rejects.toMatchObject({
      name: 'UserError',
      code: 'forbidden',
      message: expect.stringMatching(/set by your organisation/),
    });
    const after = await settings.load();
    expect(after.orchestrators.find((e) => e.id === MANAGED_ORCHESTRATOR_ID)?.url).toBe(
      POLICY.orchestratorUrl,
    );
  });

  it('refuses removing or disabling the managed orchestrator', async () => {
    const { settings } = await setup();
    const current = await settings.load();
    await expect(settings.save({ ...current, orchestrators: [own] })).rejects.toMatchObject({
      code: 'forbidden',
    });
    const disabled = current.orchestrators.map((e) => ({ ...e, enabled: false }));
    await expect(settings.save({ ...current, orchestrators: disabled })).rejects.toMatchObject({
      code: 'forbidden',
    });
    expect((await settings.load()).orchestrators.map((e) => [e.id, e.enabled])).toEqual([
      [MANAGED_ORCHESTRATOR_ID, true],
    ]);
  });

  it('refuses removing a managed console; the analyst may still add and remove their own', async () => {
    const { settings } = await setup();
    const current = await settings.load();
    await expect(settings.save({ ...current, consoles: [] })).rejects.toMatchObject({
      code: 'forbidden',
      message: expect.stringContaining('https://lr.corp.example'),
    });
    await settings.save({ ...current, consoles: [...current.consoles, 'https://mine.example'] });
    expect((await settings.load()).consoles).toEqual(['https://lr.corp.example', 'https://mine.example']);
    await settings.save({ ...current, consoles: ['https://lr.corp.example'] });
    expect((await settings.load()).consoles).toEqual(['https://lr.corp.example']);
  });

  it('wins over whatever storage.local holds (a content script can write there)', async () => {
    const { browser, settings } = await setup();
    await browser.storage.local.set({
      [SETTINGS_KEY]: {
        orchestrators: [{ ...own, id: MANAGED_ORCHESTRATOR_ID, url: 'https://evil.example/' }],
        defaultOrchestratorId: 'gone',
        consoles: ['https://mine.example'],
      },
    });
    const loaded = await settings.load();
    expect(loaded.orchestrators).toHaveLength(1);
    expect(loaded.orchestrators[0]).toMatchObject({
      id: MANAGED_ORCHESTRATOR_ID,
      url: POLICY.orchestratorUrl,
    });
    expect(loaded.defaultOrchestratorId).toBe(MANAGED_ORCHESTRATOR_ID);
    expect(loaded.consoles).toEqual(['https://lr.corp.example', 'https://mine.example']);
  });

  it('leaves the analyst their own orchestrators and their choice of default', async () => {
    const { settings } = await setup();
    const current = await settings.load();
    await settings.save({
      ...current,
      orchestrators: [...current.orchestrators, own],
      defaultOrchestratorId: 'mine',
    });
    const loaded = await settings.load();
    expect(loaded.orchestrators.map((e) => e.id)).toEqual([MANAGED_ORCHESTRATOR_ID, 'mine']);
    expect(loaded.defaultOrchestratorId).toBe('mine');
  });

  it('locks nothing without a policy, or with a malformed one', async () => {
    for (const policy of [{}, { orchestratorUrl: 'not a url', consoles: 'nope' }]) {
      const { settings } = await setup(policy);
      await settings.save({ orchestrators: [own], consoles: [], fieldOverrides: {}, gridSelectors: [] });
      expect((await settings.load()).orchestrators.map((e) => e.id)).toEqual(['mine']);
      expect(await settings.managed()).toEqual({ consoles: [] });
    }
  });

  it('tells the options page which values are managed, and refuses its save with a clear error', async () => {
    const { options } = await setup();
    const view = (await options({ type: 'settings.get' })) as SettingsView;
    expect(view.managed).toEqual({
      orchestratorIds: [MANAGED_ORCHESTRATOR_ID],
      consoles: ['https://lr.corp.example'],
    });
    await expect(
      options({ type: 'settings.save', settings: withManagedUrl(view.settings, 'https://evil.example/') }),
    ).rejects.toMatchObject({ code: 'forbidden', hint: expect.stringMatching(/administrator/) });
  });

  it('marks a managed console in the popup and refuses turning it off', async () => {
    const { site, settings } = await setup();
    expect(await site.get('https://lr.corp.example/alarms')).toMatchObject({ enabled: true, managed: true });
    expect(await site.get('https://mine.example/')).toMatchObject({ managed: false });
    await expect(site.disable('https://lr.corp.example')).rejects.toMatchObject({ code: 'forbidden' });
    expect((await settings.load()).consoles).toContain('https://lr.corp.example');
  });
});
