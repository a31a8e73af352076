import { z } from 'zod';
import { ActionSchema, RunSchema, RunStatusSchema } from './api.ts';
import { AutoEnrichProposeSchema } from './auto-enrich.ts';
import {
  PIN_MARKER_KEY_CHARS,
  PIN_MARKER_KEYS,
  PinsAddRequestSchema,
  PinsForRowRequestSchema,
  PinsNoteRequestSchema,
  PinsRemoveRequestSchema,
} from './pins.ts';
import { RowContextSchema, RowKindSchema } from './row-context.ts';
import { GridSelectorConfigSchema } from './settings.ts';
import { TeachRequestSchema } from './teach.ts';

/**
 * Messages between the content script (untrusted: it lives in the console page) and the background
 * worker. Every request is parsed with `ContentRequestSchema` in the background before anything happens;
 * anything else is answered `unhandled`, never guessed (uBlock's rule).
 */

export const PanelErrorSchema = z.object({
  /** Stable code the UI can branch on. */
  code: z.enum([
    'not_configured',
    'unreachable',
    'unauthorized',
    'forbidden',
    'not_found',
    'rate_limited',
    'server_error',
    'bad_response',
    'timeout',
    'bad_request',
    'conflict',
    'refused',
    /** The page's origin is not a console the analyst enabled (its content script stands down). */
    'not_enabled',
    'internal',
  ]),
  /** What failed, in plain words. */
  message: z.string(),
  /** What the analyst can do about it. */
  hint: z.string().optional(),
  /**
   * The start may have reached the engine and only its answer was lost, and the engine answers a start
   * sent again under the same key with the run it started: the panel offers to send the same start again
   * (`run.resend`), which cannot run the action twice.
   */
  sendAgain: z.boolean().optional(),
});
export type PanelError = z.infer<typeof PanelErrorSchema>;

export const JobSchema = z.object({
  id: z.string(),
  orchestratorId: z.string(),
  actionId: z.string(),
  actionName: z.string(),
  params: z.record(z.string(), z.string()),
  context: RowContextSchema,
  /** The orchestrator's run id, once the start request was answered. */
  runId: z.string().nullable(),
  status: z.union([RunStatusSchema, z.literal('submitting')]),
  run: RunSchema.nullable(),
  error: PanelErrorSchema.nullable(),
  createdAt: z.number(),
  updatedAt: z.number(),
  /** Set when this result came from the read-only cache: when it was produced. */
  cachedAt: z.number().nullable().default(null),
  /** A pivot: the first job of the investigation on this row, whose result named this job's value. */
  parentJobId: z.string().max(100).optional(),
});
export type Job = z.infer<typeof JobSchema>;

const req = <T extends string, S extends z.ZodRawShape>(type: T, shape: S) =>
  z.object({ type: z.literal(type), ...shape });

/** A row on screen, for its marks (`marks.onScreen`). */
const MarkedRowSchema = z.object({
  key: z.string().min(1).max(PIN_MARKER_KEY_CHARS),
  kind: RowKindSchema,
});

/** Content script → background. */
export const ContentRequestSchema = z.discriminatedUnion('type', [
  req('catalog.list', { context: RowContextSchema }),
  req('run.start', {
    actionId: z.string().min(1).max(300),
    params: z.record(z.string().max(200), z.string().max(100_000)),
    context: RowContextSchema,
    /** Skip the read-only cache and run again. */
    refresh: z.boolean().default(false),
    /** Set when the analyst pivoted from a result: the first job on this row, recorded on the new one. */
    parentJobId: z.string().min(1).max(100).optional(),
  }),
  req('run.get', { jobId: z.string().min(1).max(100) }),
  req('run.cancel', { jobId: z.string().min(1).max(100) }),
  /** A start whose answer was lost, sent again under its own key (`PanelError.sendAgain`). */
  req('run.resend', { jobId: z.string().min(1).max(100) }),
  /** Jobs of this tab still running, e.g. after the page was reloaded. */
  req('jobs.forRow', { console: z.string().max(2048), rowKey: z.string().max(100_000) }),
  /** One action over the grid rows the analyst selected, each with its own bound values (background/jobs/batch.ts). */
  req('batch.start', {
    actionId: z.string().min(1).max(300),
    rows: z.array(RowContextSchema).min(1).max(200),
    /** The analyst confirmed an action with side effects for every row. */
    confirmed: z.boolean().default(false),
  }),
  /** The analyst's settings for the sender's console origin (field overrides, grid selectors). The
   * background derives the origin from the sender, never from the message. */
  req('config.get', {}),
  /** What the analyst taught Gridside about this console's grid by pointing at it (core/teach.ts). Saved for
   * the sender's origin only; the content script sends it only after the analyst's own clicks. */
  TeachRequestSchema,
  // Pinned results (core/pins.ts); the background checks each against the sender's origin.
  PinsAddRequestSchema,
  PinsRemoveRequestSchema,
  PinsNoteRequestSchema,
  PinsForRowRequestSchema,
  /**
   * Everything the row marks draw for the rows on screen, in one message after each rest of the grid: their
   * pins (core/pins.ts), the runs waiting for this analyst's approval (core/approval-marks.ts), the runs
   * trigger rules started for them (core/auto-enriched.ts), and which fields this console's in-grid
   * auto-enrichment reads (core/auto-enrich.ts).
   */
  req('marks.onScreen', {
    console: z.string().min(1).max(2048),
    rows: z.array(MarkedRowSchema).max(PIN_MARKER_KEYS),
  }),
  /** Opens the approval window for the runs of this row that wait for this analyst (never named by the page). */
  req('approvals.show', { row: MarkedRowSchema }),
  /** The triggered run of this row, to show it (the page names the row, never the run). */
  req('triggers.run', { row: MarkedRowSchema }),
  /** A lazily loaded part of the content script (the panel, teach mode...), injected by the worker into the
   * sender's frame: Gridside ships no web-accessible files (background/sites/content-chunks.ts). */
  req('content.chunk', { file: z.string().min(1).max(200) }),
  // In-grid auto-enrichment (core/auto-enrich.ts): which fields the rules read, then the rows on screen.
  req('auto.fields', {}),
  AutoEnrichProposeSchema,
]);
export type ContentRequest = z.infer<typeof ContentRequestSchema>;

/** Answer to `batch.start`: one job id per row, in the order sent; updates come as `job.update`. */
export const BatchStartResultSchema = z.object({ jobIds: z.array(z.string()) });
export type BatchStartResult = z.infer<typeof BatchStartResultSchema>;

/** Answer to `config.get`: what the content script needs to read this console's grids. */
export const SiteConfigSchema = z.object({
  /** Column label → canonical field, for this origin only. */
  fieldOverrides: z.record(z.string(), z.string()).default({}),
  /** Per-site grid descriptions for this origin only. */
  gridSelectors: z.array(GridSelectorConfigSchema).default([]),
});
export type SiteConfig = z.infer<typeof SiteConfigSchema>;

export const CatalogResultSchema = z.object({
  orchestrator: z.object({ id: z.string(), name: z.string() }),
  actions: z.array(ActionSchema),
});
export type CatalogResult = z.infer<typeof CatalogResultSchema>;

/** Background → content script. */
export const ContentPushSchema = z.discriminatedUnion('type', [
  req('job.update', { job: JobSchema }),
  /** Several `job.update`s to one frame in one message (background/channels/push.ts), in order. */
  req('jobs.update', { jobs: z.array(JobSchema).min(2) }),
  /** Open the panel for the row recorded at the last right-click, or for the focused row. */
  req('panel.open', { source: z.enum(['context-menu', 'command']) }),
  /** The runs waiting for this analyst's approval changed: marks on rows are asked for again. */
  req('approvals.changed', {}),
  /** The analyst asked, from the toolbar popup, to teach Gridside the grid of this page. */
  req('teach.open', {}),
  /**
   * From an output frame the panel embeds (core/output-frame.ts), relayed by the worker: its content height,
   * or Escape pressed inside it; `summary` in demo/test builds only (the test accessor's stdout).
   */
  req('output.frame', {
    view: z.string().max(64),
    height: z.number().int().min(0).optional(),
    key: z.enum(['Escape']).optional(),
    summary: z.string().max(2048).optional(),
  }),
]);
export type ContentPush = z.infer<typeof ContentPushSchema>;

export type Reply<T> = { ok: true; data: T } | { ok: false; error: PanelError };
export const replyOk = <T>(data: T): Reply<T> => ({ ok: true, data });
export const replyError = (error: PanelError): Reply<never> => ({ ok: false, error });
