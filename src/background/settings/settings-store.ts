import { z } from 'zod';
import { DEFAULT_SETTINGS, type Settings, SettingsSchema } from '../../core/settings.ts';

/**
 * Settings live in `storage.local` under one key and are parsed with `SettingsSchema` (defaults filled) on
 * every read, so an older or hand-edited object never breaks the worker. They hold no secrets: a content
 * script can read `storage.local` (see secret-store.ts).
 *
 * Enterprise defaults come from `storage.managed` (public/managed_schema.json, uBlock's pattern): used
 * until the analyst saves settings of their own.
 */
export const SETTINGS_KEY = 'settings';
export const MANAGED_ORCHESTRATOR_ID = 'managed';

export interface StorageAreaLike {
  get(keys?: string | string[] | null): Promise<Record<string, unknown>>;
  set(items: Record<string, unknown>): Promise<void>;
}

export interface SettingsStore {
  load(): Promise<Settings>;
  save(settings: Settings): Promise<Settings>;
  /** Whether the analyst (or a demo seed) ever saved settings. */
  hasStored(): Promise<boolean>;
}

const ManagedSchema = z.object({
  orchestratorUrl: z.url().optional().catch(undefined),
  consoles: z.array(z.string()).optional().catch(undefined),
});

export async function readManagedDefaults(managed: StorageAreaLike | undefined): Promise<Settings> {
  let raw: unknown = {};
  try {
    // Throws on browsers or profiles without managed storage; no policy simply means no defaults.
    raw = managed ? await managed.get(null) : {};
  } catch {
    return DEFAULT_SETTINGS;
  }
  const parsed = ManagedSchema.safeParse(raw);
  if (!parsed.success) return DEFAULT_SETTINGS;
  const { orchestratorUrl, consoles } = parsed.data;
  return SettingsSchema.parse({
    orchestrators: orchestratorUrl
      ? [
          {
            id: MANAGED_ORCHESTRATOR_ID,
            kind: 'gridside',
            name: 'Organisation orchestrator',
            url: orchestratorUrl,
          },
        ]
      : [],
    defaultOrchestratorId: orchestratorUrl ? MANAGED_ORCHESTRATOR_ID : undefined,
    consoles: (consoles ?? []).flatMap((c) => normaliseOrigin(c) ?? []),
  });
}

/** `https://Siem.Example.com/path` → `https://siem.example.com`; `undefined` for anything not http(s). */
export function normaliseOrigin(value: string): string | undefined {
  try {
    const url = new URL(value.trim());
    if (url.protocol !== 'https:' && url.protocol !== 'http:') return undefined;
    return url.origin;
  } catch {
    return undefined;
  }
}

export function createSettingsStore(local: StorageAreaLike, managed?: StorageAreaLike): SettingsStore {
  return {
    async load() {
      const stored = (await local.get(SETTINGS_KEY))[SETTINGS_KEY];
      if (stored === undefined) return readManagedDefaults(managed);
      const parsed = SettingsSchema.safeParse(stored);
      // A corrupt object is not silently replaced on disk: the analyst's next save overwrites it.
      return parsed.success ? parsed.data : readManagedDefaults(managed);
    },
    async save(settings) {
      const clean = SettingsSchema.parse({
        ...settings,
        consoles: [...new Set(settings.consoles.flatMap((c) => normaliseOrigin(c) ?? []))],
      });
      await local.set({ [SETTINGS_KEY]: clean });
      return clean;
    },
    async hasStored() {
      return (await local.get(SETTINGS_KEY))[SETTINGS_KEY] !== undefined;
    },
  };
}
