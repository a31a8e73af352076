import type { ContentSession } from '../content-session.ts';
import { type GridHit, rowAt } from '../grid/grids.ts';

/** The row that has keyboard focus: the focused element (ag-Grid focuses cells), else ag-Grid's focus mark. */
export function focusedRow(session: ContentSession): GridHit | null {
  let active: Element | null = document.activeElement;
  // Look through the page's own open shadow roots to the real focused element.
  while (active?.shadowRoot?.activeElement) active = active.shadowRoot.activeElement;
  const fromFocus = active && active !== document.body ? rowAt(session.adapters, active) : null;
  if (fromFocus) return fromFocus;
  const marked = document.querySelector('.ag-cell-focus, .ag-row-focus');
  return marked ? rowAt(session.adapters, marked) : null;
}
