import type { SiteAccess } from '../../core/popup-messages.ts';
import { normaliseOrigin, type SettingsStore } from '../settings/settings-store.ts';
import { UserError } from '../user-error.ts';
import { hasOriginPermission, type PermissionsLike } from './permissions.ts';

/**
 * "Enable Gridside on this site" from the toolbar popup: the same change the options page makes (the
 * origin joins the analyst's consoles, then the content script is registered for it). The host
 * permission itself is requested by the popup, on the click: only a page with a user gesture may ask.
 */
export interface SiteAccessService {
  get(origin: string): Promise<SiteAccess>;
  enable(origin: string): Promise<SiteAccess>;
  disable(origin: string): Promise<SiteAccess>;
}

export function createSiteAccess(deps: {
  settings: SettingsStore;
  permissions: PermissionsLike;
  /** Re-registers content scripts for the enabled and granted consoles (content-scripts.ts). */
  syncConsoles(): Promise<unknown>;
}): SiteAccessService {
  async function status(origin: string): Promise<SiteAccess> {
    const clean = normaliseOrigin(origin);
    if (!clean) return { origin, enabled: false, granted: false, supported: false, managed: false };
    const { consoles } = await deps.settings.load();
    return {
      origin: clean,
      enabled: consoles.includes(clean),
      granted: await hasOriginPermission(deps.permissions, clean),
      supported: true,
      managed: (await deps.settings.managed()).consoles.includes(clean),
    };
  }

  function supported(origin: string): string {
    const clean = normaliseOrigin(origin);
    if (!clean) {
      throw new UserError(
        'bad_request',
        'Gridside works on web pages (http and https) only.',
        'Open the SIEM console in this tab first.',
      );
    }
    return clean;
  }

  return {
    get: status,
    async enable(origin) {
      const clean = supported(origin);
      const settings = await deps.settings.load();
      if (!settings.consoles.includes(clean)) {
        await deps.settings.save({ ...settings, consoles: [...settings.consoles, clean] });
      }
      await deps.syncConsoles();
      return status(clean);
    },
    async disable(origin) {
      const clean = supported(origin);
      const settings = await deps.settings.load();
      if (settings.consoles.includes(clean)) {
        await deps.settings.save({ ...settings, consoles: settings.consoles.filter((c) => c !== clean) });
      }
      await deps.syncConsoles();
      return status(clean);
    },
  };
}
