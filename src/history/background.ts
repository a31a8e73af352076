import type { z } from 'zod';
import { HISTORY_REPLIES, type HistoryRequestSchema } from '../core/history.ts';
import { pageChannel } from '../pages/worker-channel.ts';

/** The history page's requests to the worker; only this page may send them (router.ts). */
export const askWorker = pageChannel<z.input<typeof HistoryRequestSchema>, typeof HISTORY_REPLIES>(
  HISTORY_REPLIES,
);
