import type { Settings } from '../../core/settings.ts';
import type { SettingsStore } from './settings-store.ts';

/**
 * The settings as last read, kept in the worker between requests. Reading them means two storage calls
 * (the organisation's policy and the analyst's settings) and up to three schema parses, and every request
 * to an orchestrator used to read them twice (its entry, then the origins the worker may fetch from); on
 * the path from the analyst's click to the run that is a few milliseconds for an answer that rarely
 * changes. What is kept is forgotten on every save through this store and on every storage change
 * (`forget`, called from `storage.onChanged`), so a policy pushed by the organisation or a change made
 * elsewhere applies to the very next read. A failed read is not kept.
 */
export interface RememberedSettings extends SettingsStore {
  forget(): void;
}

export function rememberSettings(store: SettingsStore): RememberedSettings {
  let kept: Promise<Settings> | undefined;
  const forget = () => {
    kept = undefined;
  };
  return {
    load() {
      if (kept) return kept;
      const reading = store.load();
      kept = reading;
      reading.catch(() => {
        if (kept === reading) kept = undefined;
      });
      return reading;
    },
    async save(settings) {
      forget();
      try {
        return await store.save(settings);
      } finally {
        forget();
      }
    },
    hasStored: () => store.hasStored(),
    managed: () => store.managed(),
    forget,
  };
}
