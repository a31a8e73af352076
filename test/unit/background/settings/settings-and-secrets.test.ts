import { createPluginAdminHandler } from '../../../../src/background/orchestrators/plugin-admin.ts';
import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import { createOptionsHandler } from '../../../../src/background/channels/options-handlers.ts';
import { openGridsideDb } from '../../../../src/background/db.ts';
import { createCatalog } from '../../../../src/background/orchestrators/catalog.ts';
import { createOrchestrators } from '../../../../src/background/orchestrators/orchestrators.ts';
import { applyDemoSeed, DEMO_CONFIG_FILE } from '../../../../src/background/settings/demo-seed.ts';
import { createSecretStore } from '../../../../src/background/settings/secret-store.ts';
import { createSettingsStore, SETTINGS_KEY } from '../../../../src/background/settings/settings-store.ts';
import type { SettingsView } from '../../../../src/core/options-messages.ts';
import { createFakeBrowser } from '../../../support/fake-browser.ts';

let n = 0;
function setup() {
  const browser = createFakeBrowser();
  const db = openGridsideDb(`gridside-settings-test-${++n}`);
  const secrets = createSecretStore(db);
  const settings = createSettingsStore(browser.storage.local, browser.storage.managed);
  const orchestrators = createOrchestrators({ settings: () => settings.load(), secrets, fetch });
  const catalog = createCatalog({
    defaultEntry: orchestrators.defaultEntry,
    connector: orchestrators.connector,
  });
  const options = createOptionsHandler({
    settings,
    secrets,
    orchestrators,
    catalog,
    syncConsoles: async () => ({ registered: [], missingPermission: [] }),
    plugins: createPluginAdminHandler({ orchestrators }),
  });
  return { browser, db, secrets, settings, options };
}

const entry = {
  id: 'main',
  kind: 'gridside',
  name: 'Main',
  url: 'https://orchestrator.example.com/',
  enabled: true,
  options: {},
} as const;
const TOKEN = 'super-secret-token-value';

describe('settings and secrets', () => {
  it('keeps tokens out of storage.local and out of every answer to a page', async () => {
    const { browser, options, secrets } = setup();
    await options({
      type: 'settings.save',
      settings: { orchestrators: [entry], consoles: [], fieldOverrides: {}, gridSelectors: [] },
    });
    const view = (await options({
      type: 'secret.set',
      orchestratorId: 'main',
      secret: TOKEN,
    })) as SettingsView;

    expect(await secrets.get('main', 'https://orchestrator.example.com')).toBe(TOKEN);
    expect(view.secretSet).toEqual({ main: true });
    expect(JSON.stringify(view)).not.toContain(TOKEN);
    expect(JSON.stringify(await options({ type: 'settings.get' }))).not.toContain(TOKEN);
    expect(browser.storage.local.dump()).not.toContain(TOKEN);
    expect(browser.storage.session.dump()).not.toContain(TOKEN);
  });

  it('forgets the token of a removed orchestrator', async () => {
    const { options, secrets } = setup();
    await options({
      type: 'settings.save',
      settings: { orchestrators: [entry], consoles: [], fieldOverrides: {}, gridSelectors: [] },
    });
    await options({ type: 'secret.set', orchestratorId: 'main', secret: TOKEN });
    await options({
      type: 'settings.save',
      settings: { orchestrators: [], consoles: [], fieldOverrides: {}, gridSelectors: [] },
    });
    expect(await secrets.get('main', 'https://orchestrator.example.com')).toBeUndefined();
  });

  it('withholds the token once the entry points at another origin, until it is entered again', async () => {
    const { browser, options, secrets } = setup();
    const settingsOf = (url: string) => ({
      orchestrators: [{ ...entry, url }],
      consoles: [],
      fieldOverrides: {},
      gridSelectors: [],
    });
    await options({ type: 'settings.save', settings: settingsOf(entry.url) });
    await options({ type: 'secret.set', orchestratorId: 'main', secret: TOKEN });
    // storage.local is writable by content scripts: repoint the entry there, behind the options page.
    const stored = (await browser.storage.local.get(SETTINGS_KEY))[SETTINGS_KEY] as {
      orchestrators: object[];
    };
    stored.orchestrators = [{ ...entry, url: 'https://attacker.example/' }];
    await browser.storage.local.set({ [SETTINGS_KEY]: stored });
    expect(await secrets.get('main', 'https://attacker.example')).toBeUndefined();
    const view = (await options({ type: 'settings.get' })) as SettingsView;
    expect(view.secretSet).toEqual({ main: false });
    // Entered again for the new origin, it is bound to that one.
    await options({ type: 'secret.set', orchestratorId: 'main', secret: TOKEN });
    expect(await secrets.get('main', 'https://attacker.example')).toBe(TOKEN);
    expect(await secrets.get('main', 'https://orchestrator.example.com')).toBeUndefined();
  });

  it('refuses a token for an orchestrator that is not saved', async () => {
    const { options } = setup();
    await expect(
      options({ type: 'secret.set', orchestratorId: 'ghost', secret: TOKEN }),
    ).rejects.toMatchObject({
      code: 'bad_request',
    });
  });

  it('normalises console origins and survives a corrupt stored object', async () => {
    const { browser, settings } = setup();
    const saved = await settings.save({
      orchestrators: [],
      consoles: ['https://SIEM.example.com/analyzer', 'https://siem.example.com', 'javascript:alert(1)'],
      fieldOverrides: {},
      gridSelectors: [],
    });
    expect(saved.consoles).toEqual(['https://siem.example.com']);
    await browser.storage.local.set({ [SETTINGS_KEY]: { orchestrators: 'nope' } });
    expect((await settings.load()).orchestrators).toEqual([]);
  });

  it('starts a fresh profile from the managed policy', async () => {
    const { browser, settings } = setup();
    await browser.storage.managed.set({
      orchestratorUrl: 'https://gridside.corp.example/',
      consoles: ['https://lr.corp.example/'],
    });
    const defaults = await settings.load();
    expect(defaults.orchestrators[0]?.url).toBe('https://gridside.corp.example/');
    expect(defaults.defaultOrchestratorId).toBe(defaults.orchestrators[0]?.id);
    expect(defaults.consoles).toEqual(['https://lr.corp.example']);

    // The analyst's own additions are kept beside the organisation's (managed-settings.test.ts).
    await settings.save({ ...defaults, consoles: [...defaults.consoles, 'https://other.example'] });
    expect((await settings.load()).consoles).toEqual(['https://lr.corp.example', 'https://other.example']);
  });

  it('will not save a plain-http Gridside orchestrator that is not on this machine', async () => {
    const { options, settings } = setup();
    const save = (url: string) =>
      options({
        type: 'settings.save',
        settings: { orchestrators: [{ ...entry, url }], consoles: [], fieldOverrides: {}, gridSelectors: [] },
      });
    await expect(save('http://orchestrator.example.com/')).rejects.toThrow(/plain http.*https:\/\//s);
    expect((await settings.load()).orchestrators).toEqual([]);
    await save('http://localhost:8787/');
    await save('http://127.0.0.1:8787/');
    expect((await settings.load()).orchestrators.map((e) => e.url)).toEqual(['http://127.0.0.1:8787/']);
  });
});

describe('demo seed', () => {
  const demoConfig = {
    orchestrator: { url: 'http://127.0.0.1:8787/', token: 'demo-analyst-token' },
    consoles: ['http://127.0.0.1:5180/'],
  };
  const readFile = async (name: string) => (name === DEMO_CONFIG_FILE ? demoConfig : undefined);

  it('is ignored by production builds', async () => {
    const { settings, secrets } = setup();
    expect(await applyDemoSeed({ mode: 'production', readFile, settings, secrets })).toBe('skipped');
    expect(await settings.hasStored()).toBe(false);
    expect(await secrets.get('demo', 'http://127.0.0.1:8787')).toBeUndefined();
  });

  it('points a fresh demo profile at the demo orchestrator and console', async () => {
    const { settings, secrets, browser } = setup();
    expect(await applyDemoSeed({ mode: 'demo', readFile, settings, secrets })).toBe('seeded');
    const seeded = await settings.load();
    expect(seeded.orchestrators).toMatchObject([
      { id: 'demo', kind: 'gridside', url: 'http://127.0.0.1:8787/' },
    ]);
    expect(seeded.defaultOrchestratorId).toBe('demo');
    expect(seeded.consoles).toEqual(['http://127.0.0.1:5180']);
    expect(await secrets.get('demo', 'http://127.0.0.1:8787')).toBe('demo-analyst-token');
    expect(browser.storage.local.dump()).not.toContain('demo-analyst-token');
  });

  it('never overwrites settings the analyst saved', async () => {
    const { settings, secrets } = setup();
    await settings.save({
      orchestrators: [],
      consoles: ['https://mine.example'],
      fieldOverrides: {},
      gridSelectors: [],
    });
    expect(await applyDemoSeed({ mode: 'demo', readFile, settings, secrets })).toBe('skipped');
    expect((await settings.load()).consoles).toEqual(['https://mine.example']);
  });

  it('skips a missing or malformed file', async () => {
    const { settings, secrets } = setup();
    expect(await applyDemoSeed({ mode: 'demo', readFile: async () => undefined, settings, secrets })).toBe(
      'skipped',
    );
    const warn = console.warn;
    console.warn = () => {};
    expect(
      await applyDemoSeed({ mode: 'demo', readFile: async () => ({ orchestrator: {} }), settings, secrets }),
    ).toBe('skipped');
    console.warn = warn;
    expect(await settings.hasStored()).toBe(false);
  });
});
