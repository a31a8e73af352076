import { describe, expect, it, vi } from 'vitest';
import { createContentHandler } from '../../../../src/background/channels/content-handlers.ts';
import { createRouter } from '../../../../src/background/channels/router.ts';
import type { JobEngine } from '../../../../src/background/jobs/job-engine.ts';
import type { CatalogService } from '../../../../src/background/orchestrators/catalog.ts';
import type { Orchestrators } from '../../../../src/background/orchestrators/orchestrators.ts';
import { applyTaught } from '../../../../src/background/sites/taught-grid.ts';
import { createTeachOpener } from '../../../../src/background/sites/teach-open.ts';
import { type Settings, SettingsSchema } from '../../../../src/core/settings.ts';

const CONSOLE = 'https://siem.example';
const OTHER = 'https://other.example';

function settingsWith(): Settings {
  return SettingsSchema.parse({
    consoles: [CONSOLE, OTHER],
    fieldOverrides: { [CONSOLE]: { 'Src Addr': 'SIP' }, [OTHER]: { Secret: 'Login' } },
    gridSelectors: [
      { origin: CONSOLE, root: '.old', row: '.r', cell: '.c', columnKey: { attribute: 'data-col' } },
      { origin: OTHER, root: '.other', row: '.r', cell: '.c', columnKey: { attribute: 'data-col' } },
    ],
  });
}

const grid = { root: '.results', row: '.result-row', cell: '.result-cell', header: '.head-cell' };

describe('applying what the analyst taught', () => {
  it('adds a grid config and field choices for that origin only', () => {
    const next = applyTaught(settingsWith(), CONSOLE, {
      type: 'site.teach',
      grid,
      fields: { Src: 'SIP', 'Dst Host': 'DHostName', Notes: '' },
    });
    expect(next.fieldOverrides[CONSOLE]).toEqual({
      'Src Addr': 'SIP',
      Src: 'SIP',
      'Dst Host': 'DHostName',
      Notes: '',
    });
    expect(next.fieldOverrides[OTHER]).toEqual({ Secret: 'Login' });
    expect(next.gridSelectors).toHaveLength(3);
    expect(next.gridSelectors[0]).toEqual({
      origin: CONSOLE,
      root: '.results',
      row: '.result-row',
      cell: '.result-cell',
      columnKey: { headerCell: '.head-cell' },
      header: '.head-cell',
      kind: 'log',
    });
    expect(SettingsSchema.safeParse(next).success).toBe(true);
  });

  it('replaces the config it corrects and forgets a choice set to null', () => {
    const next = applyTaught(settingsWith(), CONSOLE, {
      type: 'site.teach',
      grid: { ...grid, replaces: '.old' },
      fields: { 'Src Addr': null },
    });
    expect(next.gridSelectors.map((g) => g.root)).toEqual(['.results', '.other']);
    expect(next.fieldOverrides[CONSOLE]).toBeUndefined();
  });

  it('keeps a bounded number of configs per console', () => {
    let settings = settingsWith();
    for (let i = 0; i < 30; i += 1)
      settings = applyTaught(settings, CONSOLE, {
        type: 'site.teach',
        grid: { ...grid, root: `.g${i}` },
        fields: {},
      });
    expect(settings.gridSelectors.filter((g) => g.origin === CONSOLE)).toHaveLength(10);
    expect(settings.gridSelectors.some((g) => g.origin === OTHER)).toBe(true);
  });
});

describe('the site.teach request', () => {
  function stack() {
    let stored = settingsWith();
    const saveSettings = vi.fn(async (next: Settings) => {
      stored = SettingsSchema.parse(next);
      return stored;
    });
    const content = createContentHandler({
      jobs: {} as JobEngine,
      catalog: {} as CatalogService,
      orchestrators: {} as Orchestrators,
      settings: async () => stored,
      saveSettings,
    });
    const router = createRouter({
      extensionId: 'ext',
      extensionOrigin: 'chrome-extension://ext',
      isEnabledConsole: async (origin) => stored.consoles.includes(origin),
      content,
      options: async () => ({}),
      popup: async () => ({}),
      history: async () => ({}),
    });
    const fromTab = (origin: string) => ({ id: 'ext', url: `${origin}/grid.html`, tab: { id: 3 } });
    return { router, fromTab, saveSettings, stored: () => stored };
  }

  it('saves for the sending page’s origin, whatever the request says', async () => {
    const { router, fromTab, stored } = stack();
    const reply = await router(
      { type: 'site.teach', grid: { ...grid }, fields: { Src: 'SIP' }, origin: OTHER },
      fromTab(CONSOLE),
    );
    expect(reply).toMatchObject({ ok: true, data: { fieldOverrides: { Src: 'SIP' } } });
    expect(stored().fieldOverrides[OTHER]).toEqual({ Secret: 'Login' });
    expect(
      stored()
        .gridSelectors.filter((g) => g.origin === OTHER)
        .map((g) => g.root),
    ).toEqual(['.other']);
  });

  it('refuses unknown fields, oversized selectors and pages of consoles that are not enabled', async () => {
    const { router, fromTab, saveSettings } = stack();
    const bad = [
      { type: 'site.teach', fields: { Src: 'rm -rf' } },
      { type: 'site.teach', grid: { ...grid, row: 'x'.repeat(600) }, fields: {} },
      { type: 'site.teach', grid: { ...grid, root: '' }, fields: {} },
    ];
    for (const message of bad) {
      expect(await router(message, fromTab(CONSOLE))).toMatchObject({
        ok: false,
        error: { code: 'bad_request' },
      });
    }
    expect(await router({ type: 'site.teach', fields: {} }, fromTab('https://evil.example'))).toMatchObject({
      ok: false,
      error: { code: 'not_enabled' },
    });
    expect(saveSettings).not.toHaveBeenCalled();
  });
});

describe('opening teach mode from the popup', () => {
  it('pushes teach.open only to a tab showing an enabled console', async () => {
    const send = vi.fn(async () => undefined);
    const open = createTeachOpener({
      tabUrl: async (id) => (id === 1 ? `${CONSOLE}/x` : 'https://elsewhere.example/'),
      consoles: async () => [CONSOLE],
      send,
    });
    await expect(open(1)).resolves.toEqual({ opened: true });
    expect(send).toHaveBeenCalledWith(1, { type: 'teach.open' });
    await expect(open(2)).rejects.toMatchObject({ code: 'bad_request' });
    expect(send).toHaveBeenCalledTimes(1);
  });

  it('says to reload when the page has no Gridside yet', async () => {
    const open = createTeachOpener({
      tabUrl: async () => `${CONSOLE}/x`,
      consoles: async () => [CONSOLE],
      send: async () => {
        throw new Error('Could not establish connection');
      },
    });
    await expect(open(1)).rejects.toMatchObject({ code: 'unreachable' });
  });
});
