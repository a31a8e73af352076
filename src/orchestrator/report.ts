import { z } from 'zod';
import { type Taxonomy, TaxonomySchema } from '../core/api.ts';

/**
 * Turns what a plugin printed into structured output. A Cortex-style report
 * (`{ summary: { taxonomies: [...] }, full: {...} }`, docs/architecture.md §5) becomes verdict chips plus data; any
 * other JSON becomes data; anything else stays text only. Plugins often log progress lines before the
 * report, so the last non-empty line is tried when the whole output is not JSON.
 */

const CortexReportSchema = z.object({
  summary: z.object({ taxonomies: z.array(TaxonomySchema) }),
  full: z.unknown().optional(),
});

export interface ParsedReport {
  taxonomies?: Taxonomy[];
  data?: unknown;
}

function tryJson(text: string): { ok: true; value: unknown } | { ok: false } {
  const trimmed = text.trim();
  if (!trimmed.startsWith('{') && !trimmed.startsWith('[')) return { ok: false };
  try {
    return { ok: true, value: JSON.parse(trimmed) };
  } catch {
    return { ok: false };
  }
}

export function parseReport(stdout: string): ParsedReport {
  let parsed = tryJson(stdout);
  if (!parsed.ok) {
    const lastLine = stdout
      .split(/\r?\n/)
      .filter((line) => line.trim() !== '')
      .at(-1);
    if (lastLine !== undefined) parsed = tryJson(lastLine);
  }
  if (!parsed.ok) return {};
  const report = CortexReportSchema.safeParse(parsed.value);
  if (report.success) return { taxonomies: report.data.summary.taxonomies, data: report.data.full ?? null };
  return { data: parsed.value };
}
