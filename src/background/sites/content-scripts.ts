import type { ConsolesSyncResult } from '../../core/options-messages.ts';
import { originPattern, type PermissionsLike, partitionByPermission } from './permissions.ts';

/**
 * The content script is registered per console origin the analyst enabled AND granted, never declared in
 * the manifest for all sites. Registrations are re-synced at start-up, on permission changes and on
 * settings changes; a newly registered origin's already-open tabs get the script injected once.
 */
export const SCRIPT_ID_PREFIX = 'gridside-console:';

export interface ScriptingLike {
  getRegisteredContentScripts(filter?: { ids?: string[] }): Promise<{ id: string }[]>;
  registerContentScripts(scripts: chrome.scripting.RegisteredContentScript[]): Promise<void>;
  unregisterContentScripts(filter?: { ids?: string[] }): Promise<void>;
  executeScript(injection: {
    target: { tabId: number; frameIds?: number[]; allFrames?: boolean };
    files: string[];
  }): Promise<unknown>;
}

export interface TabsQueryLike {
  query(query: { url?: string | string[] }): Promise<{ id?: number }[]>;
}

export function createContentScriptRegistry(deps: {
  scripting: ScriptingLike;
  permissions: PermissionsLike;
  tabs: TabsQueryLike;
  /** The built content script file (`virtual:gridside-content-script`, scripts/support/content-script-bundle.ts). */
  scriptFile: string;
  consoles: () => Promise<string[]>;
}) {
  let running: Promise<ConsolesSyncResult> = Promise.resolve({ registered: [], missingPermission: [] });

  async function syncOnce(reregister: boolean): Promise<ConsolesSyncResult> {
    const { granted, missing } = await partitionByPermission(deps.permissions, await deps.consoles());
    const wanted = new Map(granted.map((origin) => [SCRIPT_ID_PREFIX + origin, origin]));
    let current = (await deps.scripting.getRegisteredContentScripts())
      .map((s) => s.id)
      .filter((id) => id.startsWith(SCRIPT_ID_PREFIX));
    const stale = reregister ? current : current.filter((id) => !wanted.has(id));
    if (stale.length > 0) await deps.scripting.unregisterContentScripts({ ids: stale });
    if (reregister) current = [];
    const fresh = [...wanted].filter(([id]) => !current.includes(id));
    if (fresh.length > 0) {
      await deps.scripting.registerContentScripts(
        fresh.map(([id, origin]) => ({
          id,
          matches: [originPattern(origin)],
          js: [deps.scriptFile],
          // A console that draws its grid in a frame of its own origin (a tab, a report pane) gets the
          // script there too; frames of other origins are not matched.
          allFrames: true,
          runAt: 'document_idle',
          persistAcrossSessions: true,
        })),
      );
      // After an install or update the old script in open tabs is orphaned: inject the new one.
      for (const [, origin] of fresh) await injectIntoOpenTabs(origin);
    }
    return { registered: granted, missingPermission: missing };
  }

  async function injectIntoOpenTabs(origin: string): Promise<void> {
    const tabs = await deps.tabs.query({ url: originPattern(origin) });
    for (const tab of tabs) {
      if (tab.id === undefined) continue;
      // A tab can close or navigate away meanwhile; the registration covers its next load anyway. Its
      // frames go second: one the extension may not enter refuses the whole call, not the page's.
      for (const target of [{ tabId: tab.id }, { tabId: tab.id, allFrames: true }]) {
        await deps.scripting.executeScript({ target, files: [deps.scriptFile] }).catch(() => {});
      }
    }
  }

  return {
    /**
     * Serialised: permission and settings events arrive in bursts, and two syncs must not race.
     * `reregister` (after install or update) replaces every registration: the built file name changes.
     */
    sync(options: { reregister?: boolean } = {}): Promise<ConsolesSyncResult> {
      running = running.catch(() => undefined).then(() => syncOnce(options.reregister ?? false));
      return running;
    },
  };
}
