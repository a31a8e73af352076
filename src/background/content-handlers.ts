import type { Run } from '../core/api.ts';
import type { ApprovalMarks, ApprovalsShown } from '../core/approval-marks.ts';
import type { AutoEnrichedMarks } from '../core/auto-enriched.ts';
import type { BatchStartResult, CatalogResult, ContentRequest, Job, SiteConfig } from '../core/messages.ts';
import type { Settings } from '../core/settings.ts';
import type { ApprovalMarkService } from './approval-marks.ts';
import type { CatalogService } from './catalog.ts';
import type { BatchRunner } from './jobs/batch.ts';
import type { RunCache } from './jobs/cache.ts';
import type { JobEngine } from './jobs/job-engine.ts';
import { toJob } from './jobs/job-record.ts';
import type { Orchestrators } from './orchestrators.ts';
import { answerPinRequest, type PinAnswer, type PinService } from './pins.ts';
import type { ContentHandler, ContentSender } from './router.ts';
import { applyTaught, siteConfigFor } from './taught-grid.ts';
import type { AutoEnrichedService } from './triggers/auto-enriched.ts';
import { UserError } from './user-error.ts';

/**
 * What a content script may ask for. A console page only ever sees its own rows' jobs: every request is
 * checked against the sender's origin, so one console cannot read or cancel another console's runs.
 */
export function createContentHandler(deps: {
  catalog: CatalogService;
  jobs: JobEngine;
  orchestrators: Orchestrators;
  /** Pinned results; absent in tests that do not need them. */
  pins?: PinService;
  settings: () => Promise<Settings>;
  /** Saves settings (settings-store.ts); without it, teaching a grid is refused. */
  saveSettings?: (next: Settings) => Promise<Settings>;
  /** The read-only cache in front of `jobs` (jobs/cache.ts); without it every run starts anew. */
  runs?: RunCache;
  /** Batch runs on selected rows (jobs/batch.ts). */
  batches?: BatchRunner;
  /** Runs waiting for this analyst's approval, marked on their rows (approval-marks.ts). */
  approvalMarks?: ApprovalMarkService;
  /** Rows the orchestrators' trigger rules already enriched (triggers/auto-enriched.ts). */
  autoEnriched?: AutoEnrichedService;
}): ContentHandler {
  const { catalog, jobs, orchestrators } = deps;

  async function ownJob(jobId: string, sender: ContentSender) {
    const job = await jobs.get(jobId);
    if (!job || job.console !== sender.origin) {
      throw new UserError('not_found', 'Gridside has no record of this run.');
    }
    return job;
  }

  return async (
    request: ContentRequest,
    sender,
  ): Promise<
    | CatalogResult
    | Job
    | Job[]
    | SiteConfig
    | PinAnswer
    | BatchStartResult
    | ApprovalMarks
    | ApprovalsShown
    | AutoEnrichedMarks
    | Run
  > => {
    switch (request.type) {
      case 'catalog.list':
        sameConsole(request.context.console, sender);
        return catalog.list(request.context);
      case 'run.start': {
        sameConsole(request.context.console, sender);
        const entry = await orchestrators.defaultEntry();
        const action = await catalog.action(entry.id, request.actionId, request.context);
        if (!action) {
          throw new UserError(
            'not_found',
            `${entry.name} has no action ${request.actionId}.`,
            'Reopen the panel to reload the action list.',
          );
        }
        const start = {
          orchestratorId: entry.id,
          action,
          params: request.params,
          context: request.context,
          tab: sender.tab,
        };
        return deps.runs ? deps.runs.start({ ...start, refresh: request.refresh }) : jobs.start(start);
      }
      case 'batch.start': {
        for (const row of request.rows) sameConsole(row.console, sender);
        if (!deps.batches) throw new UserError('bad_request', 'Gridside does not understand this request.');
        const entry = await orchestrators.defaultEntry();
        const action = await catalog.action(entry.id, request.actionId, request.rows[0]);
        if (!action) {
          throw new UserError(
            'not_found',
            `${entry.name} has no action ${request.actionId}.`,
            'Reopen the panel to reload the action list.',
          );
        }
        return deps.batches.start({
          orchestratorId: entry.id,
          action,
          rows: request.rows,
          tab: sender.tab,
          confirmed: request.confirmed,
        });
      }
      case 'run.get':
        return toJob(await ownJob(request.jobId, sender));
      case 'run.cancel':
        await ownJob(request.jobId, sender);
        return jobs.cancel(request.jobId);
      case 'jobs.forRow':
        sameConsole(request.console, sender);
        return jobs.forRow(request.console, request.rowKey);
      case 'config.get': {
        // Only the sender's own origin: one console never learns another console's settings.
        return siteConfigFor(await deps.settings(), sender.origin);
      }
      case 'site.teach': {
        // The sender's own origin only (router.ts: an enabled console); the request names no origin.
        if (!deps.saveSettings) throw new UserError('internal', 'Gridside cannot save settings here.');
        const saved = await deps.saveSettings(applyTaught(await deps.settings(), sender.origin, request));
        return siteConfigFor(saved, sender.origin);
      }
      case 'pins.add':
      case 'pins.remove':
      case 'pins.note':
      case 'pins.forRow':
      case 'pins.markers':
        if (!deps.pins) throw new UserError('internal', 'Pinned results are not available.');
        return answerPinRequest(deps.pins, request, sender);
      case 'approvals.marks':
        // Without an approval watch nothing waits: no marks, rather than an error on every scroll.
        return deps.approvalMarks ? deps.approvalMarks.marks(request.rows) : {};
      case 'approvals.show':
        if (!deps.approvalMarks)
          throw new UserError('bad_request', 'This orchestrator has no approval step Gridside can use.');
        return deps.approvalMarks.show(request.row);
      case 'triggers.marks':
        return deps.autoEnriched ? deps.autoEnriched.marks(request.rows) : {};
      case 'triggers.run':
        if (!deps.autoEnriched) throw new UserError('not_found', 'No trigger has enriched this row.');
        return deps.autoEnriched.run(request.row);
      default:
        // Unreachable after parsing; a new request type must get a handler here.
        throw new UserError('bad_request', 'Gridside does not understand this request.');
    }
  };
}

function sameConsole(console: string, sender: ContentSender): void {
  if (console !== sender.origin) {
    throw new UserError('bad_request', 'The row does not belong to the page that sent it.');
  }
}
