import { z } from 'zod';

/**
 * The Alarm API 7.7.0 OpenAPI gives no maximum length for `alarmComment` (CommentRequest is a bare
 * string). Gridside sends at most 2,000 characters by default: well inside any column size seen for
 * LogRhythm comments and readable in the alarm's history. Raise it only after checking your version.
 */
export const DEFAULT_COMMENT_MAX_CHARS = 2000;

/** `entry.options` of a LogRhythm Alarm API entry (docs/connectors.md#logrhythm-alarm-api). */
export const LogRhythmOptionsSchema = z.object({
  commentMaxChars: z.number().int().min(100).max(100_000).default(DEFAULT_COMMENT_MAX_CHARS),
  /** SmartResponse results change as approvals come in: cache them briefly. */
  cacheTtlSeconds: z.number().int().min(0).max(3600).default(60),
  /** Also read the alarm's events (`/alarms/{id}/events`) when the details do not carry them. */
  includeEvents: z.boolean().default(true),
  requestTimeoutSeconds: z.number().int().positive().max(600).default(30),
});
export type LogRhythmOptions = z.infer<typeof LogRhythmOptionsSchema>;
