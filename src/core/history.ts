import { z } from 'zod';
import { RunStatusSchema } from './api.ts';
import { JobSchema } from './messages.ts';
import type { ReplySchemas } from './page-channel.ts';

/**
 * Run history (docs/architecture.md §7): every job the worker ever started is a durable record, so the history is the
 * jobs store read back through a cursor. These are the privileged messages of the history page (extension
 * origin only) and the export envelope. Imported files are untrusted: they enter through these schemas.
 */

/** What the analyst searches by. Every part is optional; all given parts must match. */
export const HistoryQuerySchema = z.object({
  /** Action id or name, case-insensitive substring (`ip-reputation`, `IP Reputation`). */
  action: z.string().max(300).default(''),
  /** Any parameter value or row field value (canonical or column label), case-insensitive substring. */
  text: z.string().max(1000).default(''),
  /** The row's LogRhythm alarm id, exact. */
  alarmId: z.string().max(64).default(''),
  status: z.union([RunStatusSchema, z.literal('submitting')]).optional(),
  /** Started at or after (ms since epoch). */
  from: z.number().optional(),
  /** Started before (ms since epoch). */
  to: z.number().optional(),
});
export type HistoryQuery = z.infer<typeof HistoryQuerySchema>;

/** Where the next page starts: the `[createdAt, id]` of the last job shown (newest first). */
export const HistoryCursorSchema = z.tuple([z.number(), z.string().max(100)]);
export type HistoryCursor = z.infer<typeof HistoryCursorSchema>;

export const HistoryPageSchema = z.object({
  jobs: z.array(JobSchema),
  /** `null` when the search reached the oldest job. */
  next: HistoryCursorSchema.nullable(),
  /** How many jobs the page looked at (a rare filter may scan many for few matches). */
  scanned: z.number().int(),
});
export type HistoryPage = z.infer<typeof HistoryPageSchema>;

const req = <T extends string, S extends z.ZodRawShape>(type: T, shape: S) =>
  z.object({ type: z.literal(type), ...shape });

export const HISTORY_PAGE_MAX = 200;
/** A file to import is read into memory by the page; 50 MB is far beyond a year of runs. */
export const IMPORT_MAX_CHARS = 50_000_000;

export const HistoryRequestSchema = z.discriminatedUnion('type', [
  req('history.search', {
    query: HistoryQuerySchema,
    after: HistoryCursorSchema.nullable().default(null),
    limit: z.number().int().min(1).max(HISTORY_PAGE_MAX).default(50),
  }),
  req('history.get', { jobId: z.string().min(1).max(100) }),
  /** The whole history (and pins) as one file; `csv` is the history only, for spreadsheets. */
  req('history.export', { format: z.enum(['json', 'csv']), query: HistoryQuerySchema.optional() }),
  req('history.import', { text: z.string().max(IMPORT_MAX_CHARS) }),
]);
export type HistoryRequest = z.infer<typeof HistoryRequestSchema>;

export const ExportFileSchema = z.object({
  filename: z.string(),
  mimeType: z.string(),
  text: z.string(),
  jobs: z.number().int(),
  pins: z.number().int(),
});
export type ExportFile = z.infer<typeof ExportFileSchema>;

export const ImportRejectionSchema = z.object({
  /** `jobs[3]`, `pins[0]`, or `file` when the whole file was refused. */
  where: z.string(),
  reason: z.string(),
});
export type ImportRejection = z.infer<typeof ImportRejectionSchema>;

const countsSchema = z.object({
  added: z.number().int(),
  alreadyPresent: z.number().int(),
  rejected: z.number().int(),
});

export const ImportReportSchema = z.object({
  jobs: countsSchema,
  pins: countsSchema,
  /** The first reasons (at most 50), so the analyst can fix the file. */
  rejections: z.array(ImportRejectionSchema),
});
export type ImportReport = z.infer<typeof ImportReportSchema>;

export const EXPORT_FORMAT = 'gridside-export';
export const EXPORT_VERSION = 1;

export const ExportEnvelopeSchema = z.object({
  format: z.literal(EXPORT_FORMAT),
  version: z.literal(EXPORT_VERSION),
  exportedAt: z.string(),
  jobs: z.array(z.unknown()).max(1_000_000),
  pins: z.array(z.unknown()).max(1_000_000).default([]),
});
export type ExportEnvelope = z.infer<typeof ExportEnvelopeSchema>;

/** What the history page's requests are answered with (only the history page may send them). */
export const HISTORY_REPLIES = {
  'history.search': HistoryPageSchema,
  'history.get': JobSchema,
  'history.export': ExportFileSchema,
  'history.import': ImportReportSchema,
} as const satisfies ReplySchemas<HistoryRequest>;
