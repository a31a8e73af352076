import { z } from 'zod';
import { RunSchema } from './api.ts';
import { AutoEnrichStatusSchema } from './auto-enrich.ts';
import { PanelErrorSchema } from './messages.ts';
import type { ReplySchemas } from './page-channel.ts';

/**
 * Privileged messages from the toolbar popup to the background: the runs waiting for this analyst's
 * approval, a decision on one, and Gridside on or off for the active tab's site. The router accepts them
 * only from the popup page itself (also when it is opened as the approval window), never from the options
 * or history page or a content script: a console page must not approve a run or switch Gridside on for
 * itself.
 */

const req = <T extends string, S extends z.ZodRawShape>(type: T, shape: S) =>
  z.object({ type: z.literal(type), ...shape });

const entryId = z.string().min(1).max(200);
const origin = z.string().min(1).max(2048);

export const PopupRequestSchema = z.discriminatedUnion('type', [
  /** Asks every orchestrator again and answers with what waits for this analyst (the badge follows). */
  req('approvals.list', {}),
  req('approvals.decide', {
    orchestratorId: entryId,
    runId: z.string().min(1).max(200),
    decision: z.enum(['approve', 'deny']),
    comment: z.string().max(2000).default(''),
  }),
  /** Whether Gridside runs on this origin (enabled in settings, and the browser granted access). */
  req('site.get', { origin }),
  /** Adds the origin to the enabled consoles and registers the content script (after the popup's grant). */
  req('site.enable', { origin }),
  req('site.disable', { origin }),
  /** Starts "Teach Gridside this grid" in that tab (its page must be an enabled console). */
  req('teach.open', { tabId: z.number().int().min(0) }),
  /** This site's in-grid auto-enrichment: on or off, and the minute's budget spent (core/auto-enrich.ts). */
  req('auto.get', { origin }),
  /** The popup's switch: takes effect in open tabs at once (the worker checks it on every proposal). */
  req('auto.set', { origin, enabled: z.boolean() }),
]);
export type PopupRequest = z.infer<typeof PopupRequestSchema>;

/** One orchestrator's queue, as the approver sees it. */
export const ApprovalQueueSchema = z.object({
  orchestratorId: z.string(),
  orchestratorName: z.string(),
  /** Who the saved token belongs to; `null` when the orchestrator knows no such token. */
  user: z.string().nullable(),
  /** Whether that token may approve at all (approver or admin role). */
  approver: z.boolean(),
  /** Runs waiting for this user: not their own, not already decided by them. */
  runs: z.array(RunSchema),
  /** Why this orchestrator could not be asked, in plain words. */
  error: PanelErrorSchema.nullable(),
});
export type ApprovalQueue = z.infer<typeof ApprovalQueueSchema>;

export const ApprovalsViewSchema = z.object({
  queues: z.array(ApprovalQueueSchema),
  /** Runs waiting across every orchestrator: the number on the toolbar badge. */
  count: z.number().int().min(0),
  checkedAt: z.number(),
});
export type ApprovalsView = z.infer<typeof ApprovalsViewSchema>;

export const DecisionResultSchema = z.object({
  /** The run as the orchestrator answered after the decision. */
  run: RunSchema,
  view: ApprovalsViewSchema,
});
export type DecisionResult = z.infer<typeof DecisionResultSchema>;

export const SiteAccessSchema = z.object({
  origin: z.string(),
  /** In the analyst's list of consoles. */
  enabled: z.boolean(),
  /** The browser granted the optional host permission for it. */
  granted: z.boolean(),
  /** Only http(s) pages can be consoles; `chrome://`, `about:`, file pages cannot. */
  supported: z.boolean(),
  /** Enabled by the organisation's managed policy: the popup cannot turn it off. */
  managed: z.boolean().default(false),
});
export type SiteAccess = z.infer<typeof SiteAccessSchema>;

export const TeachOpenedSchema = z.object({ opened: z.literal(true) });

/** What the popup's requests are answered with; the page parses each reply with its schema. */
export const POPUP_REPLIES = {
  'approvals.list': ApprovalsViewSchema,
  'approvals.decide': DecisionResultSchema,
  'site.get': SiteAccessSchema,
  'site.enable': SiteAccessSchema,
  'site.disable': SiteAccessSchema,
  'teach.open': TeachOpenedSchema,
  'auto.get': AutoEnrichStatusSchema,
  'auto.set': AutoEnrichStatusSchema,
} as const satisfies ReplySchemas<PopupRequest>;
