import type { z } from 'zod';
import { OUTPUT_FRAME_REPLIES, type OutputFrameRequestSchema } from '../../core/output-frame.ts';
import { pageChannel } from '../worker-channel.ts';

/** The output frame's requests to the worker; only this page may send them (router.ts). */
export const askWorker = pageChannel<z.input<typeof OutputFrameRequestSchema>, typeof OUTPUT_FRAME_REPLIES>(
  OUTPUT_FRAME_REPLIES,
);
