import { z } from 'zod';

/** `entry.options` of a StackStorm orchestrator entry (docs/connectors.md#stackstorm). */
export const StackStormOptionsSchema = z.object({
  /** `api-key`: the secret is a StackStorm API key (`St2-Api-Key`, does not expire);
   *  `token`: the secret is an auth token from `POST /auth/v1/tokens` (`X-Auth-Token`, expires). */
  authMode: z.enum(['api-key', 'token']).default('api-key'),
  /** Offer actions of these packs only (all packs by default). */
  packs: z.array(z.string().min(1)).optional(),
  /** Parameter → row field bindings that beat the name-based guess: `{ "pack.action": { "param": "SIP" } }`. */
  mapping: z.record(z.string(), z.record(z.string(), z.string().min(1))).default({}),
  /** Actions that only look things up: their results may be cached. Every other action counts as acting. */
  readOnlyActions: z.array(z.string()).default([]),
  cacheTtlSeconds: z.number().int().min(0).max(86_400).default(600),
  timeoutSeconds: z.number().int().positive().max(86_400).default(600),
  requestTimeoutSeconds: z.number().int().positive().max(600).default(30),
});
export type StackStormOptions = z.infer<typeof StackStormOptionsSchema>;
