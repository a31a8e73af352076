/**
 * Gives the keyboard back to the page when a view beside a row closes (the panel, a row's pinned results,
 * its triggered run): to what had focus when it opened, when that can take focus again, else to the row's
 * own focusable cell, so that the grid's arrow keys go on from the row the analyst enriched. A panel opened
 * with the mouse finds focus on Gridside's row button (its host, to the page) or on nothing, and a grid's
 * row element seldom takes focus itself; focus then fell to the page's `<body>`, and the next arrow key
 * scrolled the page instead of moving in the grid.
 *
 * Only while focus is still Gridside's or nobody's: a view that closes after the analyst moved on (clicked
 * the page's search box, another window) leaves focus where it is. A row that nothing can take focus in (a
 * plain table) leaves it where the browser puts it.
 */
export function giveFocusBack(back: Element | null | undefined, row: Element | null | undefined): void {
  if (!focusIsOurs()) return;
  if (back instanceof HTMLElement && back.isConnected && !isGridsideHost(back)) {
    back.focus({ preventScroll: true });
    if (hasFocus(back)) return;
  }
  if (row?.isConnected) focusableIn(row)?.focus({ preventScroll: true });
}

function isGridsideHost(el: Element): boolean {
  return el.hasAttribute('data-gridside');
}

/** Focus is in Gridside's overlay (its host, to the page), on nothing, or on the page's body. */
function focusIsOurs(): boolean {
  const active = document.activeElement;
  return !active || active === document.body || isGridsideHost(active);
}

/** Whether `el` holds focus in its own document or shadow root (a grid may live in an open one). */
function hasFocus(el: Element): boolean {
  const root = el.getRootNode() as Document | ShadowRoot;
  return root.activeElement === el;
}

/**
 * The cell a roving-tabindex grid marks as its active one (`tabindex="0"`), else the first cell it lets a
 * script focus (`tabindex="-1"`, as ag-Grid's, MUI X's and EUI's cells have): focusing one makes it the
 * grid's focused cell. Else the row itself, when it takes focus (ag-Grid's rows do too, but its arrow keys
 * move between cells), else anything in it that does.
 */
function focusableIn(row: Element): HTMLElement | null {
  return (
    row.querySelector<HTMLElement>('[tabindex="0"]') ??
    row.querySelector<HTMLElement>(CELL) ??
    (row instanceof HTMLElement && row.hasAttribute('tabindex') ? row : null) ??
    row.querySelector<HTMLElement>('[tabindex]')
  );
}

const CELL = ['[role="gridcell"]', '[role="cell"]', '[role="rowheader"]', 'td', 'th']
  .map((cell) => `${cell}[tabindex]`)
  .join(',');
