import type { CDPSession, Page } from 'playwright-core';
import { wheelOverGrid } from './console-page.ts';
import { attributeSpan, type TraceEvent, traceDuring } from './hover-trace.ts';

/**
 * Which long tasks Gridside made long. The page's `longtask` observer counts tasks over 50 ms, but on this
 * demo console ag-Grid's own frame while it scrolls takes 40–60 ms on a slow machine, so the count swings
 * from run to run with whatever else the machine does, on both sides. Comparing counts across runs cannot
 * say whether Gridside tipped a frame over. A trace can: every task the renderer's main thread runs is a
 * `RunTask` event, and the calls inside it name their script (hover-trace.ts `attributeSpan`). A task is
 * made long by Gridside when it is over 50 ms with Gridside's part and would not be without it.
 */

export const SCROLL_MARK = 'gridside-bench-scroll';
export const SCROLL_END_MARK = 'gridside-bench-scroll-end';
/** The `longtask` entry's threshold. */
export const LONG_TASK_MS = 50;

export interface LongTask {
  /** Wall-clock duration of the task. */
  ms: number;
  /** Thread CPU time: without the time the renderer was descheduled in the middle of the task. */
  cpuMs: number;
  /** Gridside's calls inside the task, with the style and layout done for them (wall clock). */
  gridsideMs: number;
  gridsideCpuMs: number;
  /** Gridside's calls of 0.5 ms or more in the task: `function file:line:column duration`, to look into. */
  gridsideCalls: string[];
}

/** Over 50 ms with Gridside's part, not without it: wall clock, and thread CPU time. */
export const madeLong = (t: LongTask): boolean => t.ms > LONG_TASK_MS && t.ms - t.gridsideMs <= LONG_TASK_MS;
export const madeLongCpu = (t: LongTask): boolean =>
  t.cpuMs > LONG_TASK_MS && t.cpuMs - t.gridsideCpuMs <= LONG_TASK_MS;

/** What the traced scroll holds: its long tasks, and the thread CPU time of every frame the page drew. */
export interface ScrollTrace {
  longTasks: LongTask[];
  /**
   * Each task that ran the page's animation-frame callbacks or painted, in thread CPU time: the tail of
   * this distribution is how close the page's frames come to 50 ms, compared between the variants.
   */
  frameCpuMs: number[];
}

const FRAME_WORK = new Set(['FireAnimationFrame', 'Paint']);

/**
 * The main thread's tasks between the scroll's marks, on the thread the marks were made on (the console
 * page's renderer main thread): those over 50 ms, each with Gridside's part of it, and every frame's CPU.
 */
export function attributeScrollTrace(events: TraceEvent[]): ScrollTrace {
  const start = events.find((e) => e.name === SCROLL_MARK);
  const end = events.find((e) => e.name === SCROLL_END_MARK);
  if (!start || !end) throw new Error('the scroll trace holds no scroll marks: was the page traced?');
  const work = events
    .filter((e) => e.tid === start.tid && e.ph === 'X' && e.dur !== undefined)
    .sort((a, b) => a.ts - b.ts || (b.dur ?? 0) - (a.dur ?? 0));
  const longTasks: LongTask[] = [];
  const frameCpuMs: number[] = [];
  let coveredUntil = Number.NEGATIVE_INFINITY;
  for (const [at, task] of work.entries()) {
    if (task.name !== 'RunTask' || task.ts < start.ts || task.ts >= end.ts) continue;
    const taskEnd = task.ts + (task.dur ?? 0);
    // A task run inside another (a nested run loop) is part of the outer one.
    if (task.ts < coveredUntil) continue;
    coveredUntil = taskEnd;
    const inside: TraceEvent[] = [];
    for (let i = at + 1; i < work.length && work[i]!.ts < taskEnd; i += 1) inside.push(work[i]!);
    const cpuMs = (task.tdur ?? task.dur ?? 0) / 1000;
    if (inside.some((e) => FRAME_WORK.has(e.name))) frameCpuMs.push(cpuMs);
    if ((task.dur ?? 0) / 1000 <= LONG_TASK_MS) continue;
    const own = attributeSpan(work, task.ts, taskEnd);
    const gridsideCalls = inside
      .filter(
        (e) =>
          e.name === 'FunctionCall' &&
          (e.dur ?? 0) >= 500 &&
          e.args?.data?.url?.startsWith('chrome-extension://'),
      )
      .map(({ dur, args }) => {
        const d = args?.data;
        const where = `${d?.url?.split('/').pop()}:${(d?.lineNumber ?? 0) + 1}:${(d?.columnNumber ?? 0) + 1}`;
        return `${d?.functionName || '(anonymous)'} ${where} ${((dur ?? 0) / 1000).toFixed(1)} ms`;
      });
    longTasks.push({
      ms: (task.dur ?? 0) / 1000,
      cpuMs,
      gridsideMs: own.gridsideMs,
      gridsideCpuMs: own.gridsideCpuMs,
      gridsideCalls,
    });
  }
  return { longTasks, frameCpuMs };
}

/** The same scroll as the measured one (wherever the mouse is over the grid), under a trace. */
export async function traceScrollLongTasks(
  page: Page,
  cdp: CDPSession,
  steps = 120,
  stepPx = 250,
): Promise<ScrollTrace> {
  const mark = (name: string) => page.evaluate((n) => void performance.mark(n), name);
  const events = await traceDuring(cdp, async () => {
    await mark(SCROLL_MARK);
    await wheelOverGrid(page, steps, stepPx);
    await mark(SCROLL_END_MARK);
  }, [SCROLL_MARK, SCROLL_END_MARK]);
  return attributeScrollTrace(events);
}
