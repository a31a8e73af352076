import { forgetLineForTests } from '../../../../src/content/worker-line.ts';
import type { RunOutput } from '../../../../src/core/api.ts';
import type { Job } from '../../../../src/core/messages.ts';
import type { RowContext } from '../../../../src/core/row-context.ts';

type Listener = (message: unknown, sender: { id?: string }) => undefined;

/** A stand-in for `chrome.runtime` as the content script sees it: answers requests, delivers pushes. */
export function installFakeRuntime(answer: (request: { type: string; [k: string]: unknown }) => unknown) {
  const listeners = new Set<Listener>();
  const requests: Array<{ type: string; [k: string]: unknown }> = [];
  const sendMessage = async (request: { type: string }) => {
    requests.push(request);
    return answer(request);
  };
  const runtime = {
    id: 'gridside-test',
    getURL: (path: string) => `chrome-extension://gridside-test/${path}`,
    sendMessage,
    // The content script's kept port (worker-line.ts): each request answered on it, as the worker does.
    connect: () => {
      const heard = new Set<(message: unknown) => void>();
      return {
        postMessage: (message: { id: number; request: { type: string } }) => {
          void sendMessage(message.request).then((reply) => {
            for (const l of heard) l({ id: message.id, reply });
          });
        },
        disconnect: () => {},
        onMessage: { addListener: (l: (message: unknown) => void) => heard.add(l) },
        onDisconnect: { addListener: () => {} },
      };
    },
    onMessage: {
      addListener: (l: Listener) => listeners.add(l),
      removeListener: (l: Listener) => listeners.delete(l),
    },
  };
  (globalThis as { chrome?: unknown }).chrome = { runtime };
  return {
    requests,
    push(message: unknown, senderId = 'gridside-test') {
      for (const l of listeners) l(message, { id: senderId });
    },
    uninstall() {
      forgetLineForTests();
      delete (globalThis as { chrome?: unknown }).chrome;
    },
  };
}

export function job(context: RowContext, over: Partial<Job> & { output?: RunOutput | null } = {}): Job {
  const { output = null, ...rest } = over;
  const status = rest.status ?? 'running';
  return {
    id: 'job-1',
    orchestratorId: 'demo',
    actionId: 'geo/ip',
    actionName: 'Where is this IP',
    params: { ip: '10.1.2.3' },
    context,
    runId: 'run-1',
    status,
    run:
      status === 'submitting'
        ? null
        : {
            id: 'run-1',
            actionId: 'geo/ip',
            actionName: 'Where is this IP',
            status,
            requestedBy: 'alice',
            params: { ip: '10.1.2.3' },
            alarmId: null,
            rowKey: context.key.value,
            approvals: [],
            output,
            reason: null,
            timing: {
              createdAt: new Date(1000).toISOString(),
              startedAt: new Date(2000).toISOString(),
              finishedAt: null,
              durationMs: null,
            },
          },
    error: null,
    createdAt: 1000,
    updatedAt: 2000,
    cachedAt: null,
    ...rest,
  };
}
