import type { CDPSession } from 'playwright-core';

/**
 * Whose work the hover frame holds. The untraced hover pass (console-page.ts `measureHover`) times the
 * button from the outside, and "shown − frame start" also counts the page's own pointer handlers and
 * animation-frame callbacks and the frame's style and layout. A DevTools protocol trace of a second
 * pass names each piece: every JavaScript call the renderer makes (`FunctionCall`) carries the URL of the
 * function it enters, so the content script's calls (its pointer listeners, its observer and frame
 * callbacks) are told from the page's; style and layout forced inside a call belong to that call; what
 * the frame does outside any call (its own style, layout, paint, commit) is shared and measured in both
 * variants. The bench marks each hover (`performance.mark`) and, with Gridside, the moment the button is
 * shown, so the frame that paints the button can be found in the trace.
 */

/** The trace events this reads (the Chrome trace event format, "X" complete events and "I"/"R" marks). */
export interface TraceEvent {
  name: string;
  ph: string;
  ts: number;
  dur?: number;
  /** Thread CPU time of a complete event (µs). */
  tdur?: number;
  tid: number;
  args?: {
    data?: { type?: string; url?: string; functionName?: string; lineNumber?: number; columnNumber?: number };
  };
}

export const HOVER_MARK = 'gridside-bench-hover';
export const SHOWN_MARK = 'gridside-bench-shown';

export interface HoverFrame {
  /** Gridside's JavaScript between the pointerover and the commit of the frame showing the button. */
  gridsideMs: number;
  /**
   * Style and layout the browser did for Gridside, part of `gridsideMs`: inside its calls (forced reads),
   * or run again right after its after-layout calls because of what they wrote.
   */
  gridsideLayoutMs: number;
  /**
   * The same as thread CPU time: without the time the renderer was descheduled in the middle of Gridside's
   * work (on a busy machine most of a wall-clock outlier).
   */
  gridsideCpuMs: number;
  /** The page's own JavaScript in the same span (its pointer handlers, its frame callbacks). */
  pageMs: number;
  /** The frame's style, layout, paint and commit outside any call: shared by the page and Gridside. */
  renderingMs: number;
  /** pointerover dispatched → the end of the first frame's commit after it (the frame floor). */
  toFrameMs: number;
  /** pointerover dispatched → the end of the commit of the frame that shows the button (null: baseline). */
  toButtonMs: number | null;
}

const RENDERING = new Set(['UpdateLayoutTree', 'Layout', 'PrePaint', 'Paint', 'Layerize', 'Commit']);
const LAYOUT = new Set(['UpdateLayoutTree', 'Layout']);

type Owner = 'gridside' | 'page' | 'other';
const ownerOf = (url: string | undefined): Owner =>
  url?.startsWith('chrome-extension://') ? 'gridside' : url && /^(https?|file):/.test(url) ? 'page' : 'other'; // the bench's own probes (no script URL), devtools utilities

/**
 * One `HoverFrame` per hover mark that has a pointerover after it (and, when `withButton`, a shown mark):
 * the span runs from that pointerover's dispatch to the end of the first commit after the button was
 * shown (or after the pointerover, for the baseline and for a button shown in the pointer event itself).
 */
export function attributeHoverFrames(events: TraceEvent[], withButton: boolean): HoverFrame[] {
  const marks = events.filter((e) => e.name === HOVER_MARK).sort((a, b) => a.ts - b.ts);
  if (marks.length === 0) return [];
  const tid = marks[0]!.tid;
  const shown = events
    .filter((e) => e.name === SHOWN_MARK && e.tid === tid)
    .map((e) => e.ts)
    .sort((a, b) => a - b);
  const work = events
    .filter((e) => e.tid === tid && e.ph === 'X' && e.dur !== undefined)
    .sort((a, b) => a.ts - b.ts || (b.dur ?? 0) - (a.dur ?? 0));
  const frames: HoverFrame[] = [];
  marks.forEach((mark, i) => {
    const next = marks[i + 1]?.ts ?? Number.POSITIVE_INFINITY;
    const over = work.find(
      (e) =>
        e.ts > mark.ts && e.ts < next && e.name === 'EventDispatch' && e.args?.data?.type === 'pointerover',
    );
    if (!over) return;
    const shownAt = shown.find((ts) => ts > mark.ts && ts < next);
    if (withButton && shownAt === undefined) return;
    const commitAfter = (t: number) => work.find((e) => e.name === 'Commit' && e.ts >= t && e.ts < next);
    const first = commitAfter(over.ts);
    const buttonCommit = shownAt === undefined ? undefined : commitAfter(Math.max(over.ts, shownAt));
    const last = withButton ? buttonCommit : first;
    if (!first || !last) return;
    const end = last.ts + (last.dur ?? 0);
    frames.push({
      ...attributeSpan(work, over.ts, end),
      toFrameMs: (first.ts + (first.dur ?? 0) - over.ts) / 1000,
      toButtonMs: buttonCommit ? (end - over.ts) / 1000 : null,
    });
  });
  return frames;
}

/**
 * Splits the main thread's work between `start` and `end` (µs) by whose call it happened in. A style and
 * layout pass the frame runs again right after calls made past its layout that were all Gridside's (an
 * after-layout callback that wrote something needing layout) is Gridside's too, though outside its calls.
 * `work` is the thread's complete events sorted by start (longest first among equal starts), from the
 * trace's beginning: what came before the span sets who owns the layout pass under way at its start.
 */
export function attributeSpan(work: TraceEvent[], start: number, end: number) {
  const sums = { gridside: 0, gridsideCpu: 0, gridsideLayout: 0, page: 0, rendering: 0 };
  /** Enclosing events of the one being looked at, with the owner of the innermost call among them. */
  const stack: Array<{ end: number; owner: Owner | null }> = [];
  /** Owners of the calls made since the frame's last layout (null: not past a layout). */
  let callsSinceLayout: Owner[] | null = null;
  /** Whether the style and layout pass under way was caused by Gridside. */
  let relayout = false;
  for (const e of work) {
    const eEnd = e.ts + (e.dur ?? 0);
    while (stack.length > 0 && stack[stack.length - 1]!.end <= e.ts) stack.pop();
    const enclosing = stack[stack.length - 1]?.owner ?? null;
    const owner = e.name === 'FunctionCall' ? ownerOf(e.args?.data?.url) : enclosing;
    stack.push({ end: eEnd, owner });
    const inSpan = e.ts >= start && e.ts < end;
    const us = inSpan ? Math.min(eEnd, end) - e.ts : 0;
    const cpu = e.dur ? (us * (e.tdur ?? e.dur)) / e.dur : 0;
    if (e.name === 'FunctionCall' && owner !== enclosing) {
      if (enclosing === null && owner !== null) {
        callsSinceLayout?.push(owner);
        relayout = false;
      }
      // A call entered from another owner's call (the page's code dispatching an event Gridside listens
      // to): counted to its own owner and taken off the enclosing one's.
      if (owner === 'gridside') {
        sums.gridside += us;
        sums.gridsideCpu += cpu;
      } else if (owner === 'page') sums.page += us;
      if (enclosing === 'gridside') {
        sums.gridside -= us;
        sums.gridsideCpu -= cpu;
      } else if (enclosing === 'page') sums.page -= us;
    } else if (LAYOUT.has(e.name) && enclosing === 'gridside') sums.gridsideLayout += us;
    else if (RENDERING.has(e.name) && enclosing === null) {
      const ours: boolean =
        LAYOUT.has(e.name) &&
        // The bench's own probes ('other') write nothing that needs layout.
        (relayout || (!!callsSinceLayout?.includes('gridside') && !callsSinceLayout.includes('page')));
      relayout = ours;
      if (ours) {
        sums.gridside += us;
        sums.gridsideCpu += cpu;
        sums.gridsideLayout += us;
      } else sums.rendering += us;
      callsSinceLayout = e.name === 'Layout' || e.name === 'PrePaint' ? [] : null;
    }
  }
  return {
    gridsideMs: sums.gridside / 1000,
    gridsideLayoutMs: sums.gridsideLayout / 1000,
    gridsideCpuMs: sums.gridsideCpu / 1000,
    pageMs: sums.page / 1000,
    renderingMs: sums.rendering / 1000,
  };
}

/**
 * Runs `act` under a trace and returns the trace's complete events and the `performance.mark`s named in
 * `marks`. For the hover pass `act` marks each hover (`HOVER_MARK`), and the button probe `SHOWN_MARK` when
 * it sees the button shown.
 */
export async function traceDuring(
  cdp: CDPSession,
  act: () => Promise<void>,
  marks: readonly string[] = [HOVER_MARK, SHOWN_MARK],
): Promise<TraceEvent[]> {
  const events: TraceEvent[] = [];
  const collect = (e: { value: object[] }) => {
    for (const ev of e.value as TraceEvent[]) if (ev.ph === 'X' || marks.includes(ev.name)) events.push(ev);
  };
  cdp.on('Tracing.dataCollected', collect);
  const complete = new Promise<void>((resolve) => cdp.once('Tracing.tracingComplete', () => resolve()));
  await cdp.send('Tracing.start', {
    transferMode: 'ReportEvents',
    traceConfig: {
      // Commit is only in the disabled-by-default category; user timing carries the bench's marks.
      includedCategories: ['devtools.timeline', 'disabled-by-default-devtools.timeline', 'blink.user_timing'],
      excludedCategories: ['*'],
    },
  });
  try {
    await act();
  } finally {
    await cdp.send('Tracing.end');
    await complete;
    cdp.off('Tracing.dataCollected', collect);
  }
  return events;
}
