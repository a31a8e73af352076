import { z } from 'zod';

/**
 * The config sections that make the orchestrator a service: TLS for the API, the syslog stream of the
 * audit trail, the `/metrics` tokens and the run-output retention policy (docs/deploy.md). File paths are
 * relative to the config file.
 */

export const TlsConfigSchema = z
  .object({
    /** PEM certificate chain the orchestrator presents. */
    cert: z.string().min(1),
    /** PEM private key for `cert`. */
    key: z.string().min(1),
    /** PEM CA bundle: when set, every client must present a certificate signed by it. */
    ca: z.string().min(1).optional(),
  })
  .strict();
export type TlsConfig = z.infer<typeof TlsConfigSchema>;

export const SyslogConfigSchema = z
  .object({
    host: z.string().min(1),
    port: z.number().int().min(1).max(65535),
    /** Speak TLS to the receiver (RFC 5425); `ca` to trust a private CA, `cert`/`key` for a client cert. */
    tls: z
      .object({
        ca: z.string().min(1).optional(),
        cert: z.string().min(1).optional(),
        key: z.string().min(1).optional(),
        /** Name to check the receiver's certificate against, when `host` is an address. */
        servername: z.string().min(1).optional(),
      })
      .strict()
      .optional(),
    /** HOSTNAME field of each message; default: this machine's host name. */
    hostname: z.string().min(1).max(255).optional(),
    appName: z.string().min(1).max(48).default('gridside-orchestrator'),
    /** Longest wait between reconnection attempts while the receiver is down. */
    maxRetryMs: z.number().int().min(100).max(300_000).default(10_000),
    /**
     * How long a record must have been written on a connection that stays up before it counts as
     * delivered; after a reset, records written more recently are sent again (syslog-forwarder.ts).
     */
    settleMs: z.number().int().min(0).max(600_000).default(2000),
  })
  .strict();
export type SyslogConfig = z.infer<typeof SyslogConfigSchema>;

/** A token that may read `/metrics` and nothing else (besides admin tokens). */
export const MetricsTokenSchema = z
  .object({
    name: z.string().min(1).max(100),
    token: z.string().min(16).optional(),
    sha256: z
      .string()
      .regex(/^[0-9a-f]{64}$/i)
      .optional(),
    env: z.string().min(1).optional(),
  })
  .strict()
  .refine((t) => [t.token, t.sha256, t.env].filter((v) => v !== undefined).length === 1, {
    message: 'give exactly one of token, sha256 or env',
  });

export const MetricsConfigSchema = z.object({ tokens: z.array(MetricsTokenSchema).default([]) }).strict();

export const RetentionConfigSchema = z
  .object({
    /** Outputs of runs that ended longer ago than this are dropped. */
    maxAgeDays: z.number().positive().optional(),
    /** Oldest outputs are dropped until all kept outputs together are no larger than this. */
    maxTotalBytes: z.number().int().positive().optional(),
    /** How often the policy is applied while the orchestrator runs (it is also applied at start). */
    everyMinutes: z.number().positive().default(60),
  })
  .strict();
export type RetentionConfig = z.infer<typeof RetentionConfigSchema>;
