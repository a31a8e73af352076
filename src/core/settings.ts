import { z } from 'zod';
import { AutoEnrichSettingsSchema } from './auto-enrich.ts';

/**
 * User settings kept in `storage.local` (synced preferences hold no secrets; tokens live in the
 * background's secret store, see src/background). Parsed through these schemas with defaults so an
 * older or hand-edited settings object never breaks the extension.
 */

export const OrchestratorKindSchema = z.enum(['gridside', 'cortex', 'stackstorm', 'webhook', 'logrhythm']);
export type OrchestratorKind = z.infer<typeof OrchestratorKindSchema>;

export const OrchestratorEntrySchema = z.object({
  id: z.string().min(1),
  kind: OrchestratorKindSchema,
  name: z.string().min(1),
  /** Base URL; its origin is the only one the background will fetch for this entry. */
  url: z.url(),
  enabled: z.boolean().default(true),
  /** Connector-specific options, parsed by that connector's own schema. */
  options: z.record(z.string(), z.unknown()).default({}),
});
export type OrchestratorEntry = z.infer<typeof OrchestratorEntrySchema>;

/** Declarative grid description for consoles no built-in adapter recognises (docs/architecture.md §4). */
export const GridSelectorConfigSchema = z.object({
  /** Origin it applies to, e.g. `https://siem.example.com`. */
  origin: z.string().min(1),
  root: z.string().min(1),
  row: z.string().min(1),
  cell: z.string().min(1),
  /** How a cell names its column: an attribute on the cell, or its position matched to header cells. */
  columnKey: z.union([
    z.object({ attribute: z.string().min(1) }),
    z.object({ headerCell: z.string().min(1) }),
  ]),
  /** Header cell selector whose text gives the column label for a key. */
  header: z.string().optional(),
  headerKeyAttribute: z.string().optional(),
  rowKeyAttribute: z.string().optional(),
  kind: z.enum(['log', 'alarm']).default('log'),
});
export type GridSelectorConfig = z.infer<typeof GridSelectorConfigSchema>;

export const SettingsSchema = z.object({
  orchestrators: z.array(OrchestratorEntrySchema).default([]),
  /** Which orchestrator entry the panel uses by default. */
  defaultOrchestratorId: z.string().optional(),
  /** Console origins the analyst enabled (each also needs its optional host permission). */
  consoles: z.array(z.string()).default([]),
  /** Per console origin: column label → canonical field, overriding the built-in crosswalk. */
  fieldOverrides: z.record(z.string(), z.record(z.string(), z.string())).default({}),
  gridSelectors: z.array(GridSelectorConfigSchema).default([]),
  /** Per console origin: in-grid auto-enrichment rules, off until switched on (core/auto-enrich.ts).
   * Optional, so settings saved before it existed need no migration. */
  autoEnrich: AutoEnrichSettingsSchema.optional(),
});
export type Settings = z.infer<typeof SettingsSchema>;

export const DEFAULT_SETTINGS: Settings = SettingsSchema.parse({});
