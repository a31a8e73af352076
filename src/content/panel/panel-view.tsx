import { useEffect, useLayoutEffect, useRef } from 'preact/hooks';
import { batchRun } from './batch-state.ts';
import { BatchView } from './batch-view.tsx';
import { CatalogView } from './catalog-view.tsx';
import { ConfirmStep } from './confirm-step.tsx';
import type { PanelOpening } from './panel-opening.ts';
import {
  catalog,
  closePanel,
  isOpen,
  job,
  opening,
  position,
  requestError,
  row,
  step,
} from './panel-state.ts';
import { ParamForm } from './param-form.tsx';
import { placePanel } from './placement.ts';
import { fitToRow, rowAnchor, viewportSize } from './row-dialog.ts';
import { CONFIDENCE_TEXT, rowTitle } from './row-summary.ts';
import { RunView, STATUS_TEXT } from './run-view.tsx';
import { UnmappedNote } from './unmapped-note.tsx';

/**
 * The panel frame: header with the row summary and close, the current step, an ARIA live region for
 * status. Placed beside the row (flipping to stay on screen), movable by its header, Esc closes, Tab
 * stays inside, focus goes in on open and back to the row on close.
 */

// The output frame is one stop here: Tab moves through it by itself and out again to the next control.
const FOCUSABLE = 'button:not(:disabled), input:not(:disabled), summary, iframe, [tabindex="0"]';

/**
 * Shown instead of the catalog when the panel opened on no row: what to do instead, for the way it was
 * opened. (Kept here, in the lazily loaded panel, rather than in the script every console page loads.)
 */
function noRowNotice(source: PanelOpening['source'] | undefined): string {
  return source === 'context-menu'
    ? 'Right-click a row of the grid, then choose Run SmartResponse.'
    : 'Put the focus in a grid row (click a cell), then try again.';
}

function liveText(): string {
  const err = requestError.value;
  if (err) return err.message;
  const current = job.value;
  if (step.value === 'run' && current) return STATUS_TEXT[current.status] ?? '';
  return '';
}

export function PanelView() {
  const ref = useRef<HTMLElement>(null);
  const open = isOpen.value;
  const reading = row.value;
  const pos = position.value;

  // Placed beside the row, and placed again whenever its size changes (the catalog, the form and the output
  // all grow it), so it never runs off the window — until the analyst drags it somewhere of their own. It is
  // no taller than the room its row leaves it (placement.ts), so it never covers the row: that limit comes
  // from the row and the window, never from the panel's own height, so placing it does not resize it again.
  // A dragged panel keeps the limit it had: moving it does not resize it.
  const dragged = useRef(false);
  // The panel does not shrink under a still pointer. Clicking Run swaps the form for the shorter run view:
  // shrunk, the panel would leave the pointer over the grid beneath it, whose row would light up and get its
  // row button while the analyst waits for the verdict, and that work would compete with the run for the
  // machine. So while the pointer is on the panel it keeps the height it had; it settles once the pointer
  // leaves.
  const shownHeight = useRef(0);
  const hold = (el: HTMLElement) => {
    const floor = `${shownHeight.current}px`;
    if (el.style.minHeight !== floor) el.style.minHeight = floor;
  };
  const holdUnderPointer = (el: HTMLElement, height: number): boolean => {
    if (height >= shownHeight.current || !el.matches(':hover')) return false;
    hold(el);
    return true;
  };
  // Held after every render, in the task that changed the panel: the page hit-tests a still pointer at the
  // start of the next frame, before a resize observer would see the new height. The floor is the height
  // last observed, so nothing here reads the layout the render just invalidated; a panel that grew is
  // observed, and held at its new height, before that frame paints.
  useLayoutEffect(() => {
    const el = ref.current;
    if (el && shownHeight.current > 0 && el.matches(':hover')) hold(el);
  });
  useLayoutEffect(() => {
    const el = ref.current;
    if (!open || !el) return;
    if (!position.value) dragged.current = false;
    shownHeight.current = 0;
    const anchor = rowAnchor(opening.value?.anchor ?? null, opening.value?.at);
    const place = () => {
      const box = dragged.current ? el.getBoundingClientRect() : fitToRow(el, anchor);
      if (holdUnderPointer(el, box.height)) return;
      shownHeight.current = box.height;
      if (dragged.current) return;
      const next = placePanel(anchor, { width: box.width || 440, height: box.height || 300 }, viewportSize());
      const current = position.value;
      if (!current || current.x !== next.x || current.y !== next.y) position.value = next;
    };
    place();
    if (typeof ResizeObserver === 'undefined') return; // jsdom
    const observer = new ResizeObserver(place);
    observer.observe(el);
    const settle = () => {
      el.style.minHeight = '';
    };
    el.addEventListener('pointerleave', settle);
    return () => {
      observer.disconnect();
      el.removeEventListener('pointerleave', settle);
      settle();
    };
  }, [open, opening.value]);

  // Focus moves into the panel when it opens, and to the new step's first control when the step changes
  // (the button that was clicked is gone), so the whole flow works from the keyboard. A step may name
  // where it starts (`data-focus-first`: the confirmation starts on the values it asks consent for).
  const currentStep = step.value;
  useEffect(() => {
    if (!open) return;
    const el = ref.current;
    const first =
      el?.querySelector<HTMLElement>(
        '.body [data-focus-first], .body input, .body button.primary, .body button:not(:disabled)',
      ) ?? el;
    first?.focus({ preventScroll: true });
  }, [open, opening.value, currentStep, catalog.value.status]);

  if (!open) return null;

  const onKeyDown = (event: KeyboardEvent) => {
    // A held key repeats. Its repeats act on nothing: Enter held in the form would otherwise go on to
    // confirm the step it opened. Each step takes a press of its own.
    if (event.repeat && (event.key === 'Enter' || event.key === ' ')) {
      event.preventDefault();
      return;
    }
    if (event.key === 'Escape') {
      event.preventDefault();
      event.stopPropagation();
      closePanel();
      return;
    }
    if (event.key !== 'Tab' || !ref.current) return;
    const items = [...ref.current.querySelectorAll<HTMLElement>(FOCUSABLE)];
    if (items.length === 0) return;
    const active = (ref.current.getRootNode() as ShadowRoot).activeElement;
    const first = items[0]!;
    const last = items[items.length - 1]!;
    if (event.shiftKey && active === first) {
      event.preventDefault();
      last.focus();
    } else if (!event.shiftKey && active === last) {
      event.preventDefault();
      first.focus();
    }
  };

  const onDragStart = (event: PointerEvent) => {
    if (event.button !== 0 || (event.target as Element).closest('button') || !ref.current) return;
    const start = ref.current.getBoundingClientRect();
    const dx = event.clientX - start.left;
    const dy = event.clientY - start.top;
    const header = event.currentTarget as HTMLElement;
    header.setPointerCapture?.(event.pointerId);
    const move = (e: PointerEvent) => {
      dragged.current = true;
      position.value = {
        x: Math.max(0, Math.min(e.clientX - dx, window.innerWidth - 40)),
        y: Math.max(0, Math.min(e.clientY - dy, window.innerHeight - 30)),
      };
    };
    const up = () => {
      header.removeEventListener('pointermove', move);
      header.removeEventListener('pointerup', up);
    };
    header.addEventListener('pointermove', move);
    header.addEventListener('pointerup', up);
  };

  const context = reading?.context;
  const title = context ? rowTitle(context) : 'Run SmartResponse';
  return (
    <section
      ref={ref}
      class="panel"
      role="dialog"
      aria-label={`Gridside: ${title}`}
      tabIndex={-1}
      style={pos ? { transform: `translate(${pos.x}px, ${pos.y}px)` } : { visibility: 'hidden' }}
      onKeyDown={onKeyDown}
    >
      <header onPointerDown={onDragStart}>
        <h2>
          {title}
          {context && (
            <span class="key" data-confidence={context.key.confidence}>
              {CONFIDENCE_TEXT[context.key.confidence]}
              {reading && reading.otherColumnsNotShown > 0
                ? ` · ${reading.otherColumnsNotShown} column(s) not on screen`
                : ''}
            </span>
          )}
        </h2>
        <button type="button" class="icon" aria-label="Close (Esc)" title="Close (Esc)" onClick={closePanel}>
          ×
        </button>
      </header>
      {!batchRun.value && <UnmappedNote />}
      <div class="body">
        {batchRun.value ? (
          <BatchView />
        ) : (
          <>
            {step.value === 'notice' && <p>{noRowNotice(opening.value?.source)}</p>}
            {step.value === 'catalog' && <CatalogView />}
            {step.value === 'form' && <ParamForm />}
            {step.value === 'confirm' && <ConfirmStep />}
            {step.value === 'run' && <RunView />}
          </>
        )}
      </div>
      <div class="sr-only" role="status" aria-live="polite">
        {liveText()}
      </div>
    </section>
  );
}
