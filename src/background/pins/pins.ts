import type { HandlerTable } from '../../core/channel.ts';
import type { ContentReplies } from '../../core/content-channel.ts';
import type { ContentRequest } from '../../core/messages.ts';
import {
  capPinOutput,
  PIN_ROW_LIMIT,
  PIN_SUMMARY_CHARS,
  type Pin,
  type PinMarkers,
  PinSchema,
} from '../../core/pins.ts';
import { isFinished } from '../../core/run-status.ts';
import { committed, type GridsideDatabase } from '../db.ts';
import type { StoredJob } from '../jobs/job-record.ts';
import { UserError } from '../user-error.ts';

/**
 * Pinned results (docs/architecture.md §7), kept in the worker's IndexedDB `pins` store (a numbered step in db.ts):
 * keyed by pin id, indexed by `[console origin, row key]`. A console page only ever sees and changes the
 * pins of its own origin; every record leaving the store is parsed, so a damaged record is skipped rather
 * than shown.
 */

export interface PinRequester {
  /** Origin of the console page that asked (from the browser's sender, never from the message). */
  origin: string;
}

export interface PinService {
  /** Pins a finished job of the requester's console; pinning the same job again only updates the note. */
  add(jobId: string, note: string | undefined, who: PinRequester): Promise<Pin>;
  remove(id: string, who: PinRequester): Promise<{ removed: string }>;
  setNote(id: string, note: string, who: PinRequester): Promise<Pin>;
  /** The row's pins, newest first. */
  forRow(console: string, rowKey: string, who: PinRequester): Promise<Pin[]>;
  /** Row key → pin count for the rows on screen: one index count per key, in one read transaction. */
  markers(console: string, rowKeys: readonly string[], who: PinRequester): Promise<PinMarkers>;
}

export interface PinServiceDeps {
  db: Promise<GridsideDatabase>;
  job(jobId: string): Promise<StoredJob | undefined>;
  now?: () => number;
}

/** Same id for the same job: pinning twice keeps one pin. */
export const pinIdFor = (jobId: string): string => `pin:${jobId}`;

function sameConsole(console: string, who: PinRequester): void {
  if (console !== who.origin) {
    throw new UserError('bad_request', 'The row does not belong to the page that sent it.');
  }
}

const notPinned = () =>
  new UserError('not_found', 'This pinned result is gone.', 'It may have been unpinned in another tab.');

export function pinFromJob(job: StoredJob, note: string, pinnedAt: number): Pin {
  const output = job.run?.output ? capPinOutput(job.run.output) : null;
  return PinSchema.parse({
    id: pinIdFor(job.id),
    console: job.console,
    rowKey: job.rowKey,
    kind: job.context.kind,
    ...(job.context.alarmId ? { alarmId: job.context.alarmId } : {}),
    jobId: job.id,
    actionId: job.actionId,
    actionName: job.actionName,
    orchestratorId: job.orchestratorId,
    status: job.status,
    verdicts: output?.taxonomies ?? [],
    summary: (output?.stdout ?? '').slice(0, PIN_SUMMARY_CHARS),
    output,
    pinnedBy: job.run?.requestedBy?.slice(0, 200) || 'you',
    pinnedAt,
    note,
  });
}

export function createPinService(deps: PinServiceDeps): PinService {
  const { db } = deps;
  const now = deps.now ?? Date.now;

  async function ownPin(id: string, who: PinRequester): Promise<Pin> {
    const stored = await (await db).get('pins', id);
    const pin = PinSchema.safeParse(stored);
    // Another console's pin is answered exactly like a missing one: nothing leaks across origins.
    if (!pin.success || pin.data.console !== who.origin) throw notPinned();
    return pin.data;
  }

  return {
    async add(jobId, note, who) {
      const job = await deps.job(jobId);
      if (!job || job.console !== who.origin) {
        throw new UserError('not_found', 'Gridside has no record of this run.');
      }
      if (!isFinished(job.status)) {
        throw new UserError('conflict', 'This run has not finished yet.', 'Pin it once it is done.');
      }
      const tx = (await db).transaction('pins', 'readwrite');
      const existing = PinSchema.safeParse(await tx.store.get(pinIdFor(jobId)));
      const pin = existing.success
        ? { ...existing.data, note: note ?? existing.data.note }
        : pinFromJob(job, note ?? '', now());
      // Answered once the pin is stored for good: a commit the browser refuses is said, not lost.
      await committed(tx, [tx.store.put(pin)]);
      return pin;
    },

    async remove(id, who) {
      await ownPin(id, who);
      await (await db).delete('pins', id);
      return { removed: id };
    },

    async setNote(id, note, who) {
      const pin = { ...(await ownPin(id, who)), note };
      const tx = (await db).transaction('pins', 'readwrite');
      await committed(tx, [tx.store.put(pin)]);
      return pin;
    },

    async forRow(console, rowKey, who) {
      sameConsole(console, who);
      const stored = await (await db).getAllFromIndex('pins', 'byRow', [console, rowKey]);
      const pins: Pin[] = [];
      for (const record of stored) {
        const pin = PinSchema.safeParse(record);
        if (pin.success) pins.push(pin.data);
      }
      return pins.sort((a, b) => b.pinnedAt - a.pinnedAt).slice(0, PIN_ROW_LIMIT);
    },

    async markers(console, rowKeys, who) {
      sameConsole(console, who);
      const keys = [...new Set(rowKeys)];
      const index = (await db).transaction('pins').store.index('byRow');
      // All counts are issued at once inside one readonly transaction; IndexedDB answers them in order.
      const counts = await Promise.all(keys.map((key) => index.count([console, key])));
      // fromEntries defines own properties, so a row key such as `__proto__` stays a plain key.
      return Object.fromEntries(
        keys.flatMap((key, i) => ((counts[i] ?? 0) > 0 ? [[key, counts[i] ?? 0] as const] : [])),
      );
    },
  };
}

/** The `pins.*` content requests, each checked against the sender's console origin. */
export type PinRequest = Extract<ContentRequest, { type: `pins.${string}` }>;
export type PinRequestType = PinRequest['type'];

export function pinHandlers(
  pins: () => PinService,
): HandlerTable<PinRequest, Pick<ContentReplies, PinRequestType>, PinRequester> {
  return {
    'pins.add': (request, who) => pins().add(request.jobId, request.note, who),
    'pins.remove': (request, who) => pins().remove(request.id, who),
    'pins.note': (request, who) => pins().setNote(request.id, request.note, who),
    'pins.forRow': (request, who) => pins().forRow(request.console, request.rowKey, who),
  };
}
