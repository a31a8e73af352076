import type { TriggerMatch } from './trigger-config.ts';
import type { TriggerEvent } from './trigger-event.ts';

/**
 * Whether an event matches a rule's `match`: every condition given must hold (an empty match takes every
 * event). Returns why not, in words for the audit trail, or `null` when it matches.
 */
export function mismatch(match: TriggerMatch, event: TriggerEvent, patterns: PatternCache): string | null {
  const named = (list: readonly string[], rule: { name?: string; id?: string }): boolean =>
    list.some((entry) => entry === rule.id || entry.toLowerCase() === rule.name?.toLowerCase());
  if (match.sources && !match.sources.includes(event.source)) return `source ${event.source} not listed`;
  if (match.alarmRules && !named(match.alarmRules, event.alarmRule)) return 'alarm rule not listed';
  if (match.aieRules && !named(match.aieRules, event.aieRule)) return 'AI Engine rule not listed';
  if (match.minRisk !== undefined && !((event.risk ?? -1) >= match.minRisk))
    return `risk below ${match.minRisk}`;
  if (match.minPriority !== undefined && !((event.priority ?? -1) >= match.minPriority))
    return `priority below ${match.minPriority}`;
  const fields = event.context.fields;
  for (const name of match.present ?? []) {
    if (!fields[name]) return `no ${name}`;
  }
  for (const [name, pattern] of Object.entries(match.fields ?? {})) {
    const value = fields[name];
    if (value === undefined || !patterns.get(pattern).test(value)) return `${name} does not match`;
  }
  return null;
}

/** Compiled field patterns, once per pattern text (the config validated them). */
export class PatternCache {
  private readonly compiled = new Map<string, RegExp>();
  get(pattern: string): RegExp {
    let regex = this.compiled.get(pattern);
    if (!regex) {
      regex = new RegExp(pattern);
      this.compiled.set(pattern, regex);
    }
    return regex;
  }
}
