import { normaliseOrigin } from '../settings/settings-store.ts';
import { UserError } from '../user-error.ts';

/**
 * The toolbar popup's "Teach Gridside this grid": tells the content script in the active tab to start teach
 * mode. Only for a tab whose page is an enabled console (the content script runs nowhere else), and only
 * from the popup (the privileged channel): a console page cannot start it for itself.
 */
export function createTeachOpener(deps: {
  tabUrl(tabId: number): Promise<string | undefined>;
  consoles(): Promise<string[]>;
  send(tabId: number, message: { type: 'teach.open' }): Promise<unknown>;
}): (tabId: number) => Promise<{ opened: true }> {
  return async (tabId) => {
    const origin = normaliseOrigin((await deps.tabUrl(tabId).catch(() => undefined)) ?? '');
    if (!origin || !(await deps.consoles()).includes(origin)) {
      throw new UserError(
        'bad_request',
        'Gridside is not on for the page in this tab.',
        'Enable Gridside on this site first.',
      );
    }
    try {
      await deps.send(tabId, { type: 'teach.open' });
    } catch {
      throw new UserError(
        'unreachable',
        'Gridside is not running in this tab yet.',
        'Reload the page, then try again.',
      );
    }
    return { opened: true };
  };
}
