import { UserError } from '../user-error.ts';
import type { ContentScriptBuild } from './content-script-build.ts';

export interface ChunkScriptingLike {
  executeScript(injection: {
    target: { tabId: number; frameIds: number[] };
    files: string[];
  }): Promise<unknown>;
}

/**
 * Loads a lazily loaded part of the content script (the panel, teach mode, the row marks' view...) into
 * the frame that asked, with `scripting.executeScript` into the content script's isolated world. This is
 * what lets Gridside ship no web-accessible files: a page can fetch those of any installed extension and
 * so learn that it is installed, but never a file the worker injects. Only chunks of the build are
 * injected; the page's frame never names a file of its own.
 */
export function createChunkInjector(deps: { scripting: ChunkScriptingLike; build: ContentScriptBuild }) {
  return async (file: string, tab: { tabId: number; frameId: number }): Promise<{ file: string }> => {
    const files = Object.hasOwn(deps.build.chunks, file) ? deps.build.chunks[file] : undefined;
    if (!files) throw new UserError('not_found', `Gridside has no part named ${file}.`);
    if (files.length > 0) {
      await deps.scripting.executeScript({ target: { tabId: tab.tabId, frameIds: [tab.frameId] }, files });
    }
    return { file };
  };
}
