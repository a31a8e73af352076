import { AutoEnrichConsoleSchema, type AutoEnrichStatus } from '../../core/auto-enrich.ts';
import { normaliseOrigin, type SettingsStore } from '../settings/settings-store.ts';
import { UserError } from '../user-error.ts';
import type { AutoEnrichService } from './auto-enrich.ts';

/**
 * The popup's "Auto-enrich rows on this site" switch. Saved with the settings; the open tabs need no
 * reload, because the worker reads the switch on every proposal of rows (auto-enrich.ts), so a switched-
 * off console starts nothing from its next scroll on.
 */
export interface AutoEnrichSwitch {
  get(origin: string): Promise<AutoEnrichStatus>;
  set(origin: string, enabled: boolean): Promise<AutoEnrichStatus>;
}

export function createAutoEnrichSwitch(deps: {
  settings: Pick<SettingsStore, 'load' | 'save'>;
  service: Pick<AutoEnrichService, 'status'>;
}): AutoEnrichSwitch {
  const consoleOf = (origin: string) => {
    const clean = normaliseOrigin(origin);
    if (!clean) throw new UserError('bad_request', 'Gridside works on web pages (http and https) only.');
    return clean;
  };
  return {
    get: (origin) => deps.service.status(consoleOf(origin)),
    async set(origin, enabled) {
      const clean = consoleOf(origin);
      const settings = await deps.settings.load();
      const current = settings.autoEnrich?.[clean] ?? AutoEnrichConsoleSchema.parse({});
      if (enabled && current.rules.length === 0) {
        throw new UserError(
          'bad_request',
          'This site has no auto-enrichment rule yet.',
          'Add one under Options → Auto-enrichment.',
        );
      }
      await deps.settings.save({
        ...settings,
        autoEnrich: { ...settings.autoEnrich, [clean]: { ...current, enabled } },
      });
      return deps.service.status(clean);
    },
  };
}
