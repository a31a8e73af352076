import { effect } from '@preact/signals';
import { render } from 'preact';
import { onPush } from '../background-channel.ts';
import { type OverlayHost, publishTestState } from '../overlay-host.ts';
import { keepWorkerLine } from '../worker-line.ts';
import { acceptBatchJob, batchProgress, batchRun } from './batch-state.ts';
import { keepKeysInside } from './keys-inside.ts';
import { frameSummaries } from './output-frame.tsx';
import { enterPageModal, leavePageModal } from './page-modal.ts';
import { PANEL_CSS } from './panel-css.ts';
import type { PanelOpening } from './panel-opening.ts';
import {
  acceptJob,
  catalog,
  chosen,
  closePanel,
  isOpen,
  job,
  openWith,
  requestError,
  step,
} from './panel-state.ts';
import { PanelView } from './panel-view.tsx';

/**
 * Entry of the lazily loaded panel chunk (Preact + UI). Mounted once into the overlay's closed shadow
 * root; later openings only change state.
 */

let mounted = false;

/** Summary for end-to-end tests (demo/test builds only, see overlay-host.ts). */
export function panelTestState() {
  const current = job.value;
  const output = current?.run?.output ?? null;
  return {
    open: isOpen.value,
    step: step.value,
    catalog: catalog.value.status,
    action: chosen.value?.id ?? null,
    status: current?.status ?? null,
    error: requestError.value?.code ?? current?.error?.code ?? null,
    verdicts: (output?.taxonomies ?? []).map((t) => t.level),
    // The output itself is in the output frame; its first 2 KB come back from there in these builds only.
    stdout: output && current ? (frameSummaries.value[`job:${current.id}`] ?? null) : null,
    observables: (output?.observables ?? []).map((o) => `${o.type}:${o.value}`),
    parentJobId: current?.parentJobId ?? null,
    // A batch's rows finished so far, as its status line shows them.
    batch: batchRun.value ? batchProgress.value : null,
  };
}

function mount(overlay: OverlayHost, signal: AbortSignal): void {
  const layer = overlay.layer('panel');
  const style = document.createElement('style');
  style.textContent = PANEL_CSS;
  const container = document.createElement('div');
  layer.append(style, container);
  render(<PanelView />, container);
  keepKeysInside(overlay, layer, closePanel, signal);
  // Closed, the panel gives the host back to `<html>` if a page's modal dialog held it (page-modal.ts).
  const stopLeaving = effect(() => {
    if (!isOpen.value) leavePageModal(overlay, 'panel');
  });
  onPush((push) => {
    if (push.type !== 'job.update') return;
    acceptJob(push.job);
    acceptBatchJob(push.job);
  }, signal);
  // The build mode is compared where it is used, so that production bundles drop this (overlay-host.ts).
  const stopPublishing =
    import.meta.env.MODE === 'demo' || import.meta.env.MODE === 'test'
      ? effect(() => publishTestState(overlay.host, panelTestState()))
      : () => {};
  signal.addEventListener(
    'abort',
    () => {
      closePanel();
      stopLeaving();
      stopPublishing();
      render(null, container);
      layer.replaceChildren();
      mounted = false;
    },
    { once: true },
  );
}

export function showPanel(overlay: OverlayHost, opening: PanelOpening, signal: AbortSignal): void {
  if (signal.aborted) return;
  // The panel's requests (its catalog, a run's start) and the pushes it follows a run by go on a kept port.
  keepWorkerLine();
  if (!mounted) {
    mount(overlay, signal);
    mounted = true;
  }
  // Before the panel renders and takes focus: moving the host drops the focus it holds.
  enterPageModal(overlay, 'panel', opening.at);
  openWith(opening);
}
