import { RUNS_MANY_MAX, type Run } from '../../core/api.ts';
import type { Connector, StartRun } from '../connectors/connector.ts';

/**
 * Batch rows started on their own, together. A new batch sends its rows in two requests (batch.ts
 * `runTogether`, job-engine.ts `startMany`); rows resumed after a restart, and a repeat sent once its
 * first ended, are still submitted one by one, a few at a time (batch.ts `runQueue`), and each start was a
 * request of its own: a `fetch` costs the worker, the browser's network stack and the orchestrator a few
 * milliseconds of CPU, on the cores the batch's plugins run on. Starts of one orchestrator made within
 * `START_GATHER_MS` of the first go as one request where the engine offers one (`Connector.startRuns`),
 * each answered as its own start would have been; an engine without it starts each alone. A group as
 * large as the rows submitted at once goes without waiting out the window.
 *
 * Only the request is shared. Each row's job is stored before its start is asked for, exactly as for a
 * start alone (job-engine.ts), so a worker lost meanwhile finds each row as it would have.
 */

/** How long the first start of a group waits for others to join it. */
export const START_GATHER_MS = 5;
/**
 * Rows of this worker being submitted (stored, then sent) at one time (batch.ts, `sendRow`). So no more
 * starts than this are ever gathering, and a group holding this many goes at once: nobody else can join
 * it, and the rest of the window would only hold the batch's first runs back.
 */
export const SUBMITTING_AT_ONCE = 4;
/** The most bytes of rows and values one request carries: far below the orchestrator's body limit. */
export const START_GROUP_BYTES = 256 * 1024;

/** The bytes a start adds to a request: its row's values and its parameters. */
const startBytes = (request: StartRun) =>
  JSON.stringify(request.context).length + JSON.stringify(request.params).length;

/**
 * Starts sent together (job-engine.ts `startMany`) in requests the orchestrator takes: at most
 * `RUNS_MANY_MAX` starts and `START_GROUP_BYTES` each (a single larger start goes alone), in order.
 */
export function startGroups(requests: StartRun[]): StartRun[][] {
  const groups: StartRun[][] = [];
  let group: StartRun[] = [];
  let bytes = 0;
  for (const request of requests) {
    const size = startBytes(request);
    if (group.length > 0 && (group.length === RUNS_MANY_MAX || bytes + size > START_GROUP_BYTES)) {
      groups.push(group);
      group = [];
      bytes = 0;
    }
    group.push(request);
    bytes += size;
  }
  if (group.length > 0) groups.push(group);
  return groups;
}

interface Waiting {
  request: StartRun;
  resolve(run: Run): void;
  reject(error: unknown): void;
}

interface Group {
  connector: Connector;
  signal: AbortSignal | undefined;
  items: Waiting[];
  bytes: number;
  timer: ReturnType<typeof setTimeout>;
}

export function createStartTogether(
  options: { gatherMs?: number; maxRuns?: number; maxBytes?: number } = {},
) {
  const gatherMs = options.gatherMs ?? START_GATHER_MS;
  const maxRuns = options.maxRuns ?? Math.min(SUBMITTING_AT_ONCE, RUNS_MANY_MAX);
  const maxBytes = options.maxBytes ?? START_GROUP_BYTES;
  /** The group still gathering, by orchestrator. */
  const gathering = new Map<string, Group>();

  function send(key: string, group: Group): void {
    clearTimeout(group.timer);
    if (gathering.get(key) === group) gathering.delete(key);
    const { connector, items, signal } = group;
    const startRuns = connector.startRuns?.bind(connector);
    if (items.length === 1 || !startRuns) {
      for (const item of items) connector.startRun(item.request, signal).then(item.resolve, item.reject);
      return;
    }
    startRuns(
      items.map((item) => item.request),
      signal,
    ).then(
      (results) => {
        for (const [i, item] of items.entries()) {
          const result = results[i];
          if (result === undefined) item.reject(new Error('the engine answered fewer starts than asked'));
          else if (result instanceof Error) item.reject(result);
          else item.resolve(result);
        }
      },
      (error: unknown) => {
        for (const item of items) item.reject(error);
      },
    );
  }

  return {
    /** `connector.startRun(request)`, sent with the other starts for `key` (the orchestrator) made meanwhile. */
    start(key: string, connector: Connector, request: StartRun, signal?: AbortSignal): Promise<Run> {
      if (!connector.startRuns) return connector.startRun(request, signal);
      const bytes = startBytes(request);
      let group = gathering.get(key);
      if (group && group.bytes + bytes > maxBytes) {
        send(key, group);
        group = undefined;
      }
      if (!group) {
        const created: Group = {
          connector,
          signal,
          items: [],
          bytes: 0,
          timer: setTimeout(() => send(key, created), gatherMs),
        };
        gathering.set(key, created);
        group = created;
      }
      const joined = group;
      return new Promise<Run>((resolve, reject) => {
        joined.items.push({ request, resolve, reject });
        joined.bytes += bytes;
        if (joined.items.length >= maxRuns) send(key, joined);
      });
    },
  };
}
