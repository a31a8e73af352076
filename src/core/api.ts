import { z } from 'zod';
import { AlertSchema } from './plugins-api.ts';
import { MAX_OBSERVABLE_VALUE_CHARS, MAX_RESULT_OBSERVABLES, PIVOT_TYPES } from './result-observables.ts';
import { RowContextSchema } from './row-context.ts';
import { RUN_STATUSES } from './run-status.ts';

/**
 * The Gridside orchestration API, v1 (docs/architecture.md §5). These schemas are the single source of truth:
 * the orchestrator validates requests and responses with them, the extension parses responses with them,
 * and docs/openapi.json is generated from them (scripts/gen-openapi.ts).
 */

export const API_PREFIX = '/api/v1';

export const RoleSchema = z.enum(['analyst', 'approver', 'admin']);
export type Role = z.infer<typeof RoleSchema>;

/** Where a parameter's value comes from when the analyst does not type one. */
export const ParamDefaultSchema = z.union([
  z.object({ static: z.string() }),
  z.object({
    /** Canonical field name (`SIP`, `DHostName`, `AlarmDate`, …). */
    field: z.string().min(1),
    /** For `AlarmDate`/`NormalMessageDate`: the SRP `TimeFormat`. */
    timeFormat: z
      .object({ timeZone: z.string().optional(), formattingString: z.string().optional() })
      .optional(),
  }),
]);
export type ParamDefault = z.infer<typeof ParamDefaultSchema>;

export const ActionParamSchema = z.object({
  /** Stable id within the action (derived from the SRP parameter name). */
  id: z.string().min(1),
  /** The SRP `Name`, shown as the label. */
  name: z.string(),
  kind: z.enum(['constant', 'string']),
  /** Secret: filled by the orchestrator from its configuration, never sent by or to the extension. */
  encrypted: z.boolean(),
  /** Environment-specific: filled by the orchestrator from its configuration. */
  fromConfig: z.boolean(),
  required: z.boolean(),
  default: ParamDefaultSchema.optional(),
  switch: z.string(),
  order: z.string(),
});
export type ActionParam = z.infer<typeof ActionParamSchema>;

export const ApprovalPolicySchema = z.object({
  /** 0 = no approval; 1–3 levels, each needing `quorum` distinct approvers. */
  levels: z.number().int().min(0).max(3),
  quorum: z.number().int().min(1).max(10).default(1),
  /** Roles allowed to approve. */
  approverRoles: z.array(RoleSchema).default(['approver', 'admin']),
});
export type ApprovalPolicy = z.infer<typeof ApprovalPolicySchema>;

export const ActionSchema = z.object({
  /** `<plugin-id>/<action-id>`. */
  id: z.string().min(1),
  plugin: z.object({
    id: z.string(),
    name: z.string(),
    version: z.number().int().optional(),
    guid: z.string().optional(),
  }),
  name: z.string(),
  description: z.string().default(''),
  params: z.array(ActionParamSchema),
  approval: ApprovalPolicySchema,
  /** Roles allowed to run it. */
  roles: z.array(RoleSchema),
  /** Read-only actions are cacheable for `cacheTtlSeconds`; actions with side effects are never cached. */
  sideEffects: z.boolean(),
  cacheTtlSeconds: z.number().int().min(0).default(0),
  timeoutSeconds: z.number().int().positive(),
  /** Refused when the plugin's files changed since import (integrity check). */
  available: z.boolean().default(true),
  unavailableReason: z.string().optional(),
});
export type Action = z.infer<typeof ActionSchema>;

export const CatalogSchema = z.object({
  actions: z.array(ActionSchema),
  /**
   * The orchestrator answers a start sent again with its `idempotencyKey` with the run it started: a
   * client may send a start whose answer was lost again. Absent: an engine that does not (or did not
   * say so), where a start is sent once.
   */
  startKeys: z.literal(true).optional(),
});
export type Catalog = z.infer<typeof CatalogSchema>;

/** Which of these are final: `isFinished` in run-status.ts. */
export const RunStatusSchema = z.enum(RUN_STATUSES);
export type RunStatus = z.infer<typeof RunStatusSchema>;

export const VerdictLevelSchema = z.enum(['info', 'safe', 'suspicious', 'malicious']);
export type VerdictLevel = z.infer<typeof VerdictLevelSchema>;

/** Cortex-style taxonomy entry; shown as a verdict chip. */
export const TaxonomySchema = z.object({
  level: VerdictLevelSchema,
  namespace: z.string(),
  predicate: z.string(),
  value: z.union([z.string(), z.number(), z.boolean()]).transform(String),
});
export type Taxonomy = z.infer<typeof TaxonomySchema>;

export const ResultObservableSchema = z.object({
  type: z.enum(PIVOT_TYPES),
  value: z.string().min(1).max(MAX_OBSERVABLE_VALUE_CHARS),
});

export const RunOutputSchema = z.object({
  stdout: z.string(),
  stderr: z.string(),
  exitCode: z.number().int().nullable(),
  truncated: z.boolean(),
  taxonomies: z.array(TaxonomySchema).optional(),
  /** The `full` part of a Cortex-style report, or any JSON the plugin printed. */
  data: z.unknown().optional(),
  /** New observables the result names, to pivot on (core/result-observables.ts). */
  observables: z.array(ResultObservableSchema).max(MAX_RESULT_OBSERVABLES).optional(),
});
export type RunOutput = z.infer<typeof RunOutputSchema>;

export const ApprovalSchema = z.object({
  level: z.number().int().min(1).max(3),
  status: z.enum(['pending', 'approved', 'denied']),
  by: z.string().nullable(),
  at: z.string().nullable(),
  comment: z.string().nullable(),
});
export type Approval = z.infer<typeof ApprovalSchema>;

export const RunSchema = z.object({
  id: z.string(),
  actionId: z.string(),
  actionName: z.string(),
  status: RunStatusSchema,
  requestedBy: z.string(),
  /** Parameters as sent; encrypted and config-filled parameters are never included. */
  params: z.record(z.string(), z.string()),
  alarmId: z.string().nullable(),
  rowKey: z.string().nullable(),
  approvals: z.array(ApprovalSchema),
  output: RunOutputSchema.nullable(),
  /** Why the run failed, was denied, canceled or timed out, in plain words. */
  reason: z.string().nullable(),
  timing: z.object({
    createdAt: z.string(),
    startedAt: z.string().nullable(),
    finishedAt: z.string().nullable(),
    durationMs: z.number().nullable(),
  }),
  /**
   * The `idempotencyKey` the run was started with, when it was: the requester can tell that the
   * orchestrator kept the key, so a start sent again with it answers this run rather than start another.
   * Optional: orchestrators from before keys leave it out.
   */
  idempotencyKey: z.string().optional(),
});
export type Run = z.infer<typeof RunSchema>;

export const RunListSchema = z.object({ runs: z.array(RunSchema) });

/** What a watcher of a run cares about changing: its status and each approval level's state. */
export function runSignature(run: Pick<Run, 'status' | 'approvals'>): string {
  return `${run.status}|${run.approvals.map((approval) => `${approval.level}:${approval.status}`).join(',')}`;
}

/** Longest idempotency key a start may carry (the extension sends its job id, a UUID). */
export const IDEMPOTENCY_KEY_MAX_CHARS = 200;

/**
 * A start's idempotency key: the caller's own name for that one start, recorded before the request
 * leaves. Sent again (the answer was lost on the way, or the browser resent the request by itself), it is
 * answered with the run the first one started, never with a second run.
 */
export const IdempotencyKeySchema = z
  .string()
  .min(1)
  .max(IDEMPOTENCY_KEY_MAX_CHARS)
  .regex(/^[A-Za-z0-9._:-]+$/, 'letters, digits, ".", "_", ":" and "-" only');

/** Longest a start request may ask its answer to wait for the run's end (`StartRunRequest.wait`). */
export const START_WAIT_MAX_SECONDS = 10;

export const StartRunRequestSchema = z.object({
  actionId: z.string().min(1).max(300),
  /** Parameter id → value. Values are attacker-influenced: they go to the plugin as single argv entries. */
  params: z.record(z.string().max(200), z.string().max(100_000)),
  context: RowContextSchema,
  /**
   * Seconds the answer may wait for the run to end, so that a quick lookup's result comes with the answer
   * itself and the caller has nothing to do while the plugin runs. The answer comes when the run has
   * ended, at once when it waits for approval, or when the time is up with the run as it then stands.
   */
  wait: z.number().min(0).max(START_WAIT_MAX_SECONDS).optional(),
  /**
   * Makes the start safe to send again. A start whose key this caller used before is answered with the
   * run that one started (its answer waits as `wait` says, as for a new run); with another action, other
   * values or another row it is refused (409). Keys are the caller's own: another token's key is another key.
   */
  idempotencyKey: IdempotencyKeySchema.optional(),
});
export type StartRunRequest = z.infer<typeof StartRunRequestSchema>;

/** Most runs one `POST /api/v1/runs/many` starts (the extension sends a batch's rows in such requests). */
export const RUNS_MANY_MAX = 50;

/**
 * `POST /api/v1/runs/many` body: several starts in one request, each exactly a `POST /runs` body without
 * `wait` (a many-runs start never holds its answer), its `idempotencyKey` included. Each counts against
 * the token's rate limit as a request of its own.
 */
export const StartRunsRequestSchema = z.object({
  runs: z
    .array(StartRunRequestSchema.omit({ wait: true }))
    .min(1)
    .max(RUNS_MANY_MAX),
});
export type StartRunsRequest = z.infer<typeof StartRunsRequestSchema>;

export const ApprovalRequestSchema = z.object({
  decision: z.enum(['approve', 'deny']),
  comment: z.string().max(2000).default(''),
});
export type ApprovalRequest = z.infer<typeof ApprovalRequestSchema>;

export const HealthSchema = z.object({
  status: z.literal('ok'),
  /**
   * The orchestrator's version and how many actions it offers, for a caller with a valid token: a
   * scanner asking without one learns only that it is up, not which version to look up flaws for.
   */
  version: z.string().optional(),
  actions: z.number().int().optional(),
  /** Who the presented token belongs to, if one was presented and is valid. */
  user: z.object({ name: z.string(), roles: z.array(RoleSchema) }).nullable(),
  /**
   * When the audit trail is streamed to syslog, for a caller with a valid token: whether the receiver is
   * connected, and what awaits it.
   */
  syslog: z
    .object({
      connected: z.boolean(),
      /** Audit records not yet delivered to the receiver. */
      backlog: z.number().int().min(0),
      /** The last audit record the receiver is known to have. */
      deliveredThrough: z.number().int().min(0),
      /** The last audit record written to the receiver, delivered or not yet known to be. */
      sentThrough: z.number().int().min(0),
      lastError: z.string().optional(),
    })
    .optional(),
  /** With a valid token: what needs an admin's attention (plugin files changed outside Gridside). */
  alerts: z.array(AlertSchema).optional(),
});
export type Health = z.infer<typeof HealthSchema>;

/** Every non-2xx response. `field` names the offending request field for 400s. */
export const ApiErrorSchema = z.object({
  error: z.object({
    code: z.enum([
      'bad_request',
      'unauthorized',
      'forbidden',
      'not_found',
      'conflict',
      'payload_too_large',
      'rate_limited',
      'internal',
    ]),
    message: z.string(),
    field: z.string().optional(),
  }),
});
export type ApiError = z.infer<typeof ApiErrorSchema>;

/** `GET /api/v1/runs` query: run history, filtered (an alarm's runs, a row's runs, by status). */
export const RunListQuerySchema = z.object({
  alarmId: z.string().max(64).optional(),
  rowKey: z.string().max(100_000).optional(),
  status: RunStatusSchema.optional(),
  limit: z.coerce.number().int().min(1).max(500).default(50),
});
export type RunListQuery = z.infer<typeof RunListQuerySchema>;

/**
 * `GET /api/v1/runs/{id}` query (long-poll): `wait` holds the answer up to that many seconds, until the run
 * ends; with `seen` (the `runSignature` of the run the client last saw), until the run differs from it.
 */
export const RunWaitQuerySchema = z.object({
  wait: z.coerce.number().min(0).max(60).default(0),
  seen: z.string().max(200).optional(),
});
export type RunWaitQuery = z.infer<typeof RunWaitQuerySchema>;

/** Most runs one many-runs wait may name: a batch's size limit in the extension. */
export const RUNS_WAIT_MAX = 200;

/**
 * `POST /api/v1/runs/wait` body: one long poll for many runs (a batch's rows). Each run is named with the
 * `runSignature` of the run as the caller last saw it (`seen`; without it, only its end counts). The
 * answer comes when any of them differs from what was seen (an end or progress a moment later, with any
 * end meanwhile: orchestrator/runs-wait.ts), or after `wait` seconds; a POST because signatures hold commas and
 * a batch's ids would not fit a URL comfortably.
 */
export const RunsWaitRequestSchema = z.object({
  wait: z.number().min(0).max(60).default(0),
  runs: z
    .array(z.object({ id: z.string().min(1).max(200), seen: z.string().max(200).optional() }))
    .min(1)
    .max(RUNS_WAIT_MAX),
});
export type RunsWaitRequest = z.infer<typeof RunsWaitRequestSchema>;

/**
 * Answer to `POST /api/v1/runs/many`: one result per start, in the order sent, each what `POST /runs`
 * would have answered on its own: the run, or the HTTP status and error body it would have refused with.
 */
export const StartRunsAnswerSchema = z.object({
  results: z.array(
    z.union([
      z.object({ run: RunSchema }),
      z.object({ status: z.number().int().min(400).max(599), error: ApiErrorSchema.shape.error }),
    ]),
  ),
});
export type StartRunsAnswer = z.infer<typeof StartRunsAnswerSchema>;
