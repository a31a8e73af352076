import { z } from 'zod';
import { RunStatusSchema, VerdictLevelSchema } from './api.ts';
import { RowKindSchema } from './row-context.ts';

/**
 * Triggers in the orchestration API v1 (docs/orchestrator.md, "Triggers"): the event a SIEM posts to
 * `POST /api/v1/events`, and the batched question the extension asks per screen of rows,
 * `POST /api/v1/triggered-runs`: "which of these rows already have an enrichment a trigger ran?".
 */

/** Headers of a signed event: Unix seconds, and `sha256=<hex HMAC-SHA256 of "<timestamp>.<raw body>">`. */
export const EVENT_TIMESTAMP_HEADER = 'x-gridside-timestamp';
export const EVENT_SIGNATURE_HEADER = 'x-gridside-signature';

const scalar = z.union([z.string().max(4096), z.number(), z.boolean()]).transform(String);
/** An alarm, log or rule id: digits from LogRhythm, any short text from another SIEM. */
const id = z.union([z.string().min(1).max(64), z.number().int().nonnegative()]).transform(String);

/**
 * The documented event: any SIEM or script can send one. `fields` are canonical field names (`SIP`,
 * `DHostName`, `Login`, …) bound to plugin parameters exactly as a grid row's fields are. An event names
 * an alarm (`alarmId`) or a log (`logId`); its results are stored against that key.
 */
export const GridsideEventSchema = z
  .object({
    /** Where the event comes from (`siem-prod`, `edr`); trigger rules may match on it. */
    source: z.string().min(1).max(100),
    alarmId: id.optional(),
    logId: id.optional(),
    alarmRuleName: z.string().max(500).optional(),
    alarmRuleId: id.optional(),
    /** The AI Engine rule that raised the event, when one did. */
    aieRuleName: z.string().max(500).optional(),
    aieRuleId: id.optional(),
    /** Alarm risk-based priority (0–100). */
    riskRating: z.number().min(0).max(100).optional(),
    /** The log's priority (0–100). */
    priority: z.number().min(0).max(100).optional(),
    fields: z.record(z.string().min(1).max(64), scalar).default({}),
  })
  .strict()
  .refine((event) => event.alarmId !== undefined || event.logId !== undefined, {
    message: 'an event names an alarm (alarmId) or a log (logId)',
    path: ['alarmId'],
  });
export type GridsideEvent = z.infer<typeof GridsideEventSchema>;

/** What `POST /api/v1/events` did with an event: the runs it started, and the rules it skipped and why. */
export const EventAcceptedSchema = z.object({
  key: z.object({ kind: RowKindSchema, value: z.string() }),
  runs: z.array(z.object({ rule: z.string(), runId: z.string(), status: RunStatusSchema })),
  skipped: z.array(z.object({ rule: z.string(), reason: z.string() })),
});
export type EventAccepted = z.infer<typeof EventAcceptedSchema>;

export const TRIGGERED_RUNS_MAX_ROWS = 200;

export const TriggeredRunsRequestSchema = z.object({
  rows: z
    .array(z.object({ kind: RowKindSchema, key: z.string().min(1).max(2048) }))
    .min(1)
    .max(TRIGGERED_RUNS_MAX_ROWS),
});
export type TriggeredRunsRequest = z.infer<typeof TriggeredRunsRequestSchema>;

/** The latest run a trigger started for one row, and its verdict (the most severe taxonomy level). */
export const TriggeredRunSchema = z.object({
  runId: z.string(),
  rule: z.string(),
  actionName: z.string(),
  status: RunStatusSchema,
  verdict: VerdictLevelSchema.nullable(),
  /** Short words for the verdict chip, e.g. `IPRep:score=92`. */
  summary: z.string().nullable(),
  createdAt: z.string(),
});
export type TriggeredRun = z.infer<typeof TriggeredRunSchema>;

/** `<kind>:<key>` → the latest triggered run of that row; rows without one are left out. */
export const TriggeredRunsSchema = z.object({ rows: z.record(z.string(), TriggeredRunSchema) });
export type TriggeredRuns = z.infer<typeof TriggeredRunsSchema>;
