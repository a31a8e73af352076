import type { Run } from '../../core/api.ts';
import type { MarkedRow } from '../../core/approval-marks.ts';
import type { AutoEnrichService } from '../auto-enrich/auto-enrich.ts';
import { UserError } from '../user-error.ts';
import type { AutoEnrichedService } from './auto-enriched.ts';

/**
 * The run that enriched a row before anyone clicked: the orchestrator's trigger run when there is one (the
 * record the team shares wins), else this browser's own in-grid auto-enrichment run. Both the content
 * channel (the panel's run view) and the output frame (its output) ask the same question.
 */
export async function triggeredRunFor(
  sources: {
    autoEnriched?: Pick<AutoEnrichedService, 'run'>;
    autoEnrich?: Pick<AutoEnrichService, 'run'>;
  },
  origin: string,
  row: MarkedRow,
): Promise<Run> {
  const local = await sources.autoEnrich?.run(origin, row).catch((error: unknown) => {
    if (!sources.autoEnriched) throw error;
    return undefined;
  });
  if (sources.autoEnriched) {
    const remote = await sources.autoEnriched.run(row).catch((error: unknown) => {
      if (local) return undefined;
      throw error;
    });
    if (remote) return remote;
  }
  if (local) return local;
  throw new UserError('not_found', 'No trigger has enriched this row.');
}
