import { AlarmPoll } from './alarm-poll.ts';
import type { AuditLog } from './audit.ts';
import {
  ConfigError,
  type ConfiguredValue,
  type OrchestratorConfig,
  resolveConfiguredValue,
} from './config.ts';
import type { RunService } from './runs.ts';
import type { Db } from './store.ts';
import type { TriggerRouteDeps } from './trigger-routes.ts';
import { TriggerStore } from './trigger-store.ts';
import { TriggerService } from './triggers.ts';

/**
 * Builds the triggers from the config's `triggers` section: the rule engine, the webhook's secret and the
 * Alarm API poll. Configuration mistakes (a secret too short, a rule naming no loaded action) stop the
 * start or are said on stderr, like the rest of the config's.
 */

export interface Triggers {
  routes: Omit<TriggerRouteDeps, 'authenticate'>;
  /** Starts the poll (after the server listens); does nothing without one. */
  startPolling(): void;
  stop(): Promise<void>;
}

function required(value: ConfiguredValue, env: NodeJS.ProcessEnv, what: string, min: number): string {
  const resolved = resolveConfiguredValue(value, env);
  if (resolved === undefined || resolved.length < min) {
    const from = 'env' in value ? `the environment variable ${value.env}` : 'its value';
    throw new ConfigError(`triggers: ${what}: ${from} is unset or shorter than ${min} characters`);
  }
  return resolved;
}

export function startTriggers(o: {
  config: OrchestratorConfig;
  db: Db;
  runs: RunService;
  audit: AuditLog;
  env: NodeJS.ProcessEnv;
}): Triggers | undefined {
  const section = o.config.triggers;
  if (!section) return undefined;
  const store = new TriggerStore(o.db);
  const triggers = new TriggerService({ rules: section.rules, runs: o.runs, store, audit: o.audit });
  const tokenNames = new Set(o.config.tokens.map((token) => token.name));
  for (const rule of section.rules) {
    if (!o.runs.catalog().has(rule.action))
      process.stderr.write(
        `gridside-orchestrator: trigger rule "${rule.name}" names action "${rule.action}", which no loaded plugin has\n`,
      );
    // The author is matched by token name when an approver decides: a typo would let them approve.
    if (rule.author !== undefined && !tokenNames.has(rule.author))
      process.stderr.write(
        `gridside-orchestrator: trigger rule "${rule.name}" names author "${rule.author}", which is no token's name\n`,
      );
  }
  const webhook = section.webhook && {
    secret: required(section.webhook.secret, o.env, 'webhook.secret', 16),
    toleranceSeconds: section.webhook.toleranceSeconds,
    perMinute: section.webhook.perMinute,
  };
  const poll =
    section.logrhythmPoll &&
    new AlarmPoll({
      config: section.logrhythmPoll,
      token: required(section.logrhythmPoll.token, o.env, 'logrhythmPoll.token', 1),
      triggers,
      store,
      audit: o.audit,
    });
  return {
    routes: { triggers, store, ...(webhook ? { webhook } : {}) },
    startPolling: () => poll?.start(),
    stop: async () => {
      await poll?.stop();
    },
  };
}
