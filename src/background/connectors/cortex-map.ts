import { z } from 'zod';
import type { RunOutput, RunStatus, Taxonomy } from '../../core/api.ts';
import type { CortexDataType } from '../../core/engines/cortex-options.ts';
import { type ObservableType, observableTypeOf } from '../../core/field-types.ts';
import { detectObservableType } from '../../core/observables.ts';
import { ownValue } from '../../core/own-value.ts';
import { observablesOfArtifacts } from '../../core/result-observables.ts';
import type { RowContext } from '../../core/row-context.ts';

/**
 * How TheHive Cortex's documents map onto Gridside's model: row fields → observables with a Cortex data
 * type, job states → RunStatus, reports → RunOutput. Shapes: docs/connectors.md#cortex
 * (from the CortexDocs API guide and analyzer guide); real report in test/fixtures/engines/cortex/.
 */

/** Fields whose values are a specific Cortex type that the generic observable type does not say. */
const FIELD_DATA_TYPE: Record<string, CortexDataType> = {
  UserAgent: 'user-agent',
  Process: 'filename',
  ParentProcessName: 'filename',
  ObjectName: 'filename',
};

function dataTypeOfObservable(type: ObservableType, value: string): CortexDataType | undefined {
  switch (type) {
    case 'ip':
      return 'ip';
    case 'domain':
      return 'domain';
    // A host name with dots is an FQDN to Cortex; a bare NetBIOS name has no analyzer worth offering.
    case 'host':
      return value.includes('.') ? 'fqdn' : undefined;
    case 'url':
      return 'url';
    case 'hash':
      return 'hash';
    case 'email':
      return 'mail';
    case 'user':
      return 'other';
    default:
      return undefined;
  }
}

export interface Observable {
  /** Canonical field the value came from; the action's parameter is bound to it. */
  field: string;
  value: string;
  dataType: CortexDataType;
}

/**
 * Observables of a row: each non-empty canonical field whose type Cortex knows. A field typed `ip` whose
 * value is not an address (`-`, `N/A`) is skipped; free-text fields are classified by their value. Each
 * (data type, value) pair appears once, under the first field that holds it.
 */
export function observablesOf(context: RowContext, allowed?: readonly CortexDataType[]): Observable[] {
  const seen = new Set<string>();
  const out: Observable[] = [];
  for (const [field, raw] of Object.entries(context.fields)) {
    const value = raw.trim();
    if (value === '' || context.truncated.includes(field)) continue;
    const detected = detectObservableType(value);
    const declared = observableTypeOf(field);
    let dataType: CortexDataType | undefined = ownValue(FIELD_DATA_TYPE, field);
    if (!dataType && declared && declared !== 'text') {
      // Trust the column's type, but not a placeholder value in it.
      const strictTypes: ObservableType[] = ['ip', 'hash', 'url', 'email', 'domain'];
      if (strictTypes.includes(declared) && detected !== declared) continue;
      dataType = dataTypeOfObservable(declared, value);
    } else if (!dataType) {
      dataType = dataTypeOfObservable(detected, value);
    }
    if (!dataType || (allowed && !allowed.includes(dataType))) continue;
    const key = `${dataType}\u0000${value}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push({ field, value, dataType });
  }
  return out;
}

/** Cortex job states (API guide "Job" model) → RunStatus. */
export const CORTEX_STATUS: Record<string, RunStatus> = {
  Waiting: 'queued',
  InProgress: 'running',
  Success: 'succeeded',
  Failure: 'failed',
  Deleted: 'canceled',
};

export const CortexAnalyzerSchema = z.looseObject({
  id: z.string().min(1),
  name: z.string(),
  version: z.string().optional(),
  description: z.string().nullish(),
  dataTypeList: z.array(z.string()).default([]),
});
export type CortexAnalyzer = z.infer<typeof CortexAnalyzerSchema>;

const epochMs = z.number().nullish();

export const CortexJobSchema = z.looseObject({
  id: z.string().min(1),
  analyzerId: z.string(),
  analyzerName: z.string().optional(),
  status: z.enum(Object.keys(CORTEX_STATUS) as [string, ...string[]]),
  data: z.string().nullish(),
  dataType: z.string(),
  createdBy: z.string().nullish(),
  createdAt: epochMs,
  startDate: epochMs,
  endDate: epochMs,
  // While the job runs `report` is a string holding the status; once done it is the analyzer's report.
  report: z.unknown().optional(),
});
export type CortexJob = z.infer<typeof CortexJobSchema>;

const CortexTaxonomySchema = z.looseObject({
  level: z.string(),
  namespace: z.string(),
  predicate: z.string(),
  value: z.union([z.string(), z.number(), z.boolean(), z.null()]),
});

export const CortexReportSchema = z.union([
  z.looseObject({
    success: z.literal(true),
    summary: z
      .looseObject({ taxonomies: z.array(CortexTaxonomySchema).default([]) })
      .default({ taxonomies: [] }),
    full: z.unknown().optional(),
    artifacts: z.array(z.unknown()).optional(),
  }),
  z.looseObject({ success: z.literal(false), errorMessage: z.string().nullish() }),
]);
export type CortexReport = z.infer<typeof CortexReportSchema>;

const LEVELS = new Set(['info', 'safe', 'suspicious', 'malicious']);

/** Analyzer taxonomies → verdict chips. An unknown level is shown as `info` rather than dropped. */
export function taxonomiesOf(report: CortexReport): Taxonomy[] {
  if (!report.success) return [];
  return report.summary.taxonomies.map((t) => ({
    level: (LEVELS.has(t.level) ? t.level : 'info') as Taxonomy['level'],
    namespace: t.namespace,
    predicate: t.predicate,
    value: t.value === null ? '' : String(t.value),
  }));
}

/**
 * A finished report as the panel shows it: chips, one text line per chip, the full report as data, and
 * the report's artifacts as observables to pivot on (`data` is the analysed value, not a new one).
 */
export function outputOfReport(report: CortexReport, data?: string | null): RunOutput {
  if (!report.success) {
    return {
      stdout: '',
      stderr: report.errorMessage ?? 'The analyzer failed without saying why.',
      exitCode: 1,
      truncated: false,
    };
  }
  const taxonomies = taxonomiesOf(report);
  const lines = taxonomies.map((t) => `${t.namespace}:${t.predicate} = ${t.value} (${t.level})`);
  return {
    stdout: lines.length > 0 ? lines.join('\n') : 'The analyzer returned no summary; see the full report.',
    stderr: '',
    exitCode: 0,
    truncated: false,
    taxonomies,
    data: report.full ?? report,
    // Cortex names what it found itself: its artifacts are the observables, and the full report is not
    // searched for more.
    observables: observablesOfArtifacts(report.artifacts ?? [], data ? [data] : []),
  };
}

export const isoOf = (ms: number | null | undefined): string | null =>
  typeof ms === 'number' && Number.isFinite(ms) ? new Date(ms).toISOString() : null;
