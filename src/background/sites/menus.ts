import type { TabRef } from '../jobs/job-record.ts';
import { originPattern } from './permissions.ts';

/**
 * "Run SmartResponse on this row" in the page's context menu, only on enabled consoles. The content script
 * records the row under the last right-click; a click here tells that frame to open the panel for it.
 */
export const RUN_ON_ROW_MENU_ID = 'gridside-run-on-row';
export const RUN_ON_FOCUSED_ROW_COMMAND = 'run-on-focused-row';

export interface ContextMenusLike {
  create(properties: {
    id: string;
    title: string;
    contexts: ('page' | 'selection' | 'link')[];
    documentUrlPatterns: string[];
  }): unknown;
  removeAll(): Promise<void>;
}

/**
 * Where the panel is asked for: the frame that was right-clicked, or every frame of the tab for the
 * keyboard command (the browser does not say which frame has the focus; the one holding it answers).
 */
export type PanelTarget = TabRef | { tabId: number; everyFrame: true };

export interface MenuClick {
  menuItemId: string | number;
  frameId?: number;
}

export function createMenus(deps: {
  contextMenus: ContextMenusLike;
  consoles: () => Promise<string[]>;
  openPanel: (target: PanelTarget, source: 'context-menu' | 'command') => Promise<void>;
}) {
  let running: Promise<void> = Promise.resolve();

  async function rebuildOnce(): Promise<void> {
    await deps.contextMenus.removeAll();
    const consoles = await deps.consoles();
    // An empty documentUrlPatterns would not mean "nowhere" everywhere: leave the item out instead.
    if (consoles.length === 0) return;
    deps.contextMenus.create({
      id: RUN_ON_ROW_MENU_ID,
      title: 'Run SmartResponse on this row',
      contexts: ['page', 'selection', 'link'],
      documentUrlPatterns: consoles.map(originPattern),
    });
  }

  return {
    /** Re-creates the item for the current consoles (on install and whenever settings change). */
    rebuild(): Promise<void> {
      running = running.catch(() => undefined).then(rebuildOnce);
      return running;
    },
    async onMenuClick(info: MenuClick, tab: { id?: number } | undefined): Promise<void> {
      if (info.menuItemId !== RUN_ON_ROW_MENU_ID || tab?.id === undefined || tab.id < 0) return;
      await deps.openPanel({ tabId: tab.id, frameId: info.frameId ?? 0 }, 'context-menu');
    },
    async onCommand(command: string, activeTab: { id?: number } | undefined): Promise<void> {
      if (command !== RUN_ON_FOCUSED_ROW_COMMAND || activeTab?.id === undefined) return;
      // A grid in a frame has its own content script, which opens the panel when the focus is in it.
      await deps.openPanel({ tabId: activeTab.id, everyFrame: true }, 'command');
    },
  };
}
