import {
  CONTENT_LINE,
  isRepeatable,
  type LineAnswer,
  type LinePush,
  type LineRequest,
} from '../core/content-channel.ts';
import { type PortLike, useLine } from './background-channel.ts';

/**
 * A kept port to the background worker, which `ask` (background-channel.ts) sends its requests on once
 * the panel has taken it (`keepWorkerLine`), and which the worker sends this frame's pushes on while it is
 * open. It comes with the panel's code: the panel is where the analyst waits for answers.
 *
 * `runtime.sendMessage` opens a channel to the worker for every message and closes it after the answer;
 * on a kept port a request is one message. From the Run form's submit to the worker's router took 2.6–3.2
 * ms over a port against 3.8–4.9 ms with `sendMessage`, at the median of 16 runs (docs/benchmarks.md).
 *
 * The line is closed after `LINE_IDLE_MS` without a request: a browser stops a worker that had nothing to
 * do for 30 s, and a line closed by the page first never has a request posted to a worker that is
 * already gone. A line that drops with requests unanswered (the worker was stopped or crashed) hands each
 * back to `sendMessage`, which starts a new worker, when asking again is harmless; a request that could
 * do a thing twice (start a run, pin a result) fails instead, as it would have had the worker died while
 * answering it, and the analyst sees that the background could not be reached.
 */

export const LINE_IDLE_MS = 20_000;

export interface ConnectingRuntime {
  connect?(info: { name: string }): PortLike;
  sendMessage(message: unknown): Promise<unknown>;
}

interface Waiting {
  request: { type: string };
  resolve(value: unknown): void;
  reject(error: unknown): void;
}

interface Line {
  port: PortLike;
  waiting: Map<number, Waiting>;
  idle: ReturnType<typeof setTimeout> | undefined;
}

let line: Line | undefined;
let lastId = 0;
/** Hands a push that came on the port to `onPush`'s listeners; set once the line is taken. */
let deliver: ((message: unknown) => void) | undefined;

/** From now on this frame's requests go on the kept line. Taking it again changes nothing. */
export function keepWorkerLine(): void {
  deliver ??= useLine(sendOnLine);
}

/**
 * Sends `request` on the kept line (opening it if needed), or with `sendMessage` where the runtime has no
 * ports. A request unanswered after `timeoutMs` is forgotten (`ask` has answered it with its timeout).
 */
export function sendOnLine(
  rt: ConnectingRuntime,
  request: { type: string },
  timeoutMs: number,
): Promise<unknown> {
  const open = line ?? openLine(rt);
  if (!open) return rt.sendMessage(request);
  const id = ++lastId;
  return new Promise((resolve, reject) => {
    const forget = setTimeout(() => {
      open.waiting.delete(id);
      if (open.waiting.size === 0) idleLater(open);
      resolve(undefined);
    }, timeoutMs);
    open.waiting.set(id, {
      request,
      resolve: (value) => {
        clearTimeout(forget);
        resolve(value);
      },
      reject: (error) => {
        clearTimeout(forget);
        reject(error);
      },
    });
    clearTimeout(open.idle);
    open.idle = undefined;
    try {
      open.port.postMessage({ id, request } satisfies LineRequest);
    } catch {
      // This side of the port is closed already (its disconnect is on its way): nothing was sent.
      clearTimeout(forget);
      open.waiting.delete(id);
      if (line === open) line = undefined;
      resolve(rt.sendMessage(request));
    }
  });
}

function openLine(rt: ConnectingRuntime): Line | undefined {
  if (typeof rt.connect !== 'function') return undefined;
  let port: PortLike;
  try {
    port = rt.connect({ name: CONTENT_LINE });
  } catch {
    return undefined;
  }
  const opened: Line = { port, waiting: new Map(), idle: undefined };
  line = opened;
  port.onMessage.addListener((message) => {
    if (isPush(message)) {
      deliver?.(message.push);
      return;
    }
    if (!isAnswer(message)) return;
    const waiting = opened.waiting.get(message.id);
    if (!waiting) return;
    opened.waiting.delete(message.id);
    waiting.resolve(message.reply);
    if (opened.waiting.size === 0) idleLater(opened);
  });
  port.onDisconnect.addListener(() => {
    if (line === opened) line = undefined;
    clearTimeout(opened.idle);
    const unanswered = [...opened.waiting.values()];
    opened.waiting.clear();
    for (const { request, resolve, reject } of unanswered) {
      if (isRepeatable(request.type)) resolve(rt.sendMessage(request));
      else reject(new Error('The Gridside background stopped before it answered.'));
    }
  });
  return opened;
}

function idleLater(opened: Line): void {
  clearTimeout(opened.idle);
  opened.idle = setTimeout(() => {
    if (opened.waiting.size > 0) return;
    if (line === opened) line = undefined;
    opened.port.disconnect();
  }, LINE_IDLE_MS);
}

function isPush(message: unknown): message is LinePush {
  return typeof message === 'object' && message !== null && 'push' in message && !('id' in message);
}

function isAnswer(message: unknown): message is LineAnswer {
  if (typeof message !== 'object' || message === null) return false;
  return typeof (message as { id?: unknown }).id === 'number' && 'reply' in message;
}

/** Forgets the line without closing it (tests start each case on a fresh runtime). */
export function forgetLineForTests(): void {
  line = undefined;
}
