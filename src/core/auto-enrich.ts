import { z } from 'zod';
import { isPublicIp } from './public-ip.ts';
import { RowContextSchema } from './row-context.ts';

/**
 * In-grid auto-enrichment (docs/auto-enrichment.md): per console, rules of the form "when a row on screen
 * has field F (e.g. a public SIP), run read-only action X for it", so the verdict is beside the row before
 * the analyst clicks. Off by default. The content script only proposes the rows on screen once a scroll
 * rests; the worker decides everything else (the rules, read-only check, cache, dedupe, budget, cap).
 */

/** What a rule asks of the field's value. */
export const AutoEnrichConditionSchema = z.enum(['public-ip', 'present']);
export type AutoEnrichCondition = z.infer<typeof AutoEnrichConditionSchema>;

export const AutoEnrichRuleSchema = z.object({
  /** Canonical field (`SIP`, `DIP`, `Hash`…). */
  field: z.string().min(1).max(64),
  when: AutoEnrichConditionSchema.default('present'),
  /** An action of the default orchestrator; runs only while its catalog says it is read-only. */
  actionId: z.string().min(1).max(300),
});
export type AutoEnrichRule = z.infer<typeof AutoEnrichRuleSchema>;

export const AUTO_ENRICH_DEFAULTS = { perMinute: 30, concurrency: 2 } as const;

export const AutoEnrichConsoleSchema = z.object({
  /** The popup's switch: rules stay saved while it is off. */
  enabled: z.boolean().default(false),
  rules: z.array(AutoEnrichRuleSchema).max(10).default([]),
  /** Runs actually sent to the orchestrator per minute for this console (cached answers are free). */
  perMinute: z.number().int().min(1).max(600).default(AUTO_ENRICH_DEFAULTS.perMinute),
  /** Runs of this console's auto-enrichment going at once. */
  concurrency: z.number().int().min(1).max(10).default(AUTO_ENRICH_DEFAULTS.concurrency),
});
export type AutoEnrichConsole = z.infer<typeof AutoEnrichConsoleSchema>;

/** Console origin → its auto-enrichment. */
export const AutoEnrichSettingsSchema = z.record(z.string(), AutoEnrichConsoleSchema);

export function matchesRule(rule: Pick<AutoEnrichRule, 'when'>, value: string | undefined): boolean {
  if (value === undefined || value.trim() === '') return false;
  return rule.when === 'public-ip' ? isPublicIp(value) : true;
}

const CONDITION_WORDS: Record<AutoEnrichCondition, string> = {
  'public-ip': 'is a public IP',
  present: 'has a value',
};

/** "SIP is a public IP → IP Reputation": how a rule is named on the chip, in the popup and in options. */
export function ruleWords(rule: AutoEnrichRule, actionName = rule.actionId): string {
  return `${rule.field} ${CONDITION_WORDS[rule.when]} → ${actionName}`;
}

/** Most rows one proposal carries: the rows a screen shows (as the row marks ask). */
export const MAX_PROPOSED_ROWS = 200;

/** Content script → worker: the rows on screen now, with only the fields the rules read. */
export const AutoEnrichProposeSchema = z.object({
  type: z.literal('auto.propose'),
  rows: z.array(RowContextSchema).max(MAX_PROPOSED_ROWS),
});

/** `auto.fields`: the fields this console's rules read; empty when auto-enrichment is off or has no rules. */
export interface AutoEnrichFields {
  fields: string[];
}

/** `auto.propose`'s answer. */
export interface AutoEnrichProposal {
  /** Runs sent to the orchestrator for this proposal. */
  started: number;
  /** Rows answered from the result cache, or joined to a run another row with the same values has. */
  shared: number;
  /** Rows that must wait for the minute's budget or a free run slot. */
  waiting: number;
  /** When to propose again for the waiting rows; `null` when none wait. */
  retryAfterMs: number | null;
}

/** What the popup shows and switches (`auto.get`, `auto.set`). */
export const AutoEnrichStatusSchema = z.object({
  origin: z.string(),
  /** At least one rule is saved for this console. */
  configured: z.boolean(),
  enabled: z.boolean(),
  rules: z.array(z.string()),
  /** Runs sent in the last minute, of `perMinute`. */
  spent: z.number().int().min(0),
  perMinute: z.number().int().min(0),
  running: z.number().int().min(0),
  concurrency: z.number().int().min(0),
});
export type AutoEnrichStatus = z.infer<typeof AutoEnrichStatusSchema>;
