import { vi } from 'vitest';
import { createRouter, type SenderInfo } from '../../../../src/background/channels/router.ts';

/** A router over spy handlers, and the senders the browser would report, for the channel tests. */

export const EXT_ID = 'abcdefghijklmnop';
export const EXT_ORIGIN = `chrome-extension://${EXT_ID}`;
export const CONSOLE = 'https://siem.example.com';

export function setup() {
  const content = vi.fn(async () => 'content-handled');
  const options = vi.fn(async () => 'options-handled');
  const popup = vi.fn(async () => 'popup-handled');
  const history = vi.fn(async () => 'history-handled');
  const route = createRouter({
    extensionId: EXT_ID,
    extensionOrigin: EXT_ORIGIN,
    isEnabledConsole: async (origin) => origin === CONSOLE,
    content,
    options,
    popup,
    history,
  });
  return { route, content, options, popup, history };
}

/** A content script in the top frame of a tab showing the enabled console. */
export const fromConsole: SenderInfo = {
  id: EXT_ID,
  url: `${CONSOLE}/analyzer#logs`,
  frameId: 0,
  tab: { id: 7, url: `${CONSOLE}/analyzer` },
};
