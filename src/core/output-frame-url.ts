/**
 * The output frame's address, zod-free so the content script can build it (core/output-frame.ts has the
 * frame's channel). The panel puts only a view name and WHAT to show in the fragment; the output itself
 * travels from the worker to the frame and never through the page.
 */

export type OutputSource =
  | { kind: 'job'; id: string }
  | { kind: 'pin'; id: string; rowKey: string }
  | { kind: 'triggered'; key: string; rowKind: 'log' | 'alarm' };

/** The keys the frame hands back to the panel: Escape closes it (nothing else of the keystroke crosses). */
export const FRAME_KEYS = ['Escape'] as const;
/** Tallest content height the frame reports; the panel caps the frame well below this anyway. */
export const FRAME_HEIGHT_MAX = 100_000;
/** Tallest the panel draws a frame; a longer output scrolls inside the frame. */
export const FRAME_MAX_HEIGHT = 420;
/** What the demo/test-build accessor keeps of stdout (src/content/README.md): the first 2 KB. */
export const FRAME_SUMMARY_CHARS = 2048;

/** A fresh view name: which of the panel's frames a report from the worker is about. */
export function newFrameView(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(12));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

/** The frame's fragment: `#view=…&job=…`, `#view=…&pin=…&row=…`, `#view=…&triggered=…&kind=log|alarm`. */
export function frameFragment(view: string, source: OutputSource): string {
  const params = new URLSearchParams({ view });
  if (source.kind === 'job') params.set('job', source.id);
  else if (source.kind === 'pin') {
    params.set('pin', source.id);
    params.set('row', source.rowKey);
  } else {
    params.set('triggered', source.key);
    params.set('kind', source.rowKind);
  }
  return `#${params.toString()}`;
}

/** The fragment read back (the frame parses the result with `OutputSourceSchema` before asking). */
export function readFragment(hash: string): { view: string | null; source: unknown } {
  const params = new URLSearchParams(hash.replace(/^#/, ''));
  const view = params.get('view');
  const job = params.get('job');
  const pin = params.get('pin');
  const triggered = params.get('triggered');
  if (job !== null) return { view, source: { kind: 'job', id: job } };
  if (pin !== null) return { view, source: { kind: 'pin', id: pin, rowKey: params.get('row') } };
  if (triggered !== null)
    return { view, source: { kind: 'triggered', key: triggered, rowKind: params.get('kind') } };
  return { view, source: null };
}
