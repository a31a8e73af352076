import { describe, expect, it } from 'vitest';
import { rememberSettings } from '../../../../src/background/settings/remembered-settings.ts';
import { createSettingsStore, SETTINGS_KEY } from '../../../../src/background/settings/settings-store.ts';
import type { StorageAreaLike } from '../../../../src/background/settings/storage-area.ts';
import { DEFAULT_SETTINGS } from '../../../../src/core/settings.ts';

/** A storage area that counts reads, so the test sees which loads reached storage. */
function countingArea(initial: Record<string, unknown> = {}) {
  const items: Record<string, unknown> = { ...initial };
  const area = {
    reads: 0,
    failNext: false,
    async get(): Promise<Record<string, unknown>> {
      area.reads += 1;
      if (area.failNext) {
        area.failNext = false;
        throw new Error('storage unavailable');
      }
      return structuredClone(items);
    },
    async set(next: Record<string, unknown>): Promise<void> {
      Object.assign(items, structuredClone(next));
    },
    items,
  } satisfies StorageAreaLike & Record<string, unknown>;
  return area;
}

const withConsole = (origin: string) => ({ ...DEFAULT_SETTINGS, consoles: [origin] });

describe('settings kept between requests', () => {
  it('reads storage once for many loads', async () => {
    const local = countingArea({ [SETTINGS_KEY]: withConsole('https://siem.example.com') });
    const settings = rememberSettings(createSettingsStore(local));
    const all = await Promise.all([settings.load(), settings.load(), settings.load()]);
    await settings.load();
    expect(local.reads).toBe(1);
    expect(all.map((s) => s.consoles)).toEqual([
      ['https://siem.example.com'],
      ['https://siem.example.com'],
      ['https://siem.example.com'],
    ]);
  });

  it('reads again after a save and after a change made elsewhere', async () => {
    const local = countingArea({ [SETTINGS_KEY]: withConsole('https://a.example.com') });
    const settings = rememberSettings(createSettingsStore(local));
    await settings.load();
    await settings.save(withConsole('https://b.example.com'));
    expect((await settings.load()).consoles).toEqual(['https://b.example.com']);

    // Written behind the store's back (another context), then announced by storage.onChanged.
    local.items[SETTINGS_KEY] = withConsole('https://c.example.com');
    expect((await settings.load()).consoles).toEqual(['https://b.example.com']);
    settings.forget();
    expect((await settings.load()).consoles).toEqual(['https://c.example.com']);
  });

  it('does not keep a failed read', async () => {
    const local = countingArea({ [SETTINGS_KEY]: withConsole('https://a.example.com') });
    const settings = rememberSettings(createSettingsStore(local));
    local.failNext = true;
    await expect(settings.load()).rejects.toThrow('storage unavailable');
    expect((await settings.load()).consoles).toEqual(['https://a.example.com']);
  });

  it('a change during a read is not hidden by that read', async () => {
    const local = countingArea({ [SETTINGS_KEY]: withConsole('https://a.example.com') });
    const settings = rememberSettings(createSettingsStore(local));
    const during = settings.load();
    local.items[SETTINGS_KEY] = withConsole('https://b.example.com');
    settings.forget();
    await during;
    expect((await settings.load()).consoles).toEqual(['https://b.example.com']);
  });
});
