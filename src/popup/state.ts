import { signal } from '@preact/signals';
import { type RunRef, runsFromQuery } from '../core/approval-marks.ts';
import type { PanelError } from '../core/messages.ts';
import type { ApprovalsView, SiteAccess } from '../core/popup-messages.ts';
import { activeTab, askWorker, removeOrigin, requestOrigin } from './background.ts';
import { decisionOutcome } from './words.ts';

/** Popup state: the approver's queues, the active tab's site, and the line announced to screen readers. */
export const approvals = signal<ApprovalsView | null>(null);
export const approvalsError = signal<PanelError | null>(null);
export const site = signal<SiteAccess | null>(null);
export const siteProblem = signal<string | null>(null);
/** The active tab, where teach mode starts. */
export const siteTab = signal<number | null>(null);
export const announcement = signal('');
/**
 * Runs named by the address when this page was opened from a row's "Approve" mark (as a window, not as
 * the toolbar popup): they are listed first. The address only orders the list; what is shown and decided
 * still comes from the orchestrator's own list of runs waiting for this analyst.
 */
export const focusRuns = signal<RunRef[]>(runsFromQuery(globalThis.location?.search ?? ''));

export const isFocused = (orchestratorId: string, runId: string): boolean =>
  focusRuns.value.some((ref) => ref.orchestratorId === orchestratorId && ref.runId === runId);

export async function loadApprovals(): Promise<void> {
  const reply = await askWorker({ type: 'approvals.list' });
  if (reply.ok) {
    approvals.value = reply.data;
    approvalsError.value = null;
  } else approvalsError.value = reply.error;
}

/** Resolves with the refusal to show beside the run, or `null` when the decision was recorded. */
export async function decide(
  orchestratorId: string,
  runId: string,
  decision: 'approve' | 'deny',
  comment: string,
): Promise<PanelError | null> {
  const reply = await askWorker({ type: 'approvals.decide', orchestratorId, runId, decision, comment });
  if (!reply.ok) {
    // Decided elsewhere or no longer pending: the list on screen is stale.
    if (reply.error.code === 'conflict' || reply.error.code === 'not_found') void loadApprovals();
    return reply.error;
  }
  approvals.value = reply.data.view;
  announcement.value = decisionOutcome(reply.data.run, decision);
  return null;
}

export async function loadSite(): Promise<void> {
  const tab = await activeTab().catch(() => undefined);
  const url = tab?.url;
  siteTab.value = tab?.id ?? null;
  if (!url) {
    siteProblem.value = 'Gridside cannot see the page in this tab.';
    return;
  }
  const reply = await askWorker({ type: 'site.get', origin: url });
  if (reply.ok) site.value = reply.data;
  else siteProblem.value = reply.error.message;
}

/** Called straight from the click: the permission request has to be the first thing that waits. */
export async function enableSite(origin: string): Promise<void> {
  const granted = await requestOrigin(origin).catch(() => false);
  if (!granted) {
    siteProblem.value = `The browser did not grant Gridside access to ${origin}, so it stays off there.`;
    return;
  }
  const reply = await askWorker({ type: 'site.enable', origin });
  if (!reply.ok) {
    siteProblem.value = reply.error.message;
    return;
  }
  site.value = reply.data;
  siteProblem.value = null;
  announcement.value = `Gridside is on for ${origin}. Rows of its grids get a Run SmartResponse button.`;
}

export async function turnOffSite(origin: string): Promise<void> {
  const reply = await askWorker({ type: 'site.disable', origin });
  if (!reply.ok) {
    siteProblem.value = reply.error.message;
    return;
  }
  // Access goes with it, as on the options page; the content script is already unregistered.
  const removed = await removeOrigin(origin).catch(() => false);
  site.value = { ...reply.data, granted: removed ? false : reply.data.granted };
  siteProblem.value = null;
  announcement.value = `Gridside is off for ${origin}.`;
}

/** "Teach Gridside this grid": teach mode starts in the page; the popup gets out of its way. */
export async function teachThisGrid(): Promise<void> {
  const tabId = siteTab.value;
  if (tabId === null) return;
  const reply = await askWorker({ type: 'teach.open', tabId });
  if (!reply.ok) {
    siteProblem.value = reply.error.hint ? `${reply.error.message} ${reply.error.hint}` : reply.error.message;
    return;
  }
  siteProblem.value = null;
  globalThis.close?.();
}
