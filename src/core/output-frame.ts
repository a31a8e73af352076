import { z } from 'zod';
import { RunOutputSchema } from './api.ts';
import { FRAME_HEIGHT_MAX, FRAME_KEYS, FRAME_SUMMARY_CHARS, type OutputSource } from './output-frame-url.ts';
import type { ReplySchemas } from './page-channel.ts';
import { RowKindSchema } from './row-context.ts';
import { LIMITS } from './row-limits.ts';

/**
 * The output frame (src/pages/output-frame/): an extension page the panel embeds where a run's output is
 * shown, so plugin output (directory data, threat intel) never enters the console page's DOM. The panel
 * names only WHAT to show (a job, a pin, a row's triggered run) in the frame's URL fragment; the frame asks
 * the worker for the output itself on this channel, and the worker answers only this page, only in a tab
 * of an enabled console, and only about that console's own runs (background/channels/output-frame-handlers.ts).
 */

const id = z.string().min(1).max(100);

/** What the frame shows: one job of the panel, one pinned result, or the run a trigger started for a row. */
export const OutputSourceSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('job'), id }),
  z.object({ kind: z.literal('pin'), id, rowKey: z.string().min(1).max(LIMITS.valueChars) }),
  z.object({ kind: z.literal('triggered'), key: z.string().min(1).max(2048), rowKind: RowKindSchema }),
]);
// The content script's zod-free type and this schema describe the same thing.
export type { OutputSource };

const _sameSource: z.ZodType<OutputSource> = OutputSourceSchema;
void _sameSource;

/** The random name the panel gives each frame it embeds (output-frame-url.ts). */
export const FrameViewSchema = z.string().regex(/^[A-Za-z0-9_-]{8,64}$/);

const req = <T extends string, S extends z.ZodRawShape>(type: T, shape: S) =>
  z.object({ type: z.literal(type), ...shape });

export const OutputFrameRequestSchema = z.discriminatedUnion('type', [
  /**
   * `untilEnded`: for a job still running, the worker answers when it ended (or after `OUTPUT_WAIT_MS`,
   * with `ended: false`, and the frame asks again). The run panel mounts the frame once the run ended; a
   * pin or a triggered run's view may show one still going.
   */
  req('output.get', {
    view: FrameViewSchema,
    source: OutputSourceSchema,
    untilEnded: z.boolean().default(false),
  }),
  /**
   * The frame tells the panel that embeds it its content height, or a key to act on. `summary` is the
   * demo/test builds' accessor only: production frames never send it and production workers drop it.
   */
  req('output.report', {
    view: FrameViewSchema,
    height: z.number().int().min(0).max(FRAME_HEIGHT_MAX).optional(),
    key: z.enum(FRAME_KEYS).optional(),
    summary: z.string().max(FRAME_SUMMARY_CHARS).optional(),
  }),
]);
export type OutputFrameRequest = z.infer<typeof OutputFrameRequestSchema>;

export const OutputShownSchema = z.object({ output: RunOutputSchema.nullable(), ended: z.boolean() });
/** Longest the worker holds an `untilEnded` question before answering `ended: false`. */
export const OUTPUT_WAIT_MS = 25_000;
export type OutputShown = z.infer<typeof OutputShownSchema>;

export const OUTPUT_FRAME_REPLIES = {
  'output.get': OutputShownSchema,
  'output.report': z.object({}),
} as const satisfies ReplySchemas<OutputFrameRequest>;
