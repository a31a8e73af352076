import { effect } from '@preact/signals';
import { render } from 'preact';
import type { ContentSession } from '../content-session.ts';
import { TEACH_CSS } from './teach-css.ts';
import { createTeachState } from './teach-state.ts';
import { TeachView } from './teach-view.tsx';

/**
 * Entry of the lazily loaded teach-mode chunk. While it is on, the analyst's clicks on the page are
 * Gridside's: a capture listener on `window` takes every trusted pointer and click event that is not on
 * Gridside's own UI, keeps it from the page's handlers (no row opens, no link follows) and reads what was
 * pointed at. Escape leaves. Only real user input counts: the page cannot drive teach mode.
 */

const TAKEN = [
  'pointerdown',
  'pointerup',
  'mousedown',
  'mouseup',
  'click',
  'dblclick',
  'auxclick',
  'contextmenu',
  'touchstart',
  'touchend',
] as const;
const TOAST_MS = 8_000;

let leaveActive: (() => void) | null = null;

/** Whether teach mode is on in this page (features stay out of its way). */
export function isTeaching(): boolean {
  return leaveActive !== null;
}

export function showTeach(session: ContentSession, signal: AbortSignal): void {
  if (signal.aborted || leaveActive) return;
  const { overlay } = session;
  const layer = overlay.layer('teach');
  const style = document.createElement('style');
  style.textContent = TEACH_CSS;
  const container = document.createElement('div');
  layer.replaceChildren(style, container);
  // The row button would sit over the rows the analyst points at.
  const rowButton = overlay.layer('button');
  rowButton.style.setProperty('display', 'none', 'important');

  const teach = createTeachState(session);
  const mode = new AbortController();
  const fromGridside = (event: Event) => event.composedPath().includes(overlay.host);

  // The build mode is compared where it is used, so that production bundles drop this (overlay-host.ts).
  const publish =
    import.meta.env.MODE === 'demo' || import.meta.env.MODE === 'test'
      ? effect(() =>
          overlay.host.setAttribute(
            'data-gridside-teach',
            JSON.stringify({ active: true, ...teach.summary.value }),
          ),
        )
      : () => {};

  const leave = () => {
    if (mode.signal.aborted) return;
    mode.abort();
    publish();
    render(null, container);
    rowButton.style.removeProperty('display');
    leaveActive = null;
    if (import.meta.env.MODE === 'demo' || import.meta.env.MODE === 'test')
      overlay.host.setAttribute(
        'data-gridside-teach',
        JSON.stringify({ active: false, saved: teach.saved.value }),
      );
    if (teach.saved.value) showSaved(layer, style, signal);
    else layer.replaceChildren();
  };
  leaveActive = leave;
  signal.addEventListener('abort', leave, { once: true });

  const take = (event: Event) => {
    if (fromGridside(event) || !session.isUserInput(event)) return;
    event.preventDefault();
    event.stopImmediatePropagation();
    if (event.type !== 'click') return;
    const target = event.composedPath()[0] ?? event.target;
    if (target instanceof Element) teach.click(target);
  };
  const options = { capture: true, passive: false, signal: mode.signal };
  for (const type of TAKEN) window.addEventListener(type, take, options);
  let hoverFrame = 0;
  let hoverTarget: Element | null = null;
  window.addEventListener(
    'pointermove',
    (event) => {
      if (!session.isUserInput(event)) return;
      const target = fromGridside(event) ? null : (event.composedPath()[0] ?? event.target);
      hoverTarget = target instanceof Element ? target : null;
      if (!hoverFrame)
        hoverFrame = requestAnimationFrame(() => {
          hoverFrame = 0;
          teach.pointAt(hoverTarget);
        });
    },
    { capture: true, passive: true, signal: mode.signal },
  );
  window.addEventListener(
    'keydown',
    (event) => {
      if (event.key !== 'Escape' || !session.isUserInput(event)) return;
      event.preventDefault();
      event.stopImmediatePropagation();
      if (teach.picker.value) teach.picker.value = null;
      else leave();
    },
    options,
  );

  // Outlines follow the page: measured again after scrolling, resizing, and now and then for grids that
  // re-render on their own (live feeds, virtual scrolling).
  let frame = 0;
  const remeasure = () => {
    if (!frame)
      frame = requestAnimationFrame(() => {
        frame = 0;
        teach.frame.value += 1;
      });
  };
  window.addEventListener('scroll', remeasure, { capture: true, passive: true, signal: mode.signal });
  window.addEventListener('resize', remeasure, { passive: true, signal: mode.signal });
  const timer = setInterval(remeasure, 500);
  mode.signal.addEventListener('abort', () => {
    clearInterval(timer);
    cancelAnimationFrame(frame);
    cancelAnimationFrame(hoverFrame);
  });

  render(<TeachView teach={teach} leave={leave} />, container);
}

/** After saving: says where the result lives, then goes away by itself. */
function showSaved(layer: HTMLElement, style: HTMLStyleElement, signal: AbortSignal): void {
  const toast = document.createElement('div');
  toast.className = 'toast';
  toast.setAttribute('role', 'status');
  toast.textContent =
    'Saved for this site. Gridside reads this grid now; you can change it in Gridside options (Grid selectors, Field mapping).';
  layer.replaceChildren(style, toast);
  const timer = setTimeout(() => {
    if (layer.contains(toast)) layer.replaceChildren();
  }, TOAST_MS);
  signal.addEventListener('abort', () => clearTimeout(timer), { once: true });
}
