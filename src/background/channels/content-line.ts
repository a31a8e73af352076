import { CONTENT_LINE, type LineAnswer, type LinePush } from '../../core/content-channel.ts';
import type { TabRef } from '../jobs/job-record.ts';
import type { Router, SenderInfo } from './router.ts';

/**
 * The content scripts' kept ports (content/worker-line.ts). Each request arrives as `{ id, request }` and
 * is answered `{ id, reply }` on the same port, by the same router and with the same checks as a
 * `runtime.sendMessage`: who sent it is the port's sender, which the browser sets, never the message.
 * A message without a request id has nowhere to be answered and is dropped.
 *
 * While a frame's port is open, pushes to that frame go on it too (`{ push }`, channels/push.ts): one
 * message, where `tabs.sendMessage` opens a channel for each.
 */

export interface LinePort {
  name: string;
  sender?: SenderInfo;
  postMessage(message: unknown): void;
  onMessage: { addListener(listener: (message: unknown) => void): void };
  onDisconnect: { addListener(listener: () => void): void };
}

export interface ContentLines {
  /** Answers the requests on a content script's port, and keeps the port for pushes to its frame. */
  accept(port: LinePort, router: Router): void;
  /** Posts a push on the frame's open port; false when it has none, and the caller sends it by message. */
  post(tab: TabRef, message: unknown): boolean;
}

export function createContentLines(): ContentLines {
  const open = new Map<string, LinePort>();
  const keyOf = (tab: TabRef) => `${tab.tabId}/${tab.frameId}`;

  return {
    accept(port, router) {
      if (port.name !== CONTENT_LINE) return;
      const tabId = port.sender?.tab?.id;
      const key = tabId === undefined ? undefined : keyOf({ tabId, frameId: port.sender?.frameId ?? 0 });
      if (key) open.set(key, port);
      port.onDisconnect.addListener(() => {
        if (key && open.get(key) === port) open.delete(key);
      });
      port.onMessage.addListener((message) => {
        const id = (message as { id?: unknown } | null)?.id;
        if (typeof id !== 'number' || !Number.isSafeInteger(id)) return;
        const request = (message as { request?: unknown }).request;
        void router(request, port.sender ?? {}).then((reply) => {
          try {
            port.postMessage({ id, reply } satisfies LineAnswer);
          } catch {
            // The page went away or the tab navigated: nobody is waiting for the answer.
          }
        });
      });
    },
    post(tab, message) {
      const key = keyOf(tab);
      const port = open.get(key);
      if (!port) return false;
      try {
        port.postMessage({ push: message } satisfies LinePush);
        return true;
      } catch {
        open.delete(key);
        return false;
      }
    },
  };
}
