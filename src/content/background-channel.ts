import type { z } from 'zod';
import type { ContentReplies } from '../core/content-channel.ts';
import type { ContentPush, ContentRequestSchema, PanelError, Reply } from '../core/messages.ts';

/**
 * The content script's only line to the background worker: requests go by `runtime.sendMessage` until the
 * panel first opens, and from then on a kept port (worker-line.ts, loaded with the panel) carries them;
 * pushes come on that port while it is open, else as runtime messages. Kept free of zod and of the
 * polyfill so the initial bundle stays small: outgoing requests are typed at compile time and validated
 * by the background; incoming pushes are checked by hand here (sender is this extension, known type) and
 * in detail where used.
 */

export type ContentRequestInput = z.input<typeof ContentRequestSchema>;

/** Long enough for a cold service worker to wake and read IndexedDB; short enough that nothing hangs. */
export const REQUEST_TIMEOUT_MS = 15_000;

/** A runtime port, as the kept line (worker-line.ts) uses one. */
export interface PortLike {
  postMessage(message: unknown): void;
  disconnect(): void;
  onMessage: { addListener(listener: (message: unknown) => void): void };
  onDisconnect: { addListener(listener: () => void): void };
}

export interface RuntimeLike {
  id?: string;
  connect?(info: { name: string }): PortLike;
  sendMessage(message: unknown): Promise<unknown>;
  onMessage: {
    addListener(listener: (message: unknown, sender: { id?: string }) => undefined): void;
    removeListener(listener: (message: unknown, sender: { id?: string }) => undefined): void;
  };
}

/** How a request reaches the worker: its answer, or undefined once `timeoutMs` has passed. */
export type RequestSender = (
  rt: RuntimeLike,
  request: { type: string },
  timeoutMs: number,
) => Promise<unknown>;

let send: RequestSender = (rt, request) => rt.sendMessage(request);
/** `onPush`'s listeners, for the pushes that come on the kept port. */
const linePushes = new Set<(message: unknown) => void>();

/**
 * Sends every later request with `sender` (the kept port), and returns what hands the pushes that come on
 * its port to `onPush`'s listeners. The page's first requests (its marks, its settings) go by message: the
 * port's code comes with the panel, where the analyst waits for answers, and not in the script every
 * console page loads.
 */
export function useLine(sender: RequestSender): (message: unknown) => void {
  send = sender;
  return (message) => {
    for (const hear of linePushes) hear(message);
  };
}

function runtime(): RuntimeLike | undefined {
  const g = globalThis as { browser?: { runtime?: RuntimeLike }; chrome?: { runtime?: RuntimeLike } };
  return g.browser?.runtime ?? g.chrome?.runtime;
}

/** False once the extension was reloaded or updated: this script is orphaned and must stand down. */
export function extensionAlive(): boolean {
  try {
    return Boolean(runtime()?.id);
  } catch {
    return false;
  }
}

const failure = (code: PanelError['code'], message: string, hint?: string): Reply<never> => ({
  ok: false,
  error: hint ? { code, message, hint } : { code, message },
});

function isReply(value: unknown): value is Reply<unknown> {
  if (typeof value !== 'object' || value === null) return false;
  const reply = value as { ok?: unknown; error?: { message?: unknown } };
  if (reply.ok === true) return 'data' in reply;
  return reply.ok === false && typeof reply.error?.message === 'string';
}

let standDown: (() => void) | undefined;

/**
 * Called once the worker says this page is not an enabled console (`not_enabled`): in Firefox, another
 * port of an enabled console's host (its match patterns carry no port); anywhere, a console the analyst
 * disabled while this tab stayed open. The content script then takes itself off the page.
 */
export function whenNotEnabled(handler: () => void): void {
  standDown = handler;
}

/**
 * Sends one request; always settles with a Reply, never throws and never waits longer than `timeoutMs`.
 * The reply's type follows from the request (core/content-channel.ts), the same map the worker answers by.
 */
export async function ask<R extends ContentRequestInput>(
  request: R,
  timeoutMs = REQUEST_TIMEOUT_MS,
): Promise<Reply<ContentReplies[R['type']]>> {
  type T = ContentReplies[R['type']];
  const rt = runtime();
  if (!rt || !extensionAlive()) {
    return failure('internal', 'Gridside was updated or reloaded.', 'Reload this page to use it again.');
  }
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<Reply<never>>((resolve) => {
    timer = setTimeout(
      () =>
        resolve(
          failure(
            'timeout',
            'The Gridside background did not answer in time.',
            'Try again; if it keeps happening, reload the page or the extension.',
          ),
        ),
      timeoutMs,
    );
  });
  const answer = send(rt, request, timeoutMs).then(
    (value): Reply<T> =>
      isReply(value)
        ? (value as Reply<T>)
        : failure('internal', 'The Gridside background gave no usable answer.'),
    (error: unknown): Reply<T> =>
      failure(
        'unreachable',
        'Could not reach the Gridside background.',
        error instanceof Error ? error.message : undefined,
      ),
  );
  try {
    const reply = await Promise.race([answer, timeout]);
    if (!reply.ok && reply.error.code === 'not_enabled') standDown?.();
    return reply;
  } finally {
    clearTimeout(timer);
  }
}

const isJob = (job: { id?: unknown; status?: unknown } | undefined): boolean =>
  typeof job?.id === 'string' && typeof job.status === 'string';

function isPush(message: unknown): message is ContentPush {
  if (typeof message !== 'object' || message === null) return false;
  const push = message as { type?: unknown; source?: unknown; job?: { id?: unknown; status?: unknown } };
  if (push.type === 'approvals.changed' || push.type === 'teach.open') return true;
  if (push.type === 'panel.open') return push.source === 'context-menu' || push.source === 'command';
  if (push.type === 'job.update') return isJob(push.job);
  if (push.type === 'jobs.update') {
    const { jobs } = message as { jobs?: unknown };
    return Array.isArray(jobs) && jobs.every(isJob);
  }
  if (push.type === 'output.frame') return typeof (message as { view?: unknown }).view === 'string';
  return false;
}

/** A push as handlers get it: several jobs' updates sent together arrive one `job.update` at a time. */
export type OnePush = Exclude<ContentPush, { type: 'jobs.update' }>;

/** Listens for background pushes (only from this extension) until `signal` aborts. */
export function onPush(handler: (push: OnePush) => void, signal: AbortSignal): void {
  const rt = runtime();
  if (!rt) return;
  const listener = (message: unknown, sender: { id?: string }): undefined => {
    if (sender.id !== rt.id || !isPush(message)) return undefined;
    if (message.type === 'jobs.update') {
      for (const job of message.jobs) handler({ type: 'job.update', job });
    } else handler(message);
    return undefined;
  };
  // Pushes on the kept port come from this extension's worker: a port reaches only its own extension.
  const hear = (message: unknown) => listener(message, { id: rt.id });
  rt.onMessage.addListener(listener);
  linePushes.add(hear);
  signal.addEventListener(
    'abort',
    () => {
      rt.onMessage.removeListener(listener);
      linePushes.delete(hear);
    },
    { once: true },
  );
}
