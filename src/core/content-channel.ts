import type { Run } from './api.ts';
import type { ApprovalMarks, ApprovalsShown } from './approval-marks.ts';
import type { AutoEnrichFields, AutoEnrichProposal } from './auto-enrich.ts';
import type { AutoEnrichedMarks } from './auto-enriched.ts';
import type { BatchStartResult, CatalogResult, Job, SiteConfig } from './messages.ts';
import type { Pin, PinMarkers } from './pins.ts';

/**
 * The content channel's replies, one per request type of `ContentRequestSchema` (core/messages.ts). The
 * content script's `ask()` (content/background-channel.ts) and the worker's content handlers
 * (background/channels/content-handlers.ts) are both typed by this map. Types only: no zod in the page.
 */
export interface ContentReplies {
  'catalog.list': CatalogResult;
  'run.start': Job;
  'run.get': Job;
  /** The job as it stands after the cancel was sent. */
  'run.cancel': Job;
  /** The job again, now following the run its start made (or made now). */
  'run.resend': Job;
  'jobs.forRow': Job[];
  'batch.start': BatchStartResult;
  'config.get': SiteConfig;
  /** The console's settings after what was taught was saved. */
  'site.teach': SiteConfig;
  'pins.add': Pin;
  'pins.remove': { removed: string };
  'pins.note': Pin;
  'pins.forRow': Pin[];
  'marks.onScreen': RowMarks;
  'approvals.show': ApprovalsShown;
  /** The row's newest triggered run, to show like a pinned one. */
  'triggers.run': Run;
  /** The chunk is now defined in the sender's frame. */
  'content.chunk': { file: string };
  'auto.fields': AutoEnrichFields;
  'auto.propose': AutoEnrichProposal;
}

/**
 * `marks.onScreen`'s answer: what the row marks draw for the rows on screen. A kind the worker could not
 * answer (an orchestrator out of reach) is null, and the page draws none of it; `autoFields` are the fields
 * this console's auto-enrichment rules read, none while it is off.
 */
export interface RowMarks {
  pins: PinMarkers | null;
  approvals: ApprovalMarks | null;
  auto: AutoEnrichedMarks | null;
  autoFields: string[];
}

/** The name of the content script's kept port to the worker (content/worker-line.ts). */
export const CONTENT_LINE = 'gridside-content-line';

/** A request on that port, and its answer: the same request and reply `runtime.sendMessage` carries. */
export interface LineRequest {
  id: number;
  request: unknown;
}
export interface LineAnswer {
  id: number;
  reply: unknown;
}
/** A push from the worker on that port (as `tabs.sendMessage` would carry it). */
export interface LinePush {
  push: unknown;
}

/**
 * Whether a request may be sent again when the worker stopped before answering it: reads may, and so may
 * a start sent under its own key; anything else that starts, changes, pins, opens or injects something may
 * not (it may have happened already).
 */
type Repeatable =
  | 'catalog.list'
  | 'run.get'
  // Sent under the job's own key: a second one is answered with the run the first started.
  | 'run.resend'
  | 'jobs.forRow'
  | 'config.get'
  | 'pins.forRow'
  | 'marks.onScreen'
  | 'triggers.run'
  | 'auto.fields';

type SentOnce =
  | 'run.start'
  | 'run.cancel'
  | 'batch.start'
  | 'site.teach'
  | 'pins.add'
  | 'pins.remove'
  | 'pins.note'
  | 'approvals.show'
  | 'content.chunk'
  | 'auto.propose';

/** Every request type is classified, and once: a type added to `ContentReplies` alone does not compile. */
export type EveryTypeClassified = [
  Exclude<keyof ContentReplies, Repeatable | SentOnce>,
  Repeatable & SentOnce,
] extends [never, never]
  ? true
  : never;
true satisfies EveryTypeClassified;

/** Only the repeatable names reach the page: the file every console page loads stays small. */
const REPEATABLE: ReadonlySet<string> = new Set<Repeatable>([
  'catalog.list',
  'run.get',
  'run.resend',
  'jobs.forRow',
  'config.get',
  'pins.forRow',
  'marks.onScreen',
  'triggers.run',
  'auto.fields',
]);

export function isRepeatable(type: string): boolean {
  return REPEATABLE.has(type);
}
