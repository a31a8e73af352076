import { z } from 'zod';

/** A value the orchestrator supplies itself: literal, or read from an environment variable at run time. */
export const ConfiguredValueSchema = z.union([
  z.object({ value: z.string() }).strict(),
  z.object({ env: z.string().min(1) }).strict(),
]);
export type ConfiguredValue = z.infer<typeof ConfiguredValueSchema>;
