import { effect, signal } from '@preact/signals';
import { render } from 'preact';
import type { Run } from '../../core/api.ts';
import type { PanelError } from '../../core/messages.ts';
import type { RowKind } from '../../core/row-context.ts';
import { VerdictChips } from '../../ui/verdict-chips.tsx';
import { ask } from '../background-channel.ts';
import type { RowBox } from '../grid/row-box.ts';
import type { OverlayHost } from '../overlay-host.ts';
import { giveFocusBack } from './focus-back.ts';
import { keepKeysInside } from './keys-inside.ts';
import { OutputFrame } from './output-frame.tsx';
import { enterPageModal, leavePageModal } from './page-modal.ts';
import { PANEL_CSS } from './panel-css.ts';
import { useRowDialog } from './row-dialog.ts';
import { STATUS_TEXT } from './run-view.tsx';

/**
 * The run a trigger rule started for a row, opened from the row's "auto-enriched" chip: action, rule,
 * status, verdict chips and output, beside the row like the pinned results. The background fetches it
 * by the row (`triggers.run`); this page never names a run. Loaded on the first click.
 */

export interface AutoRunRequest {
  key: string;
  kind: RowKind;
  anchor: RowBox | null;
  returnFocus: Element | null;
  /** The row's element: a row inside a page's own modal dialog gets the view inside it (page-modal.ts). */
  at?: Element | null;
}

type Loading = { status: 'loading' } | { status: 'ready'; run: Run } | { status: 'error'; error: PanelError };

const request = signal<AutoRunRequest | null>(null);
const loading = signal<Loading>({ status: 'loading' });
let mounted = false;

async function load(): Promise<void> {
  const current = request.value;
  if (!current) return;
  const reply = await ask({ type: 'triggers.run', row: { key: current.key, kind: current.kind } });
  if (request.value !== current) return;
  loading.value = reply.ok ? { status: 'ready', run: reply.data } : { status: 'error', error: reply.error };
}

function close(): void {
  const current = request.value;
  request.value = null;
  giveFocusBack(current?.returnFocus, current?.at);
}

function TriggeredRun({ run, row }: { run: Run; row: AutoRunRequest }) {
  return (
    <div class="auto-run" data-run-id={run.id}>
      <div class="pin-title">
        {run.actionName} · {STATUS_TEXT[run.status] ?? run.status}
      </div>
      <div class="muted">
        {run.requestedBy} · {new Date(run.timing.createdAt).toLocaleString()}
      </div>
      {run.output?.taxonomies && run.output.taxonomies.length > 0 && (
        <VerdictChips taxonomies={run.output.taxonomies} />
      )}
      {run.reason && <p class="muted">{run.reason}</p>}
      {run.output && (
        <OutputFrame source={{ kind: 'triggered', key: row.key, rowKind: row.kind }} onEscape={close} />
      )}
    </div>
  );
}

function AutoRunView() {
  const current = request.value;
  const { ref, style } = useRowDialog(current);

  if (!current) return null;
  const state = loading.value;
  const title = current.kind === 'alarm' ? `Alarm ${current.key}` : `Row ${current.key.slice(0, 40)}`;
  return (
    <div
      ref={ref}
      class="panel auto-run-view"
      role="dialog"
      aria-label={`Auto-enrichment for ${title}`}
      style={style}
      onKeyDown={(event) => {
        if (event.key === 'Escape') close();
      }}
    >
      <header>
        <h2>
          Auto-enriched
          <span class="key">{title}</span>
        </h2>
        <button type="button" class="icon" aria-label="Close the auto-enrichment" onClick={close}>
          ×
        </button>
      </header>
      <div class="body">
        {state.status === 'loading' && <p class="muted">Loading the triggered run…</p>}
        {state.status === 'error' && (
          <div class="error" role="alert">
            <p>{state.error.message}</p>
            {state.error.hint && <p>{state.error.hint}</p>}
          </div>
        )}
        {state.status === 'ready' && <TriggeredRun run={state.run} row={current} />}
      </div>
    </div>
  );
}

/** Opens (or re-targets) the view for a row; torn down with the content script. */
export function showAutoRun(overlay: OverlayHost, next: AutoRunRequest, abort: AbortSignal): void {
  if (abort.aborted) return;
  if (!mounted) {
    const layer = overlay.layer('auto-run-view');
    const style = document.createElement('style');
    style.textContent = `${PANEL_CSS}.auto-run-view { z-index: 1; } .auto-run { display: flex; flex-direction: column; gap: 6px; }`;
    const container = document.createElement('div');
    layer.append(style, container);
    render(<AutoRunView />, container);
    keepKeysInside(overlay, layer, close, abort);
    mounted = true;
    // Closed, the view gives the host back if a page's modal dialog held it for this view.
    const stopLeaving = effect(() => {
      if (!request.value) leavePageModal(overlay, 'auto-run');
    });
    abort.addEventListener(
      'abort',
      () => {
        stopLeaving();
        render(null, container);
        layer.replaceChildren();
        mounted = false;
        request.value = null;
      },
      { once: true },
    );
  }
  loading.value = { status: 'loading' };
  // Before the view renders and takes focus: moving the host drops the focus it holds.
  enterPageModal(overlay, 'auto-run', next.at);
  request.value = next;
  void load();
}
