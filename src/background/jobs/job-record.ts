import type { Action } from '../../core/api.ts';
import { type Job, JobSchema } from '../../core/messages.ts';

/** Where a job's updates go: the tab and frame whose content script started it. */
export interface TabRef {
  tabId: number;
  frameId: number;
}

/** A batch row's batch, and its place in the analyst's selection (batch.ts). */
export interface BatchPlace {
  id: string;
  order: number;
}

/**
 * A batch row stored but not yet sent to the orchestrator (batch.ts): what a restarted worker needs to
 * send it later. Removed, in one transaction, just before the row is sent.
 */
export interface QueuedRow {
  action: Action;
}

/**
 * A job as stored in IndexedDB: the `Job` the panel sees, plus what the worker needs to find and resume
 * it. `open` is a number because IndexedDB cannot index booleans.
 */
export interface StoredJob extends Job {
  console: string;
  rowKey: string;
  open: 0 | 1;
  tab: TabRef | null;
  /** Set on a batch's rows, for good: a restarted queue counts the batch's rows still running. */
  batch?: BatchPlace;
  /** Present only while the job is a batch row waiting for its turn: it has never been sent. */
  queued?: QueuedRow;
}

/** The part a content script may see (parsed, so nothing worker-only leaks by accident). */
export function toJob(stored: StoredJob): Job {
  return JobSchema.parse(stored);
}
