import { z } from 'zod';
import { RunStatusSchema, VerdictLevelSchema } from '../api.ts';

/**
 * `entry.options` of a webhook orchestrator entry: Tines, n8n, Shuffle, Logic Apps or any HTTP trigger
 * (docs/connectors.md#webhook-presets has a preset for each). The auth header's value is the entry's secret,
 * kept in the background's secret store, never in these options.
 */

const pointer = z.string().regex(/^(\/.*)?$/, 'must be a JSON pointer such as /data/verdict');

export const WebhookParamSchema = z.object({
  id: z.string().min(1).max(100),
  name: z.string().optional(),
  /** Canonical row field that fills it by default. */
  field: z.string().optional(),
  static: z.string().optional(),
  required: z.boolean().default(false),
});

export const WebhookActionSchema = z
  .object({
    id: z.string().regex(/^[A-Za-z0-9_.-]{1,80}$/, 'letters, digits, . _ - only'),
    name: z.string().min(1),
    description: z.string().default(''),
    /** A path on the entry's origin (`/webhook/enrich`) or an absolute URL on that origin. May use {{secret}}. */
    url: z.string().min(1),
    method: z.enum(['POST', 'PUT', 'GET']).default('POST'),
    /** Non-secret headers only. */
    headers: z.record(z.string(), z.string()).default({}),
    /** Header that carries the entry's secret, e.g. `Authorization` or `X-N8N-Auth`. */
    authHeader: z.string().optional(),
    /** Put before the secret in that header, e.g. `Bearer `. */
    authPrefix: z.string().default(''),
    /** JSON body with {{SIP}}, {{param.x}}, {{row.labels.Origin IP}}, {{row.alarmId}} … placeholders. */
    bodyTemplate: z.unknown().default({}),
    /** Parameters the analyst can edit; `{{FIELD}}` placeholders add one bound to that field automatically. */
    params: z.array(WebhookParamSchema).default([]),
    /** `sync`: the response is the result. `poll`: the response names a run to poll. */
    mode: z.enum(['sync', 'poll']).default('sync'),
    /** Pointer to the poll URL (absolute or path) or the run id in the start response. */
    pollUrlPath: pointer.optional(),
    /** When `pollUrlPath` gives an id: the poll URL, with {{run.id}}. */
    pollUrlTemplate: z.string().optional(),
    pollMethod: z.enum(['GET', 'POST']).default('GET'),
    /** Body for POST polls (Shuffle), with {{run.id}} and captured values. */
    pollBodyTemplate: z.unknown().optional(),
    /** Extra values to keep from the start response for polling: name → pointer. */
    pollCapture: z.record(z.string().regex(/^[A-Za-z0-9_]+$/), pointer).default({}),
    /** Pointer to the status word in a poll response. */
    statusPath: pointer.optional(),
    /** Engine status word → Gridside status; case-insensitive, added to the common words. */
    statusMap: z.record(z.string(), RunStatusSchema).default({}),
    outputMapping: z
      .object({
        textPath: pointer.optional(),
        verdictPath: pointer.optional(),
        /** Engine verdict word → chip level. */
        levelMap: z.record(z.string(), VerdictLevelSchema).default({}),
        dataPath: pointer.optional(),
      })
      .default({ levelMap: {} }),
    /** Read-only lookups may be cached; anything else counts as acting. */
    readOnly: z.boolean().default(false),
    cacheTtlSeconds: z.number().int().min(0).max(86_400).default(600),
    timeoutSeconds: z.number().int().positive().max(86_400).default(300),
  })
  .refine((a) => a.mode === 'sync' || (a.pollUrlPath !== undefined && a.statusPath !== undefined), {
    message: 'poll mode needs pollUrlPath and statusPath',
    path: ['mode'],
  });
export type WebhookAction = z.infer<typeof WebhookActionSchema>;

export const WebhookOptionsSchema = z.object({
  actions: z.array(WebhookActionSchema).default([]),
  /** A GET path used by "Test connection" (e.g. n8n `/healthz`); none by default. */
  testPath: z.string().optional(),
  requestTimeoutSeconds: z.number().int().positive().max(600).default(60),
});
export type WebhookOptions = z.infer<typeof WebhookOptionsSchema>;

/** Status words most webhook engines use, so a statusMap is only needed for the unusual ones. */
export const COMMON_STATUS_WORDS: Record<string, z.infer<typeof RunStatusSchema>> = {
  queued: 'queued',
  pending: 'queued',
  waiting: 'queued',
  running: 'running',
  executing: 'running',
  in_progress: 'running',
  inprogress: 'running',
  started: 'running',
  success: 'succeeded',
  succeeded: 'succeeded',
  successful: 'succeeded',
  finished: 'succeeded',
  completed: 'succeeded',
  done: 'succeeded',
  failed: 'failed',
  failure: 'failed',
  error: 'failed',
  aborted: 'canceled',
  canceled: 'canceled',
  cancelled: 'canceled',
  timeout: 'timed_out',
  timedout: 'timed_out',
  timed_out: 'timed_out',
};
