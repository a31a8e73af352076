import { CONTENT_LINE, type LineAnswer } from '../../core/content-channel.ts';
import type { Router, SenderInfo } from './router.ts';

/**
 * The content script's kept port (content/worker-line.ts). Each request arrives as `{ id, request }` and
 * is answered `{ id, reply }` on the same port, by the same router and with the same checks as a
 * `runtime.sendMessage`: who sent it is the port's sender, which the browser sets, never the message.
 * A message without a request id has nowhere to be answered and is dropped.
 */

export interface LinePort {
  name: string;
  sender?: SenderInfo;
  postMessage(message: unknown): void;
  onMessage: { addListener(listener: (message: unknown) => void): void };
}

export function answerOnLine(port: LinePort, router: Router): void {
  if (port.name !== CONTENT_LINE) return;
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
}
