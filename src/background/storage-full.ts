import type { PanelError } from '../core/messages.ts';

/** How a file system says it is full, in the IO errors browsers pass on. */
const NO_SPACE = /NO_SPACE|No space left|ENOSPC|disk is full/i;

/**
 * The browser refused to store more for Gridside (the extension origin's quota is used up, usually
 * because the disk is nearly full). Nothing already stored is touched: IndexedDB aborts the whole
 * transaction that did not fit, so a record is written whole or not at all.
 */
export function isStorageFull(error: unknown): boolean {
  const { name, message } = (error ?? {}) as { name?: unknown; message?: unknown };
  if (name === 'QuotaExceededError') return true;
  // Chromium's database may meet the full disk itself before any quota does, and then says so as an
  // IO error: "UnknownError: … IO error: …/000003.log: FILE_ERROR_NO_SPACE".
  if (name === 'UnknownError' && typeof message === 'string' && NO_SPACE.test(message)) return true;
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
