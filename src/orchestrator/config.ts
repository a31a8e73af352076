import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { ApprovalPolicySchema, RoleSchema } from '../core/api.ts';
import { isKnownTimeZone } from '../core/srp/console-date.ts';
import { AuditAnchorConfigSchema } from './audit-anchor.ts';
import { type ConfiguredValue, ConfiguredValueSchema } from './configured-value.ts';
import { withEncodedForms } from './redact.ts';
import { RunAsConfigSchema } from './run-as.ts';
import {
  MetricsConfigSchema,
  RetentionConfigSchema,
  SyslogConfigSchema,
  TlsConfigSchema,
} from './service-config.ts';
import { TriggersConfigSchema } from './trigger-config.ts';

/**
 * The orchestrator's configuration file (docs/orchestrator.md). It is the only place secrets live:
 * encrypted SRP parameters and environment-specific parameters are filled from here (or from the
 * environment variables named here), never from a request and never into a response.
 */

export { type ConfiguredValue, ConfiguredValueSchema };

export const TokenConfigSchema = z
  .object({
    /** Who this token belongs to; shown as `requestedBy` / approval `by` and in the audit log. */
    name: z.string().min(1).max(100),
    roles: z.array(RoleSchema).min(1),
    /** The bearer token itself, or its sha256 (hex), or an environment variable holding it. */
    token: z.string().min(16).optional(),
    sha256: z
      .string()
      .regex(/^[0-9a-f]{64}$/i)
      .optional(),
    env: z.string().min(1).optional(),
    /** Overrides `rateLimit.perMinute` for this token. */
    rateLimitPerMinute: z.number().int().positive().optional(),
  })
  .strict()
  .refine((t) => [t.token, t.sha256, t.env].filter((v) => v !== undefined).length === 1, {
    message: 'give exactly one of token, sha256 or env',
  });
export type TokenConfig = z.infer<typeof TokenConfigSchema>;

/** Per-action settings; anything left out falls back to `defaults`. */
export const ActionConfigSchema = z
  .object({
    description: z.string().optional(),
    roles: z.array(RoleSchema).min(1).optional(),
    approval: ApprovalPolicySchema.optional(),
    /** `false` declares the action read-only: the extension may cache its result for `cacheTtlSeconds`. */
    sideEffects: z.boolean().optional(),
    cacheTtlSeconds: z.number().int().min(0).optional(),
    timeoutSeconds: z.number().int().positive().max(86_400).optional(),
    /** Parameter id (or SRP Name) → value the orchestrator fills in. */
    params: z.record(z.string(), ConfiguredValueSchema).default({}),
  })
  .strict();
export type ActionConfig = z.infer<typeof ActionConfigSchema>;

export const OrchestratorConfigSchema = z
  .object({
    /** Where extracted `.lpi` packages and the default database live. Relative to the config file. */
    dataDir: z.string().optional(),
    tokens: z.array(TokenConfigSchema).min(1),
    /** Runs executing at once; the rest wait as `queued`. */
    concurrency: z.number().int().min(1).max(64).default(4),
    /** Bytes of stdout and of stderr kept per run; the rest is dropped and the run says `truncated`. */
    outputCapBytes: z
      .number()
      .int()
      .min(1024)
      .default(1024 * 1024),
    /** Largest request body accepted (413 above). */
    bodyLimitBytes: z
      .number()
      .int()
      .min(1024)
      .default(1024 * 1024),
    rateLimit: z.object({ perMinute: z.number().int().positive().default(600) }).default({ perMinute: 600 }),
    /** After SIGTERM to a plugin's process group, how long before SIGKILL. */
    killGraceMs: z.number().int().min(0).max(60_000).default(2000),
    /**
     * SRP `Command` (matched by basename, case-insensitive: `C:\…\powershell.exe` matches `powershell.exe`)
     * → executable on this host. `node` maps to this Node binary unless overridden.
     */
    interpreters: z.record(z.string(), z.string()).default({}),
    /** When started as root: the unprivileged account plugins run as (run-as.ts, docs/security.md). */
    runAs: RunAsConfigSchema.optional(),
    /** Started as root without `runAs`: run plugins as root anyway (same as `--allow-root-plugins`). */
    allowRootPlugins: z.boolean().default(false),
    /**
     * The zone the consoles show dates in when a date carries none (LogRhythm: `2019-06-20 12:27:03`);
     * IANA or Windows name. Read the same on every host, whatever the host's own zone.
     */
    consoleTimeZone: z
      .string()
      .default('UTC')
      .refine(isKnownTimeZone, { message: 'not a time zone name this host knows (IANA or Windows)' }),
    /** Signed checkpoints of the audit trail, kept outside the database (audit-anchor.ts). */
    auditAnchor: AuditAnchorConfigSchema.optional(),
    /** Start even though the `runAs` user can read this file (a demo config whose tokens are public). */
    allowReadableConfig: z.boolean().default(false),
    /** Environment variables passed to plugins besides PATH, SystemRoot, TEMP/TMP/TMPDIR and LANG. */
    passEnv: z.array(z.string().min(1)).default([]),
    defaults: z
      .object({
        roles: z.array(RoleSchema).min(1).default(['analyst', 'approver', 'admin']),
        timeoutSeconds: z.number().int().positive().default(60),
      })
      .default({ roles: ['analyst', 'approver', 'admin'], timeoutSeconds: 60 }),
    /** Public keys whose plugin signatures are trusted (docs/orchestrator.md, "Signed plugins"). */
    trustedKeys: z
      .array(
        z
          .object({
            name: z.string().min(1).max(100),
            publicKey: z.string().regex(/^ed25519:[A-Za-z0-9+/]{43}=$/, 'write the key as ed25519:BASE64'),
          })
          .strict(),
      )
      .default([]),
    /** Refuse unsigned plugins and plugins signed by keys not in `trustedKeys`, at import and at every run. */
    requireSignatures: z.boolean().default(false),
    /** Largest plugin package an admin may upload (POST /api/v1/plugins). */
    pluginUploadLimitBytes: z
      .number()
      .int()
      .min(1024)
      .default(20 * 1024 * 1024),
    /** File-integrity watch of the plugin folders: seconds between full rescans (besides change events). */
    integrityRescanSeconds: z.number().min(0.2).max(86_400).default(60),
    /** Plugin id → values shared by all its actions (an API key used by every action, say). */
    plugins: z
      .record(
        z.string(),
        z.object({ params: z.record(z.string(), ConfiguredValueSchema).default({}) }).strict(),
      )
      .default({}),
    /** `<pluginId>/<actionId>` → settings. */
    actions: z.record(z.string(), ActionConfigSchema).default({}),
    /** Serve HTTPS (service-config.ts, docs/deploy.md). */
    tls: TlsConfigSchema.optional(),
    /** Stream every audit record to a syslog receiver. */
    syslog: SyslogConfigSchema.optional(),
    metrics: MetricsConfigSchema.default({ tokens: [] }),
    /** Drop old run outputs; the audit trail is never touched. */
    retention: RetentionConfigSchema.optional(),
    /** Event sources and the rules that run actions when an event matches (trigger-config.ts). */
    triggers: TriggersConfigSchema.optional(),
  })
  .strict();
export type OrchestratorConfig = z.infer<typeof OrchestratorConfigSchema>;

export class ConfigError extends Error {}

export function parseConfig(raw: unknown, source = 'config'): OrchestratorConfig {
  const parsed = OrchestratorConfigSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue?.path.join('.') || '(root)';
    throw new ConfigError(`${source}: ${where}: ${issue?.message ?? 'invalid'}`);
  }
  return parsed.data;
}

export function loadConfigFile(file: string): OrchestratorConfig {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new ConfigError(`${file}: cannot read JSON (${(error as Error).message})`);
  }
  return parseConfig(raw, file);
}

/** Resolves a configured value now; an unset environment variable yields `undefined`. */
export function resolveConfiguredValue(value: ConfiguredValue, env: NodeJS.ProcessEnv): string | undefined {
  return 'value' in value ? value.value : env[value.env];
}

/**
 * Every value the config supplies to plugins, as it reads now: what is kept out of the audit trail and out
 * of output recovered after a restart (whose action may be gone by then), with their encoded forms.
 * Values under four characters are left out: they would match by coincidence everywhere.
 */
export function configuredSecrets(config: OrchestratorConfig, env: NodeJS.ProcessEnv): string[] {
  return withEncodedForms(
    [
      ...Object.values(config.plugins).flatMap((p) => Object.values(p.params)),
      ...Object.values(config.actions).flatMap((a) => Object.values(a.params)),
    ]
      .map((value) => resolveConfiguredValue(value, env))
      .filter((value): value is string => value !== undefined && value.length >= 4),
  );
}
