import type { Settings } from '../../core/settings.ts';
import { SettingsSchema } from '../../core/settings.ts';
import {
  applyManaged,
  type ManagedSettings,
  managedDefaults,
  normaliseOrigin,
  readManaged,
  refuseManagedChanges,
} from './managed-settings.ts';
import type { StorageAreaLike } from './storage-area.ts';

/**
 * Settings live in `storage.local` under one key and are parsed with `SettingsSchema` (defaults filled) on
 * every read, so an older or hand-edited object never breaks the worker. They hold no secrets: a content
 * script can read `storage.local` (see secret-store.ts).
 *
 * What the organisation sets in `storage.managed` wins: it is merged over the stored settings on every
 * load, and a save that would change it is refused (managed-settings.ts).
 */
export const SETTINGS_KEY = 'settings';
export { MANAGED_ORCHESTRATOR_ID } from './managed-settings.ts';
export type { StorageAreaLike };
export { normaliseOrigin };

export interface SettingsStore {
  load(): Promise<Settings>;
  /** Throws a `forbidden` UserError when `settings` would change a value the organisation set. */
  save(settings: Settings): Promise<Settings>;
  /** Whether the analyst (or a demo seed) ever saved settings. */
  hasStored(): Promise<boolean>;
  /** The organisation's values, for showing them read-only. */
  managed(): Promise<ManagedSettings>;
}

export function createSettingsStore(local: StorageAreaLike, managed?: StorageAreaLike): SettingsStore {
  return {
    async load() {
      const policy = await readManaged(managed);
      const stored = (await local.get(SETTINGS_KEY))[SETTINGS_KEY];
      if (stored === undefined) return managedDefaults(policy);
      const parsed = SettingsSchema.safeParse(stored);
      // A corrupt object is not silently replaced on disk: the analyst's next save overwrites it.
      return parsed.success ? applyManaged(parsed.data, policy) : managedDefaults(policy);
    },
    async save(settings) {
      const clean = SettingsSchema.parse({
        ...settings,
        consoles: [...new Set(settings.consoles.flatMap((c) => normaliseOrigin(c) ?? []))],
      });
      const policy = await readManaged(managed);
      refuseManagedChanges(clean, policy);
      await local.set({ [SETTINGS_KEY]: clean });
      return applyManaged(clean, policy);
    },
    async hasStored() {
      return (await local.get(SETTINGS_KEY))[SETTINGS_KEY] !== undefined;
    },
    managed: () => readManaged(managed),
  };
}
