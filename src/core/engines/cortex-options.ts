import { z } from 'zod';

/** The observable data types Gridside offers analyzers for (TheHive's list minus file uploads). */
export const CORTEX_DATA_TYPES = [
  'ip',
  'domain',
  'fqdn',
  'url',
  'hash',
  'mail',
  'user-agent',
  'filename',
  'other',
] as const;
export type CortexDataType = (typeof CORTEX_DATA_TYPES)[number];

/** `entry.options` of a Cortex orchestrator entry (docs/connectors.md#cortex). */
export const CortexOptionsSchema = z.object({
  /** Traffic Light Protocol sent with each job (0 white … 3 red); Cortex refuses analyzers above their max TLP. */
  tlp: z.number().int().min(0).max(3).default(2),
  /** Permissible Actions Protocol (0–3). */
  pap: z.number().int().min(0).max(3).default(2),
  /** `?force=1`: bypass Cortex's job cache and always run the analyzer again. */
  force: z.boolean().default(false),
  /** Offer analyzers only for these data types (all by default). */
  dataTypes: z.array(z.enum(CORTEX_DATA_TYPES)).optional(),
  /** Offer only these analyzers (by id or name); all by default. */
  analyzers: z.array(z.string().min(1)).optional(),
  /** How long one poll waits for the report on the Cortex side (`waitreport?atMost=`). */
  waitSeconds: z.number().int().min(0).max(60).default(5),
  /** Analyzers are read-only: their results are cached this long. */
  cacheTtlSeconds: z.number().int().min(0).max(86_400).default(3600),
  /** How long a run may take before Gridside gives up. */
  timeoutSeconds: z.number().int().positive().max(86_400).default(600),
  requestTimeoutSeconds: z.number().int().positive().max(600).default(30),
});
export type CortexOptions = z.infer<typeof CortexOptionsSchema>;
