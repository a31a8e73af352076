import type { RefObject } from 'preact';
import { useEffect, useLayoutEffect, useRef, useState } from 'preact/hooks';
import type { RowBox } from '../grid/row-box.ts';
import { type Box, panelRoom, placePanel } from './placement.ts';

/**
 * The row's box, saying whether its grid runs right to left (placement.ts puts the panel at the row's end):
 * read from the row's element as a view opens, not in the script every page runs.
 */
export function rowAnchor(anchor: Box | null, at: Element | null | undefined): Box | null {
  if (!anchor || anchor.rtl !== undefined || !at?.isConnected) return anchor;
  return { ...anchor, rtl: getComputedStyle(at).direction === 'rtl' };
}

/** The viewport without the page's scrollbars. */
export function viewportSize(): { width: number; height: number } {
  return { width: document.documentElement.clientWidth, height: document.documentElement.clientHeight };
}

/**
 * Holds a panel (`.panel`, panel-css.ts) to the room its row leaves it (`panelRoom`) and returns its box
 * under that limit. The limit comes from the row and the viewport, so setting it again for the same row
 * writes nothing, and the panel's resize observer never sees a change of its own making.
 */
export function fitToRow(el: HTMLElement, anchor: Box | null): DOMRect {
  const box = el.getBoundingClientRect();
  const room = `${panelRoom(anchor, box.width || 440, viewportSize())}px`;
  if (el.style.getPropertyValue('--room') === room) return box;
  el.style.setProperty('--room', room);
  return el.getBoundingClientRect();
}

/**
 * A dialog that opens beside a row (pinned results, a triggered run): placed next to the row's box once it
 * has rendered and can be measured, no taller than the room the row leaves it (`fitToRow`), hidden until
 * then so it never flashes in the corner, and with focus on its first button so the keyboard lands inside
 * it (Escape closes it). A hidden element cannot take focus: the first button is focused once the dialog
 * is placed, once per opening.
 */
export function useRowDialog<T extends { anchor: RowBox | null; at?: Element | null | undefined }>(
  current: T | null,
): { ref: RefObject<HTMLDivElement | null>; style: Record<string, string> } {
  const ref = useRef<HTMLDivElement>(null);
  const [pos, setPos] = useState<{ x: number; y: number } | null>(null);
  const focusedFor = useRef<T | null>(null);

  useLayoutEffect(() => {
    const el = ref.current;
    if (!current || !el) return;
    const anchor = rowAnchor(current.anchor, current.at);
    const place = () => {
      const box = fitToRow(el, anchor);
      const next = placePanel(anchor, { width: box.width || 440, height: box.height || 300 }, viewportSize());
      setPos((now) => (now && now.x === next.x && now.y === next.y ? now : next));
    };
    place();
    // It opens on "Loading…" and grows when its content comes: placed again, so a dialog that fitted
    // above its row while small does not grow down over it. Its height limit comes from the row, so
    // placing it again never resizes it.
    if (typeof ResizeObserver === 'undefined') return; // jsdom
    const observer = new ResizeObserver(place);
    observer.observe(el);
    return () => observer.disconnect();
  }, [current]);

  useEffect(() => {
    // The first opening after a page load renders hidden, before its place is known.
    if (!current || !pos || focusedFor.current === current) return;
    focusedFor.current = current;
    ref.current?.querySelector<HTMLElement>('button')?.focus();
  }, [current, pos]);

  return { ref, style: pos ? { transform: `translate(${pos.x}px, ${pos.y}px)` } : { visibility: 'hidden' } };
}
