import type { Run } from '../../core/api.ts';
import type { MarkedRow } from '../../core/approval-marks.ts';
import type { AutoEnrichedMarks } from '../../core/auto-enriched.ts';
import { answerWith, type HandlerTable } from '../../core/channel.ts';
import type { ContentReplies } from '../../core/content-channel.ts';
import type { ContentRequest, Job } from '../../core/messages.ts';
import type { Pin } from '../../core/pins.ts';
import type { Settings } from '../../core/settings.ts';
import type { ApprovalMarkService } from '../approvals/approval-marks.ts';
import type { AutoEnrichService } from '../auto-enrich/auto-enrich.ts';
import type { BatchRunner } from '../jobs/batch.ts';
import type { RunCache } from '../jobs/cache.ts';
import type { JobEngine } from '../jobs/job-engine.ts';
import { toJob } from '../jobs/job-record.ts';
import type { CatalogService } from '../orchestrators/catalog.ts';
import type { Orchestrators } from '../orchestrators/orchestrators.ts';
import { type PinService, pinHandlers } from '../pins/pins.ts';
import { applyTaught, siteConfigFor } from '../sites/taught-grid.ts';
import type { AutoEnrichedService } from '../triggers/auto-enriched.ts';
import { triggeredRunFor } from '../triggers/triggered-run.ts';
import { UserError } from '../user-error.ts';
import { jobForPage, pinForPage, runForPage } from './output-withheld.ts';
import type { ContentHandler, ContentSender } from './router.ts';

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
  /** Injects a lazily loaded part of the content script into the sender's frame (sites/content-chunks.ts). */
  injectChunk?: (file: string, tab: ContentSender['tab']) => Promise<{ file: string }>;
  /** This browser's in-grid auto-enrichment (auto-enrich/auto-enrich.ts); its chips join the trigger marks. */
  autoEnrich?: AutoEnrichService;
}): ContentHandler {
  const { catalog, jobs, orchestrators } = deps;

  async function ownJob(jobId: string, sender: ContentSender) {
    const job = await jobs.get(jobId);
    if (!job || job.console !== sender.origin) {
      throw new UserError('not_found', 'Gridside has no record of this run.');
    }
    return job;
  }

  const noSuchAction = (entryName: string, actionId: string) =>
    new UserError(
      'not_found',
      `${entryName} has no action ${actionId}.`,
      'Reopen the panel to reload the action list.',
    );
  const pinService = () => {
    if (!deps.pins) throw new UserError('internal', 'Pinned results are not available.');
    return deps.pins;
  };

  /** The runs trigger rules started for these rows: the orchestrators' and this browser's own. */
  const triggerMarks = async (rows: MarkedRow[], origin: string): Promise<AutoEnrichedMarks> => {
    const [remote, local] = await Promise.all([
      deps.autoEnriched ? deps.autoEnriched.marks(rows) : {},
      deps.autoEnrich ? deps.autoEnrich.marks(origin, rows) : {},
    ]);
    // The orchestrator's trigger run, when a row has one, is the record the team shares: it wins.
    return { ...local, ...remote };
  };

  /** The fields this console's auto-enrichment rules read; none without auto-enrichment. */
  const autoFieldsFor = async (origin: string) =>
    deps.autoEnrich ? deps.autoEnrich.fields(origin) : { fields: [] };

  const table: HandlerTable<ContentRequest, ContentReplies, ContentSender> = {
    'catalog.list': async (request, sender) => {
      sameConsole(request.context.console, sender);
      return catalog.list(request.context);
    },
    'run.start': async (request, sender) => {
      sameConsole(request.context.console, sender);
      const entry = await orchestrators.defaultEntry();
      const action = await catalog.action(entry.id, request.actionId, request.context);
      if (!action) throw noSuchAction(entry.name, request.actionId);
      // A pivot names a job this console owns on the same row; its own parent, if any, is the first job.
      const parent = request.parentJobId ? await ownJob(request.parentJobId, sender) : undefined;
      if (parent && parent.rowKey !== request.context.key.value) {
        throw new UserError('bad_request', 'A pivot runs on the row of the result it came from.');
      }
      const start = {
        orchestratorId: entry.id,
        action,
        params: request.params,
        context: request.context,
        tab: sender.tab,
        ...(parent ? { parentJobId: parent.parentJobId ?? parent.id } : {}),
        answerAtEnd: true,
      };
      return deps.runs ? deps.runs.start({ ...start, refresh: request.refresh }) : jobs.start(start);
    },
    'batch.start': async (request, sender) => {
      for (const row of request.rows) sameConsole(row.console, sender);
      if (!deps.batches) throw new UserError('bad_request', 'Gridside does not understand this request.');
      const entry = await orchestrators.defaultEntry();
      const action = await catalog.action(entry.id, request.actionId, request.rows[0]);
      if (!action) throw noSuchAction(entry.name, request.actionId);
      return deps.batches.start({
        orchestratorId: entry.id,
        action,
        rows: request.rows,
        tab: sender.tab,
        confirmed: request.confirmed,
      });
    },
    'run.get': async (request, sender) => toJob(await ownJob(request.jobId, sender)),
    'run.cancel': async (request, sender) => {
      await ownJob(request.jobId, sender);
      return jobs.cancel(request.jobId);
    },
    'run.resend': async (request, sender) => {
      const job = await ownJob(request.jobId, sender);
      const { entry } = await orchestrators.access(job.orchestratorId);
      const action = await catalog.action(entry.id, job.actionId, job.context);
      if (!action) throw noSuchAction(entry.name, job.actionId);
      return jobs.resend(job.id, action, sender.tab);
    },
    'jobs.forRow': async (request, sender) => {
      sameConsole(request.console, sender);
      return jobs.forRow(request.console, request.rowKey);
    },
    // Only the sender's own origin: one console never learns another console's settings.
    'config.get': async (_request, sender) => siteConfigFor(await deps.settings(), sender.origin),
    'site.teach': async (request, sender) => {
      // The sender's own origin only (router.ts: an enabled console); the request names no origin.
      if (!deps.saveSettings) throw new UserError('internal', 'Gridside cannot save settings here.');
      const saved = await deps.saveSettings(applyTaught(await deps.settings(), sender.origin, request));
      return siteConfigFor(saved, sender.origin);
    },
    ...pinHandlers(pinService),
    'marks.onScreen': async (request, sender) => {
      sameConsole(request.console, sender);
      const keys = [...new Set(request.rows.map((row) => row.key))];
      // Marks are a hint: a kind that fails (an orchestrator out of reach) is left out, not the others.
      const [pins, approvals, auto, autoFields] = await Promise.all([
        orNull(() => pinService().markers(request.console, keys, sender)),
        // Without an approval watch nothing waits: no marks, rather than an error at every rest.
        orNull(async () => (deps.approvalMarks ? deps.approvalMarks.marks(request.rows) : {})),
        orNull(() => triggerMarks(request.rows, sender.origin)),
        orNull(async () => (await autoFieldsFor(sender.origin)).fields),
      ]);
      return { pins, approvals, auto, autoFields: autoFields ?? [] };
    },
    'approvals.show': async (request) => {
      if (!deps.approvalMarks)
        throw new UserError('bad_request', 'This orchestrator has no approval step Gridside can use.');
      return deps.approvalMarks.show(request.row);
    },
    'triggers.run': async (request, sender) => triggeredRunFor(deps, sender.origin, request.row),
    // Only the sender's own console: the worker reads its rules and spends its budget.
    'auto.fields': async (_request, sender) => autoFieldsFor(sender.origin),
    'auto.propose': async (request, sender) => {
      for (const row of request.rows) sameConsole(row.console, sender);
      if (!deps.autoEnrich) return { started: 0, shared: 0, waiting: 0, retryAfterMs: null };
      return deps.autoEnrich.propose(sender.origin, request.rows);
    },
    'content.chunk': async (request, sender) => {
      if (!deps.injectChunk) throw new UserError('not_found', 'Gridside has no parts to load here.');
      return deps.injectChunk(request.file, sender.tab);
    },
  };
  const answer = answerWith(table);
  return async (request, sender) => forPage(request.type, await answer(request, sender));
}

/** What `work` answers, or null if it fails. */
async function orNull<T>(work: () => Promise<T>): Promise<T | null> {
  try {
    return await work();
  } catch {
    return null;
  }
}

/**
 * Every reply that carries a run leaves without its output text (output-withheld.ts): the panel shows the
 * output in the output frame, which asks the worker for it itself.
 */
function forPage(type: ContentRequest['type'], data: unknown): unknown {
  switch (type) {
    case 'run.start':
    case 'run.get':
    case 'run.cancel':
    case 'run.resend':
      return jobForPage(data as Job);
    case 'jobs.forRow':
      return (data as Job[]).map(jobForPage);
    case 'pins.add':
    case 'pins.note':
      return pinForPage(data as Pin);
    case 'pins.forRow':
      return (data as Pin[]).map(pinForPage);
    case 'triggers.run':
      return runForPage(data as Run);
    default:
      return data;
  }
}

function sameConsole(console: string, sender: ContentSender): void {
  if (console !== sender.origin) {
    throw new UserError('bad_request', 'The row does not belong to the page that sent it.');
  }
}
