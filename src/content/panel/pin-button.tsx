import { signal } from '@preact/signals';
import type { PanelError } from '../../core/messages.ts';
import type { Pin } from '../../core/pins.ts';
import { ask } from '../background-channel.ts';
import { pinsChanged } from '../pins-changed.ts';
import { job, jobFinished, row } from './panel-state.ts';

/**
 * "Pin to alarm" / "Pin to row" under a finished run: keeps the result beside the row (a pin marker) so
 * the analyst finds it again after scrolling, a reload or a browser restart.
 */

type Pinning = { jobId: string } & (
  | { state: 'pinning' }
  | { state: 'pinned'; pin: Pin }
  | { state: 'failed'; error: PanelError }
);
const pinning = signal<Pinning | null>(null);

export async function pinCurrentRun(): Promise<void> {
  const current = job.value;
  if (!current || !jobFinished.value) return;
  const jobId = current.id;
  pinning.value = { jobId, state: 'pinning' };
  const reply = await ask({ type: 'pins.add', jobId });
  if (pinning.value?.jobId !== jobId) return;
  pinning.value = reply.ok
    ? { jobId, state: 'pinned', pin: reply.data }
    : { jobId, state: 'failed', error: reply.error };
  if (reply.ok) pinsChanged();
}

export function PinButton() {
  const current = job.value;
  if (!current || !jobFinished.value || !current.run) return null;
  const mine = pinning.value?.jobId === current.id ? pinning.value : null;
  const label = row.value?.context.kind === 'alarm' ? 'Pin to alarm' : 'Pin to row';
  if (mine?.state === 'pinned') {
    return (
      <span class="muted pinned" role="status">
        Pinned
      </span>
    );
  }
  return (
    <>
      <button
        type="button"
        class="pin"
        disabled={mine?.state === 'pinning'}
        onClick={() => void pinCurrentRun()}
      >
        {label}
      </button>
      {mine?.state === 'failed' && (
        <span class="error" role="alert">
          {mine.error.message}
        </span>
      )}
    </>
  );
}
