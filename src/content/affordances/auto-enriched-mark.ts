import {
  type AutoEnrichedMark,
  autoEnrichedLabel,
  autoEnrichedText,
  isUnfinishedMark,
} from '../../core/auto-enriched.ts';
import type { RowKind } from '../../core/row-context.ts';
import type { RowBox } from '../grid/row-box.ts';
import type { OverlayHost } from '../overlay-host.ts';

/**
 * The "auto-enriched" chip of a row (core/auto-enriched.ts), drawn by row-marks-view.ts beside the pin and
 * the approval mark: the verdict a trigger rule's run found, coloured by it. A click opens that run
 * (panel/auto-run-view.tsx, loaded on the first click).
 */

/** While a triggered run on screen is unfinished, the marks are asked for again after this long. */
export const UNFINISHED_RECHECK_MS = 3000;

type AutoRunViewModule = typeof import('../panel/auto-run-view.tsx');
let autoRunView: Promise<AutoRunViewModule> | null = null;

/** Makes, updates or removes a row's chip; returns what the row keeps. */
export function autoEnrichedChip(
  chip: HTMLButtonElement | null,
  mark: AutoEnrichedMark | undefined,
  make: () => HTMLButtonElement,
  rowKey: string,
): HTMLButtonElement | null {
  if (!mark) {
    chip?.remove();
    return null;
  }
  const el = chip ?? make();
  el.textContent = autoEnrichedText(mark);
  const label = autoEnrichedLabel(mark);
  el.setAttribute('aria-label', `${label}: open the run`);
  el.title = label;
  el.dataset.rowKey = rowKey;
  el.dataset.verdict = mark.verdict ?? (isUnfinishedMark(mark) ? 'pending' : 'none');
  return el;
}

export function openAutoRun(
  overlay: OverlayHost,
  request: {
    key: string;
    kind: RowKind;
    anchor: RowBox | null;
    returnFocus: Element | null;
    at?: Element | null;
  },
  signal: AbortSignal,
): void {
  autoRunView ??= import('../panel/auto-run-view.tsx');
  autoRunView.then(
    (view) => view.showAutoRun(overlay, request, signal),
    (error: unknown) => console.error('Gridside: the triggered run could not be shown', error),
  );
}

export const AUTO_MARK_CSS = `
.auto-mark {
  position: fixed; top: 0; left: 0; box-sizing: border-box; height: 18px; padding: 0 6px;
  display: none; align-items: center; contain: layout paint; will-change: transform;
  font: 600 11px/1 system-ui, sans-serif; color: #12355b; background: #dbeafe; border: 1px solid #3b6fb6;
  border-radius: 9px; cursor: pointer; white-space: nowrap; box-shadow: 0 1px 2px rgb(0 0 0 / 0.25);
}
.auto-mark[data-shown] { display: inline-flex; }
.auto-mark[data-verdict='malicious'] { color: #fff; background: #b91c1c; border-color: #7f1d1d; }
.auto-mark[data-verdict='suspicious'] { color: #3d2a00; background: #fcd34d; border-color: #b45309; }
.auto-mark[data-verdict='safe'] { color: #fff; background: #15803d; border-color: #14532d; }
.auto-mark:focus-visible { outline: 2px solid #1f5fbf; outline-offset: 1px; }
`;
