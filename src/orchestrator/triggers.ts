import type { Run, Taxonomy, VerdictLevel } from '../core/api.ts';
import type { RowKind } from '../core/row-context.ts';
import type { EventAccepted, TriggeredRun, TriggeredRuns } from '../core/triggers-api.ts';
import { type AuditLog, canonicalJson } from './audit.ts';
import type { Caller } from './auth.ts';
import { HttpError } from './http-error.ts';
import { ParamError, resolveVisibleParams } from './params.ts';
import type { RunService } from './runs.ts';
import type { TriggerRule } from './trigger-config.ts';
import type { TriggerEvent } from './trigger-event.ts';
import { mismatch, PatternCache } from './trigger-match.ts';
import type { TriggerStore } from './trigger-store.ts';

/**
 * Turns events into runs (docs/orchestrator.md, "Triggers"). A matching rule requests its action exactly
 * as an analyst would, through RunService.request: the parameters bind from the event's fields like a
 * row's, side-effect actions wait for approval, the global concurrency limit queues the rest, and the
 * audit trail names the rule as the requester. On top of that a trigger runs the same action with the
 * same values at most once per dedupe window (a later alarm with the same values is linked to the run
 * that already exists) and at most `perMinute` times a minute per rule.
 */

export const requesterOf = (rule: Pick<TriggerRule, 'name'>): string => `rule "${rule.name}"`;

const SEVERITY: Record<VerdictLevel, number> = { info: 0, safe: 1, suspicious: 2, malicious: 3 };

/** The most severe taxonomy of a run's output: its verdict chip. */
export function worstTaxonomy(run: Pick<Run, 'output'>): Taxonomy | undefined {
  let worst: Taxonomy | undefined;
  for (const taxonomy of run.output?.taxonomies ?? []) {
    if (!worst || SEVERITY[taxonomy.level] > SEVERITY[worst.level]) worst = taxonomy;
  }
  return worst;
}

export class TriggerService {
  private readonly patterns = new PatternCache();
  /** Per rule: when its recent runs started (the per-minute limit). */
  private readonly started = new Map<string, number[]>();
  /** Events are handled one after another, so two copies of one alarm cannot both pass the dedupe check. */
  private chain: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly o: {
      rules: readonly TriggerRule[];
      runs: RunService;
      store: TriggerStore;
      audit: AuditLog;
      now?: () => number;
    },
  ) {}

  private now(): number {
    return this.o.now?.() ?? Date.now();
  }

  /** The author of the rule that requested a run (`requestedBy`), when the config names one. */
  authorOf(requestedBy: string): string | undefined {
    return this.o.rules.find((rule) => requesterOf(rule) === requestedBy)?.author;
  }

  handle(event: TriggerEvent): Promise<EventAccepted> {
    const next = this.chain.then(() => this.handleNow(event));
    this.chain = next.catch(() => undefined);
    return next;
  }

  private async handleNow(event: TriggerEvent): Promise<EventAccepted> {
    const accepted: EventAccepted = { key: { kind: event.kind, value: event.key }, runs: [], skipped: [] };
    for (const rule of this.o.rules) {
      const why = mismatch(rule.match, event, this.patterns);
      if (why !== null) continue; // not this rule's business: nothing to record
      const outcome = await this.fire(rule, event);
      if ('reason' in outcome) accepted.skipped.push({ rule: rule.name, reason: outcome.reason });
      else accepted.runs.push({ rule: rule.name, runId: outcome.run.id, status: outcome.run.status });
    }
    return accepted;
  }

  private async fire(rule: TriggerRule, event: TriggerEvent): Promise<{ run: Run } | { reason: string }> {
    const skip = (reason: string) => {
      this.o.audit.append({
        actor: requesterOf(rule),
        event: 'trigger.skipped',
        actionId: rule.action,
        outcome: `${event.kind} ${event.key} from ${event.source}: ${reason}`,
      });
      return { reason };
    };
    const entry = this.o.runs.catalog().get(rule.action);
    if (!entry) return skip(`no action "${rule.action}" is loaded`);
    if (entry.action.sideEffects && entry.action.approval.levels === 0) {
      return skip('the action has side effects and no approval policy; a trigger may not run it unasked');
    }
    let values: Record<string, string>;
    try {
      values = resolveVisibleParams(entry, {}, event.context);
    } catch (error) {
      if (error instanceof ParamError) return skip(error.message);
      throw error;
    }
    const now = this.now();
    const valuesKey = canonicalJson(values);
    const row = { kind: event.kind, rowKey: event.key };
    const earlier = this.o.store.recentRun(rule.action, valuesKey, now - rule.dedupeSeconds * 1000);
    if (earlier) {
      // Same action, same values, within the window: this row shows that run's result instead.
      this.o.store.recordRun({
        runId: earlier,
        rule: rule.name,
        actionId: rule.action,
        valuesKey,
        ...row,
        at: now,
      });
      return skip(`the same values ran within ${rule.dedupeSeconds} s (run ${earlier})`);
    }
    const recent = (this.started.get(rule.name) ?? []).filter((at) => at > now - 60_000);
    this.started.set(rule.name, recent);
    if (recent.length >= rule.perMinute) return skip(`the rule's limit of ${rule.perMinute} runs a minute`);

    const caller: Caller = {
      name: requesterOf(rule),
      roles: entry.action.roles,
      key: `rule:${rule.name}`,
      rateLimitPerMinute: rule.perMinute,
    };
    let run: Run;
    try {
      run = await this.o.runs.request(caller, { actionId: rule.action, params: {}, context: event.context });
    } catch (error) {
      if (error instanceof HttpError) return skip(error.message);
      throw error;
    }
    recent.push(now);
    this.o.store.recordRun({
      runId: run.id,
      rule: rule.name,
      actionId: rule.action,
      valuesKey,
      ...row,
      at: now,
    });
    this.o.audit.append({
      actor: requesterOf(rule),
      event: 'trigger.fired',
      runId: run.id,
      actionId: rule.action,
      outcome: `${event.kind} ${event.key} from ${event.source}: ${run.status}`,
    });
    return { run };
  }

  /** The newest triggered run of each row asked about (rows without one are left out). */
  latest(rows: ReadonlyArray<{ kind: RowKind; key: string }>): TriggeredRuns {
    const answer: TriggeredRuns = { rows: {} };
    for (const row of rows) {
      const record = this.o.store.latestForRow(row.kind, row.key);
      const run = record && this.o.runs.view(record.runId);
      if (!record || !run) continue;
      const worst = worstTaxonomy(run);
      const mark: TriggeredRun = {
        runId: run.id,
        rule: record.rule,
        actionName: run.actionName,
        status: run.status,
        verdict: worst?.level ?? null,
        summary: worst ? `${worst.namespace}:${worst.predicate}=${worst.value}` : null,
        createdAt: new Date(record.createdAt).toISOString(),
      };
      answer.rows[`${row.kind}:${row.key}`] = mark;
    }
    return answer;
  }
}
