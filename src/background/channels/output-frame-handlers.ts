import type { RunOutput } from '../../core/api.ts';
import { answerWith, type HandlerTable } from '../../core/channel.ts';
import type { ContentPush } from '../../core/messages.ts';
import {
  type OUTPUT_FRAME_REPLIES,
  OUTPUT_WAIT_MS,
  type OutputFrameRequest,
  type OutputShown,
  type OutputSource,
} from '../../core/output-frame.ts';
import type { RepliesFrom } from '../../core/page-channel.ts';
import { isFinished } from '../../core/run-status.ts';
import type { AutoEnrichService } from '../auto-enrich/auto-enrich.ts';
import type { JobEngine } from '../jobs/job-engine.ts';
import type { PinService } from '../pins/pins.ts';
import type { AutoEnrichedService } from '../triggers/auto-enriched.ts';
import { triggeredRunFor } from '../triggers/triggered-run.ts';
import { UserError } from '../user-error.ts';

/**
 * The output frame's requests (core/output-frame.ts). The router lets only the frame page itself reach
 * this, and hands over the console it is embedded in: the origin of its tab, an enabled console. Every
 * answer is about that console's own runs, exactly as the content channel would check them, so a frame
 * embedded in one console never shows another console's output.
 */

export interface FrameSender {
  /** The console page the frame sits in (its tab's origin, set by the browser). */
  origin: string;
  tabId: number;
}

export type OutputFrameHandler = (request: OutputFrameRequest, sender: FrameSender) => Promise<unknown>;

export function createOutputFrameHandler(deps: {
  jobs: Pick<JobEngine, 'get'>;
  /** Resolves when the job ended (jobs/batch.ts `createJobEndings`); without it the frame is answered at once. */
  jobEnded?: (jobId: string) => Promise<void>;
  /** How long an `untilEnded` question is held at most (tests shorten it). */
  waitMs?: number;
  pins?: Pick<PinService, 'forRow'>;
  autoEnriched?: Pick<AutoEnrichedService, 'run'>;
  /** This browser's in-grid auto-enrichment: its runs open like the orchestrator's trigger runs. */
  autoEnrich?: Pick<AutoEnrichService, 'run'>;
  /** To every frame of the tab: the panel sits in the console's frame, whose id the output frame cannot know. */
  pushToTab(tabId: number, message: ContentPush): Promise<void>;
  /** Demo and test builds pass the frame's stdout summary on for the panel's test accessor; production never. */
  forwardSummary: boolean;
}): OutputFrameHandler {
  const notFound = () => new UserError('not_found', 'Gridside has no record of this run.');

  async function ownJob(id: string, sender: FrameSender) {
    const job = await deps.jobs.get(id);
    if (!job || job.console !== sender.origin) throw notFound();
    return job;
  }

  async function jobOutput(id: string, untilEnded: boolean, sender: FrameSender): Promise<OutputShown> {
    let job = await ownJob(id, sender);
    if (untilEnded && !isFinished(job.status) && deps.jobEnded) {
      let timer: ReturnType<typeof setTimeout> | undefined;
      const waited = new Promise<void>((resolve) => {
        timer = setTimeout(resolve, deps.waitMs ?? OUTPUT_WAIT_MS);
      });
      await Promise.race([deps.jobEnded(id), waited]);
      clearTimeout(timer);
      job = await ownJob(id, sender);
    }
    return { output: job.run?.output ?? null, ended: isFinished(job.status) };
  }

  async function outputOf(source: OutputSource, sender: FrameSender): Promise<RunOutput | null> {
    if (source.kind === 'job') return (await jobOutput(source.id, false, sender)).output;
    if (source.kind === 'pin') {
      if (!deps.pins) throw notFound();
      const pins = await deps.pins.forRow(sender.origin, source.rowKey, { origin: sender.origin });
      const pin = pins.find((p) => p.id === source.id);
      if (!pin) throw notFound();
      return pin.output;
    }
    const run = await triggeredRunFor(deps, sender.origin, { key: source.key, kind: source.rowKind });
    return run.output;
  }

  const table: HandlerTable<OutputFrameRequest, RepliesFrom<typeof OUTPUT_FRAME_REPLIES>, FrameSender> = {
    'output.get': async (request, sender) =>
      request.source.kind === 'job'
        ? jobOutput(request.source.id, request.untilEnded, sender)
        : { output: await outputOf(request.source, sender), ended: true },
    'output.report': async (request, sender) => {
      const summary = deps.forwardSummary ? request.summary : undefined;
      await deps.pushToTab(sender.tabId, {
        type: 'output.frame',
        view: request.view,
        ...(request.height !== undefined ? { height: request.height } : {}),
        ...(request.key ? { key: request.key } : {}),
        ...(summary !== undefined ? { summary } : {}),
      });
      return {};
    },
  };
  return answerWith(table);
}
