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

/** A header's label: its visible text, else its accessible name. */
export function headerLabel(header: Element): string {
  return cellText(header) || (header.getAttribute('aria-label') ?? header.getAttribute('title') ?? '').trim();
}

/** True when the page hides this element (and so its column) from the analyst. */
export function isHidden(el: Element): boolean {
  if (el.closest('[hidden], [aria-hidden="true"]')) return true;
  const style = (el as HTMLElement).style;
  return style?.display === 'none' || style?.visibility === 'hidden';
}
