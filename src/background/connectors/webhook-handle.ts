import { z } from 'zod';
import { ConnectorError } from './connector.ts';

/**
 * A polled webhook run's id carries what polling needs (action, poll URL, captured values), so any
 * connector instance — even after the background worker restarted — can poll it without stored state.
 */

const PollHandleSchema = z.object({ a: z.string(), u: z.string(), c: z.record(z.string(), z.string()) });
export type PollHandle = z.infer<typeof PollHandleSchema>;

export function encodeHandle(handle: PollHandle): string {
  const bytes = new TextEncoder().encode(JSON.stringify(handle));
  return btoa(String.fromCharCode(...bytes))
    .replace(/\+/g, '-')
    .replace(/\//g, '_')
    .replace(/=+$/, '');
}

export function decodeHandle(runId: string): PollHandle {
  try {
    const b64 = runId.slice('poll.'.length).replace(/-/g, '+').replace(/_/g, '/');
    const bytes = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
    return PollHandleSchema.parse(JSON.parse(new TextDecoder().decode(bytes)));
  } catch {
    throw new ConnectorError(
      'not_found',
      'This webhook run id is not one Gridside issued.',
      'Run the action again.',
    );
  }
}
