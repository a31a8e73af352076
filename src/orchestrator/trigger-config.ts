import { z } from 'zod';
import { ConfiguredValueSchema } from './configured-value.ts';

/**
 * The `triggers` section of the orchestrator config (docs/orchestrator.md, "Triggers"): the event sources
 * (a signed webhook, a LogRhythm Alarm API poll) and the rules that turn a matching event into a run.
 */

const RegexSchema = z.string().refine(
  (text) => {
    try {
      new RegExp(text);
      return true;
    } catch {
      return false;
    }
  },
  { message: 'not a valid regular expression' },
);

export const TriggerMatchSchema = z
  .object({
    /** Alarm rule names or ids (an id as a number or its digits); the event's alarm rule must be one. */
    alarmRules: z
      .array(z.union([z.string().min(1), z.number().int()]).transform(String))
      .min(1)
      .optional(),
    /** AI Engine rule names or ids. */
    aieRules: z
      .array(z.union([z.string().min(1), z.number().int()]).transform(String))
      .min(1)
      .optional(),
    /** The alarm's risk-based priority (AlarmRbp) is at least this. */
    minRisk: z.number().min(0).max(100).optional(),
    /** The log's priority (Priority) is at least this. */
    minPriority: z.number().min(0).max(100).optional(),
    /** Canonical fields the event must carry (non-empty). */
    present: z.array(z.string().min(1)).min(1).optional(),
    /** Canonical field → regular expression its value must match. */
    fields: z.record(z.string().min(1), RegexSchema).optional(),
    /** Event sources (`logrhythm-poll`, or the `source` a posted event names). */
    sources: z.array(z.string().min(1)).min(1).optional(),
  })
  .strict();
export type TriggerMatch = z.infer<typeof TriggerMatchSchema>;

export const TriggerRuleSchema = z
  .object({
    /** Shown as the run's requester (`rule "<name>"`) and in the audit trail. */
    name: z.string().min(1).max(100),
    /** Token name of who wrote the rule: they may not approve the runs it starts. */
    author: z.string().min(1).max(100).optional(),
    /** `<pluginId>/<actionId>`: bound from the event's fields like a row's. */
    action: z.string().min(1),
    match: TriggerMatchSchema.default({}),
    /** The same action with the same values runs at most once within this many seconds. */
    dedupeSeconds: z.number().int().min(0).default(3600),
    /** Runs this rule may start per minute; events beyond it are skipped and audited. */
    perMinute: z.number().int().positive().default(60),
  })
  .strict();
export type TriggerRule = z.infer<typeof TriggerRuleSchema>;

export const WebhookConfigSchema = z
  .object({
    /** The shared HMAC-SHA256 secret (at least 16 characters once resolved). */
    secret: ConfiguredValueSchema,
    /** How far the timestamp header may be from now; older (or replayed) requests are refused. */
    toleranceSeconds: z.number().int().min(5).max(3600).default(300),
    /** Requests a minute per sending address, signed or not; beyond it 429 (audited once a minute). */
    perMinute: z.number().int().positive().default(600),
  })
  .strict();

export const AlarmPollConfigSchema = z
  .object({
    /** The LogRhythm API base, e.g. `https://lr-api.example.com:8501`; `/lr-alarm-api/...` is added. */
    url: z.url({ protocol: /^https?$/ }),
    /** The LogRhythm API token (a bearer token). */
    token: ConfiguredValueSchema,
    intervalSeconds: z.number().int().min(1).max(86_400).default(60),
    /** Alarms asked for per request. */
    pageSize: z.number().int().min(1).max(1000).default(100),
    /** Where the first poll starts (ISO date); later polls continue from the stored cursor. */
    since: z.iso.datetime({ local: true, offset: true }).optional(),
    timeoutSeconds: z.number().int().min(1).max(300).default(30),
  })
  .strict();
export type AlarmPollConfig = z.infer<typeof AlarmPollConfigSchema>;

export const TriggersConfigSchema = z
  .object({
    webhook: WebhookConfigSchema.optional(),
    logrhythmPoll: AlarmPollConfigSchema.optional(),
    rules: z.array(TriggerRuleSchema).default([]),
  })
  .strict()
  .refine((t) => new Set(t.rules.map((rule) => rule.name)).size === t.rules.length, {
    message: 'two trigger rules share a name',
  });
export type TriggersConfig = z.infer<typeof TriggersConfigSchema>;
