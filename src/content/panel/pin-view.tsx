import { effect, signal } from '@preact/signals';
import { render } from 'preact';
import { useState } from 'preact/hooks';
import type { PanelError } from '../../core/messages.ts';
import type { Pin } from '../../core/pins.ts';
import type { RowKind } from '../../core/row-context.ts';
import { VerdictChips } from '../../ui/verdict-chips.tsx';
import { ask } from '../background-channel.ts';
import type { RowBox } from '../grid/row-box.ts';
import type { OverlayHost } from '../overlay-host.ts';
import { pinsChanged } from '../pins-changed.ts';
import { giveFocusBack } from './focus-back.ts';
import { keepKeysInside } from './keys-inside.ts';
import { OutputFrame } from './output-frame.tsx';
import { enterPageModal, leavePageModal } from './page-modal.ts';
import { PANEL_CSS } from './panel-css.ts';
import { useRowDialog } from './row-dialog.ts';
import { STATUS_TEXT } from './run-view.tsx';

/**
 * The pinned results of one row, opened from its pin marker: newest first, each with its action, verdict
 * chips, who pinned it and when, the analyst's note (editable) and Unpin. Lives in the overlay's shadow
 * root beside the row, like the panel; loaded on the first click, so pages that never open it never pay.
 */

export interface PinViewRequest {
  console: string;
  rowKey: string;
  kind: RowKind;
  anchor: RowBox | null;
  returnFocus: Element | null;
  /** The row's element: a row inside a page's own modal dialog gets the view inside it (page-modal.ts). */
  at?: Element | null;
}

type Listing =
  | { status: 'loading' }
  | { status: 'ready'; pins: Pin[] }
  | { status: 'error'; error: PanelError };

const PIN_VIEW_CSS = `
.pins-view { z-index: 1; }
.pins-view ol { list-style: none; margin: 0; padding: 0; display: flex; flex-direction: column; gap: 10px; }
.pins-view li.pin { border: 1px solid var(--line); border-radius: 6px; padding: 8px; display: flex;
  flex-direction: column; gap: 6px; }
.pins-view .pin-title { font-weight: 600; }
.pins-view pre.summary { margin: 0; max-height: 140px; overflow: auto; white-space: pre-wrap;
  word-break: break-word; background: var(--soft); padding: 6px; border-radius: 4px; font-size: 12px; }
.pins-view textarea { font: inherit; color: inherit; background: var(--bg); width: 100%; min-height: 48px;
  border: 1px solid var(--line); border-radius: 5px; padding: 4px 6px; resize: vertical; }
`;

const request = signal<PinViewRequest | null>(null);
const listing = signal<Listing>({ status: 'loading' });
let mounted: { container: HTMLElement } | null = null;

async function load(): Promise<void> {
  const current = request.value;
  if (!current) return;
  const reply = await ask({ type: 'pins.forRow', console: current.console, rowKey: current.rowKey });
  if (request.value !== current) return; // opened for another row meanwhile
  listing.value = reply.ok ? { status: 'ready', pins: reply.data } : { status: 'error', error: reply.error };
}

export function closePins(): void {
  const current = request.value;
  request.value = null;
  giveFocusBack(current?.returnFocus, current?.at);
}

function when(at: number): string {
  return new Date(at).toLocaleString();
}

function NoteEditor({ pin, onSaved }: { pin: Pin; onSaved: (pin: Pin) => void }) {
  const [text, setText] = useState(pin.note);
  const [state, setState] = useState<string>('');
  const save = async () => {
    setState('Saving…');
    const reply = await ask({ type: 'pins.note', id: pin.id, note: text });
    if (reply.ok) {
      onSaved(reply.data);
      setState('Saved.');
    } else setState(reply.error.message);
  };
  return (
    <div>
      <label for={`note-${pin.id}`}>Note</label>
      <textarea
        id={`note-${pin.id}`}
        maxLength={2000}
        value={text}
        onInput={(event) => setText((event.currentTarget as HTMLTextAreaElement).value)}
      />
      <div class="row-buttons">
        <button type="button" onClick={() => void save()} disabled={text === pin.note}>
          Save note
        </button>
        <span class="muted" aria-live="polite">
          {state}
        </span>
      </div>
    </div>
  );
}

function PinnedResult({ pin }: { pin: Pin }) {
  const [problem, setProblem] = useState<string | null>(null);
  const replace = (next: Pin) => {
    const list = listing.value;
    if (list.status === 'ready')
      listing.value = { status: 'ready', pins: list.pins.map((p) => (p.id === next.id ? next : p)) };
  };
  const unpin = async () => {
    const reply = await ask({ type: 'pins.remove', id: pin.id });
    if (!reply.ok) {
      setProblem(reply.error.message);
      return;
    }
    const list = listing.value;
    if (list.status === 'ready')
      listing.value = { status: 'ready', pins: list.pins.filter((p) => p.id !== pin.id) };
    pinsChanged();
  };
  return (
    <li class="pin" data-pin-id={pin.id}>
      <div class="pin-title">
        {pin.actionName} · {STATUS_TEXT[pin.status] ?? pin.status}
      </div>
      {pin.verdicts.length > 0 && <VerdictChips taxonomies={pin.verdicts} />}
      <div class="muted">
        pinned by {pin.pinnedBy} · {when(pin.pinnedAt)}
      </div>
      {pin.output && (
        <OutputFrame source={{ kind: 'pin', id: pin.id, rowKey: pin.rowKey }} onEscape={closePins} />
      )}
      <NoteEditor key={pin.id} pin={pin} onSaved={replace} />
      <div class="row-buttons">
        <button type="button" class="unpin" onClick={() => void unpin()}>
          Unpin
        </button>
        {problem && (
          <span class="error" role="alert">
            {problem}
          </span>
        )}
      </div>
    </li>
  );
}

function PinView() {
  const current = request.value;
  const { ref, style } = useRowDialog(current);

  if (!current) return null;
  const list = listing.value;
  const title = current.kind === 'alarm' ? `Alarm ${current.rowKey}` : `Row ${current.rowKey.slice(0, 40)}`;
  return (
    <div
      ref={ref}
      class="panel pins-view"
      role="dialog"
      aria-label={`Pinned results for ${title}`}
      style={style}
      onKeyDown={(event) => {
        if (event.key === 'Escape') closePins();
      }}
    >
      <header>
        <h2>
          Pinned results
          <span class="key">{title}</span>
        </h2>
        <button type="button" class="icon" aria-label="Close pinned results" onClick={closePins}>
          ×
        </button>
      </header>
      <div class="body">
        {list.status === 'loading' && <p class="muted">Loading pinned results…</p>}
        {list.status === 'error' && (
          <div class="error" role="alert">
            <p>{list.error.message}</p>
            {list.error.hint && <p>{list.error.hint}</p>}
          </div>
        )}
        {list.status === 'ready' && list.pins.length === 0 && (
          <p class="muted">No pinned results for this row any more.</p>
        )}
        {list.status === 'ready' && list.pins.length > 0 && (
          <ol aria-label="Pinned results, newest first">
            {list.pins.map((pin) => (
              <PinnedResult key={pin.id} pin={pin} />
            ))}
          </ol>
        )}
      </div>
    </div>
  );
}

/** Opens (or re-targets) the pinned-results view for a row; torn down with the content script. */
export function showPins(overlay: OverlayHost, next: PinViewRequest, signal: AbortSignal): void {
  if (signal.aborted) return;
  if (!mounted) {
    const layer = overlay.layer('pin-view');
    const style = document.createElement('style');
    style.textContent = PANEL_CSS + PIN_VIEW_CSS;
    const container = document.createElement('div');
    layer.append(style, container);
    render(<PinView />, container);
    keepKeysInside(overlay, layer, closePins, signal);
    mounted = { container };
    // Closed, the view gives the host back if a page's modal dialog held it for this view.
    const stopLeaving = effect(() => {
      if (!request.value) leavePageModal(overlay, 'pins');
    });
    signal.addEventListener(
      'abort',
      () => {
        stopLeaving();
        render(null, container);
        layer.replaceChildren();
        mounted = null;
        request.value = null;
      },
      { once: true },
    );
  }
  listing.value = { status: 'loading' };
  // Before the view renders and takes focus: moving the host drops the focus it holds.
  enterPageModal(overlay, 'pins', next.at);
  request.value = next;
  void load();
}
