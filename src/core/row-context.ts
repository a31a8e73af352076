import { z } from 'zod';

/**
 * What travels from a grid row to an action (docs/architecture.md §3). Built by the content script at action time,
 * validated again by the background and by the orchestrator: it is page-derived, so it is untrusted.
 */

import { LIMITS } from './row-limits.ts';

export { LIMITS };

export const RowKeySchema = z.object({
  value: z.string().min(1).max(LIMITS.valueChars),
  /** Where the key came from: a business column (`Alarm ID`, `Log ID`), the grid's own row id, or a content hash. */
  source: z.enum(['column', 'row-id', 'content-hash']),
  /** Actions with side effects need `high`, or an explicit confirmation. */
  confidence: z.enum(['high', 'medium', 'low']),
});
export type RowKey = z.infer<typeof RowKeySchema>;

export const RowKindSchema = z.enum(['log', 'alarm']);
export type RowKind = z.infer<typeof RowKindSchema>;

const value = z.string().max(LIMITS.valueChars);
const label = z.string().min(1).max(LIMITS.labelChars);

export const RowContextSchema = z.object({
  /** Origin of the console page the row came from, e.g. `https://siem.example.com`. */
  console: z.string().min(1).max(2048),
  kind: RowKindSchema,
  key: RowKeySchema,
  alarmId: z.string().max(64).optional(),
  /** Canonical fields (`SIP`, `DHostName`, …) → the row's value. */
  fields: z.record(z.string().min(1).max(64), value),
  /** Column label as the console shows it → the row's value. Unknown columns are kept here only. */
  labels: z.record(label, value),
  /** Canonical fields the grid has a column for but that were not rendered (virtualized columns). */
  missing: z.array(z.string().max(64)).max(LIMITS.columns).default([]),
  /** Canonical fields whose value was cut to `LIMITS.valueChars`. */
  truncated: z.array(z.string().max(64)).max(LIMITS.columns).default([]),
});
export type RowContext = z.infer<typeof RowContextSchema>;
