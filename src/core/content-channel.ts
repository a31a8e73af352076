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
 * Whether a request may be sent again when the worker stopped before answering it: reads may; anything
 * that starts, changes, pins, opens or injects something may not (it may have happened already).
 */
const REPEATABLE: Record<keyof ContentReplies, boolean> = {
  'catalog.list': true,
  'run.start': false,
  'run.get': true,
  'run.cancel': false,
  'jobs.forRow': true,
  'batch.start': false,
  'config.get': true,
  'site.teach': false,
  'pins.add': false,
  'pins.remove': false,
  'pins.note': false,
  'pins.forRow': true,
  'marks.onScreen': true,
  'approvals.show': false,
  'triggers.run': true,
  'content.chunk': false,
  'auto.fields': true,
  'auto.propose': false,
};

export function isRepeatable(type: string): boolean {
  return Object.hasOwn(REPEATABLE, type) && REPEATABLE[type as keyof ContentReplies];
}
