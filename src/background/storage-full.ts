import type { PanelError } from '../core/messages.ts';

/**
 * The browser refused to store more for Gridside (the extension origin's quota is used up, usually
 * because the disk is nearly full). Nothing already stored is touched: IndexedDB aborts the whole
 * transaction that did not fit, so a record is written whole or not at all.
 */
export function isStorageFull(error: unknown): boolean {
  const name = (error as { name?: unknown } | null)?.name;
  if (name === 'QuotaExceededError') return true;
  // An aborted transaction says why in its own error, which idb passes on as the cause or as is.
  const cause = (error as { cause?: unknown } | null)?.cause;
  return cause !== undefined && cause !== error && isStorageFull(cause);
}

export const STORAGE_FULL: PanelError = {
  code: 'internal',
  message:
    'This browser has no room left for Gridside’s records, so nothing new could be saved (a run is never started without its record).',
  hint: 'Free disk space on this computer, then try again. Your pins and earlier runs are kept.',
};
