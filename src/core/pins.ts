import { z } from 'zod';
import { type RunOutput, RunOutputSchema, RunStatusSchema, TaxonomySchema } from './api.ts';
import { RowKindSchema } from './row-context.ts';
import { LIMITS } from './row-limits.ts';

/**
 * Pins (docs/architecture.md §7): an analyst keeps an enrichment result beside an alarm (by Alarm ID) or a log row
 * (by its row key), and finds it again after scrolling, a reload or a browser restart. Stored by the
 * worker per console origin and row key; the content script asks for the rows on screen in the row
 * marks' one batched `marks.onScreen` message.
 */

/** The first part of stdout shown in the pinned list before the full output is opened. */
export const PIN_SUMMARY_CHARS = 2048;
/** A pinned result is a keepsake, not an archive: big outputs are cut (and say so). */
export const PIN_OUTPUT_LIMITS = {
  stdout: 64_000,
  stderr: 16_000,
  dataJson: 64_000,
  taxonomies: 50,
} as const;
export const PIN_NOTE_CHARS = 2000;
/** Rows per `marks.onScreen` message: more than any screen of rows. */
export const PIN_MARKER_KEYS = 200;
/** Longest row key a marker is looked up for (alarm ids and hashes are short; longer keys are app row ids). */
export const PIN_MARKER_KEY_CHARS = 2048;
/** Pins returned for one row, newest first. */
export const PIN_ROW_LIMIT = 50;

const id = z.string().min(1).max(100);
const consoleOrigin = z.string().min(1).max(2048);
const rowKey = z.string().min(1).max(LIMITS.valueChars);

export const PinSchema = z.object({
  id,
  /** Origin of the console page the row belongs to. */
  console: consoleOrigin,
  /** RowContext.key.value: the Alarm ID for alarms, the Log ID (or the grid's row id, or a hash) for logs. */
  rowKey,
  kind: RowKindSchema,
  alarmId: z.string().max(64).optional(),
  jobId: id,
  actionId: z.string(),
  actionName: z.string(),
  orchestratorId: z.string(),
  status: RunStatusSchema,
  verdicts: z.array(TaxonomySchema).max(PIN_OUTPUT_LIMITS.taxonomies),
  /** The first 2 KB of stdout. */
  summary: z.string().max(PIN_SUMMARY_CHARS),
  output: RunOutputSchema.nullable(),
  /** Who ran it, as the orchestrator named them; `you` when the engine does not say. */
  pinnedBy: z.string().max(200),
  pinnedAt: z.number(),
  note: z.string().max(PIN_NOTE_CHARS),
});
export type Pin = z.infer<typeof PinSchema>;

/** The pins in `marks.onScreen`'s answer: row key → how many pins it has (rows without pins are left out). */
export type PinMarkers = Record<string, number>;

const note = z.string().max(PIN_NOTE_CHARS);

/** Content script → background requests, listed in `ContentRequestSchema`. */
export const PinsAddRequestSchema = z.object({
  type: z.literal('pins.add'),
  /** A finished job of this tab's console: the background reads row and result from its own record. */
  jobId: id,
  note: note.optional(),
});
export const PinsRemoveRequestSchema = z.object({ type: z.literal('pins.remove'), id });
export const PinsNoteRequestSchema = z.object({ type: z.literal('pins.note'), id, note });
export const PinsForRowRequestSchema = z.object({
  type: z.literal('pins.forRow'),
  console: consoleOrigin,
  rowKey,
});

/** Cuts an output to what a pin keeps; `truncated` says when anything was left out. */
export function capPinOutput(output: RunOutput): RunOutput {
  const stdout = output.stdout.slice(0, PIN_OUTPUT_LIMITS.stdout);
  const stderr = output.stderr.slice(0, PIN_OUTPUT_LIMITS.stderr);
  const taxonomies = output.taxonomies?.slice(0, PIN_OUTPUT_LIMITS.taxonomies);
  let data = output.data;
  let dataDropped = false;
  if (data !== undefined) {
    const json = JSON.stringify(data);
    if (json === undefined || json.length > PIN_OUTPUT_LIMITS.dataJson) {
      data = undefined;
      dataDropped = true;
    }
  }
  const cut =
    stdout.length < output.stdout.length ||
    stderr.length < output.stderr.length ||
    (taxonomies?.length ?? 0) < (output.taxonomies?.length ?? 0) ||
    dataDropped;
  return {
    stdout,
    stderr,
    exitCode: output.exitCode,
    truncated: output.truncated || cut,
    ...(taxonomies ? { taxonomies } : {}),
    ...(data !== undefined ? { data } : {}),
  };
}
