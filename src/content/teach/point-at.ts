import { shapePeers } from './derive-selectors.ts';

/**
 * What the analyst pointed at: the element under a click is usually a span deep inside a cell, so these
 * walk up to the header cell, the row or the grid it belongs to, by the page's own structure (repeated
 * siblings of one kind), never by its looks.
 */

function ancestors(from: Element): Element[] {
  const out: Element[] = [];
  for (let el: Element | null = from; el && el !== el.ownerDocument.body; el = el.parentElement) out.push(el);
  return out;
}

const labelled = (el: Element) => !el.closest('[aria-hidden="true"]') && (el.textContent ?? '').trim() !== '';

/**
 * The header cell under a click: the lowest element that shows text and has siblings of its kind that do
 * too (a sort or menu icon hidden from assistive technology beside the label does not count).
 */
export function headerCellAt(target: Element): Element | null {
  for (const el of ancestors(target)) {
    if (labelled(el) && shapePeers(el).filter(labelled).length >= 2) return el;
  }
  return null;
}

/**
 * The data row under a click: an element with siblings of its kind, holding several cells. With the header
 * known, the one whose cell count is closest to the number of header cells (a cell with an icon and a
 * label is not a row); otherwise the one with the most siblings (grids have more rows than columns).
 */
export function rowAt(target: Element, header: Element | null): Element | null {
  const headerCount = header ? shapePeers(header).length : 0;
  let best: { el: Element; score: number } | null = null;
  for (const el of ancestors(target)) {
    if (header && (el.contains(header) || header.contains(el))) break;
    const peers = shapePeers(el).length;
    if (peers < 2 || el.children.length < 2) continue;
    const score = headerCount > 0 ? -Math.abs(el.children.length - headerCount) : peers;
    if (!best || score > best.score) best = { el, score };
  }
  return best?.el ?? null;
}

/** The grid: the innermost element holding both the header cell and the row. */
export function gridAround(header: Element, row: Element): Element | null {
  for (let el: Element | null = header.parentElement; el; el = el.parentElement) {
    if (el.contains(row))
      return el === el.ownerDocument.body || el === el.ownerDocument.documentElement ? null : el;
  }
  return null;
}
