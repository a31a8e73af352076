/**
 * The text an analyst sees in a cell: text nodes only (never HTML), skipping subtrees the page hides from
 * everyone (`hidden`, `aria-hidden="true"`, screen-reader-only helpers that read like "column 1, row 1").
 * Trimmed; inner whitespace is kept because log messages can depend on it.
 */
const SKIP =
  '[hidden], [aria-hidden="true"], [class*="ScreenReaderOnly"], [class*="sr-only"], script, style, template';

export function cellText(cell: Element): string {
  if (!cell.querySelector(SKIP)) return (cell.textContent ?? '').trim();
  let text = '';
  const walk = (node: Node): void => {
    for (let child = node.firstChild; child; child = child.nextSibling) {
      if (child.nodeType === 3) text += (child as Text).data;
      else if (child.nodeType === 1 && !(child as Element).matches(SKIP)) walk(child);
    }
  };
  walk(cell);
  return text.trim();
}

/**
 * What a header cell holds besides its label, in the grids consoles are built on: visually hidden helper
 * text (`sr-only`, `visually-hidden`, ui-grid's `ui-grid-invisible`), the column menu button
 * (`aria-haspopup`), icons (`svg`, `role="img"`, icon fonts in `<i>`), the sort-priority number (ui-grid's
 * `<sub>`, ag-Grid's `.ag-sort-order`), and inline-hidden elements.
 */
const HEADER_SKIP = [
  SKIP,
  '[aria-haspopup]',
  'svg',
  '[role="img"]',
  'i',
  'sub',
  'sup',
  '[class*="sort-order" i]',
  '[class*="sort-priority" i]',
  '[class*="sortorder" i]',
  '[class*="visually-hidden" i]',
  '[class*="visuallyhidden" i]',
  '[class*="screen-reader" i]',
  '[class*="invisible" i]',
  '[class*="material-icons" i]',
  '[class*="material-symbols" i]',
  '[style*="display: none"]',
  '[style*="display:none"]',
  '[style*="visibility: hidden"]',
].join(', ');

/** A piece of label text worth keeping: it has a letter (sort numbers, arrows and "⋮" have none). */
const WORDY = /\p{L}/u;

/**
 * A header's label: its visible text without icons, sort-order numbers, menu buttons and hidden helper
 * text, else its accessible name. Text pieces without a letter are dropped when any piece has one, so
 * "Alarm ID" plus a sort priority "1" reads "Alarm ID" while a header that is only "2026" stays "2026".
 */
export function headerLabel(header: Element): string {
  const pieces: string[] = [];
  const walk = (node: Node): void => {
    for (let child = node.firstChild; child; child = child.nextSibling) {
      if (child.nodeType === 3) {
        const piece = (child as Text).data.trim();
        if (piece) pieces.push(piece);
      } else if (child.nodeType === 1 && !(child as Element).matches(HEADER_SKIP)) walk(child);
    }
  };
  walk(header);
  const wordy = pieces.filter((piece) => WORDY.test(piece));
  const text = (wordy.length > 0 ? wordy : pieces).join(' ').replace(/\s+/g, ' ').trim();
  return text || (header.getAttribute('aria-label') ?? header.getAttribute('title') ?? '').trim();
}

/** True when the page hides this element (and so its column) from the analyst. */
export function isHidden(el: Element): boolean {
  if (el.closest('[hidden], [aria-hidden="true"]')) return true;
  const style = (el as HTMLElement).style;
  return style?.display === 'none' || style?.visibility === 'hidden';
}
