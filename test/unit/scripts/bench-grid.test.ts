import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import {
  attributeHoverFrames,
  HOVER_MARK,
  SHOWN_MARK,
  type TraceEvent,
} from '../../../scripts/bench-grid/hover-trace.ts';
import { findRegisteredScript, measureInitialScript } from '../../../scripts/bench-grid/initial-script.ts';
import {
  attributeScrollTrace,
  madeLong,
  madeLongCpu,
  SCROLL_END_MARK,
  SCROLL_MARK,
} from '../../../scripts/bench-grid/long-tasks.ts';
import { attributeProfile } from '../../../scripts/bench-grid/script-profile.ts';

/** A dist/ laid out the way the extension build writes it (checked against `vite build --mode demo` output). */
function fakeDist(files: Record<string, string>): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'gridside-bench-grid-test-'));
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    writeFileSync(path.join(dir, name), text);
  }
  return dir;
}

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

const CONTENT_SCRIPT = `(()=>{globalThis.__gridsideChunks??={}})();globalThis.__gridsideChunks.define("content/main.js",function(require,module,exports,__gridsideImport){var t=${JSON.stringify('x'.repeat(4000))};let p=()=>__gridsideImport("./panel-app-FFF.js"),q=()=>__gridsideImport("./teach-app-HHH.js"),r=()=>__gridsideImport("./panel-app-FFF.js")});globalThis.__gridsideChunks.start("content/main.js");`;

const builtLayout = (): Record<string, string> => ({
  'manifest.json': JSON.stringify({ background: { service_worker: 'service-worker-loader.js' } }),
  'service-worker-loader.js': "import './assets/service-worker.ts-AAA.js';\n",
  'assets/service-worker.ts-AAA.js':
    'import{t}from"./fields-CCC.js";var je={script:`content/gridside.js`,chunks:{"content/panel-app-FFF.js":[`content/panel-app-FFF.js`]}};chrome.scripting;',
  'assets/fields-CCC.js': 'export const t=1;',
  'content/gridside.js': CONTENT_SCRIPT,
  'content/panel-app-FFF.js': `globalThis.__gridsideChunks.define("content/panel-app-FFF.js",function(){var a=${JSON.stringify('y'.repeat(9000))}});`,
  'content/teach-app-HHH.js': 'globalThis.__gridsideChunks.define("content/teach-app-HHH.js",function(){});',
});

describe('initial content script size', () => {
  it('finds the content script file the background worker registers', () => {
    const dist = fakeDist(builtLayout());
    dirs.push(dist);
    expect(findRegisteredScript(dist)).toBe('content/gridside.js');
  });

  it('counts the registered file, not the chunks the worker injects on first use', () => {
    const dist = fakeDist(builtLayout());
    dirs.push(dist);
    const result = measureInitialScript(dist);
    expect(result.files.map((f) => f.file)).toEqual(['content/gridside.js']);
    expect(result.gzipTotal).toBe(gzipSync(Buffer.from(CONTENT_SCRIPT), { level: 9 }).length);
    expect(result.lazy).toEqual(['content/panel-app-FFF.js', 'content/teach-app-HHH.js']);
    expect(result.files.map((f) => f.file)).not.toContain('content/panel-app-FFF.js');
  });

  it('says so when the worker names no content script file', () => {
    const layout = builtLayout();
    layout['assets/service-worker.ts-AAA.js'] = 'chrome.scripting;';
    const dist = fakeDist(layout);
    dirs.push(dist);
    expect(() => measureInitialScript(dist)).toThrow(/could not find the content script/);
  });
});

describe('CPU profile attribution', () => {
  const frame = (url: string, functionName = 'f') => ({ url, functionName });
  const profile = {
    nodes: [
      { id: 1, callFrame: frame('', '(root)'), children: [2, 3, 5, 6] },
      { id: 2, callFrame: frame('http://127.0.0.1:1/vendor/ag-grid.js', 'render'), children: [] },
      { id: 3, callFrame: frame('chrome-extension://abc/assets/main.ts-DDD.js', 'place'), children: [4] },
      { id: 4, callFrame: frame('', 'getBoundingClientRect'), children: [] },
      { id: 5, callFrame: frame('', '(idle)'), children: [] },
      { id: 6, callFrame: frame('', '(garbage collector)'), children: [] },
    ],
    samples: [2, 3, 4, 5, 2, 6, 2],
    timeDeltas: [0, 1000, 2000, 3000, 4000, 5000, 6000],
  };

  it("counts the content script's frames and the native work they call as Gridside's", () => {
    const result = attributeProfile(profile);
    // Sample i stands for timeDeltas[i + 1]: node 3 → 2 ms, node 4 (called by node 3) → 3 ms.
    expect(result.extensionMs).toBe(5);
    // Page JS: node 2 (1 + 5 ms, the last sample has no following gap) + the extension's 5 ms; idle and GC left out.
    expect(result.scriptMs).toBe(11);
    // Counted, not timed: two of Gridside's samples among the five samples of JS (the last one included).
    expect([result.extensionSamples, result.scriptSamples]).toEqual([2, 5]);
    // Samples 1 and 2 are consecutive and both Gridside's: one 5 ms stretch.
    expect(result.longestExtensionMs).toBe(5);
    // Where it went: the layout read named after the Gridside function that made it.
    expect(result.topFunctions).toEqual([
      { name: 'place main.ts-DDD.js:1:1 → getBoundingClientRect', ms: 3 },
      { name: 'place main.ts-DDD.js:1:1', ms: 2 },
    ]);
  });

  it('attributes nothing to Gridside in a page without the extension', () => {
    const baseline = {
      ...profile,
      nodes: profile.nodes.map((n) =>
        n.callFrame.url.startsWith('chrome-extension://') ? { ...n, callFrame: frame('', 'other') } : n,
      ),
    };
    expect(attributeProfile(baseline).extensionMs).toBe(0);
  });
});

describe('hover frame attribution (trace)', () => {
  const MAIN = 1;
  const EXT = 'chrome-extension://abc/content/gridside.js';
  const PAGE = 'http://127.0.0.1:1/vendor/ag-grid.js';
  /** A complete event on the main thread; times in ms, stored in µs as the trace does. */
  const x = (name: string, at: number, dur: number, data?: TraceEvent['args']): TraceEvent => ({
    name,
    ph: 'X',
    ts: at * 1000,
    dur: dur * 1000,
    tid: MAIN,
    ...(data ? { args: data } : {}),
  });
  const mark = (name: string, at: number): TraceEvent => ({ name, ph: 'R', ts: at * 1000, tid: MAIN });
  const call = (url: string, at: number, dur: number) => x('FunctionCall', at, dur, { data: { url } });
  const dispatch = (type: string, at: number, dur: number) => x('EventDispatch', at, dur, { data: { type } });

  /** One hover: Gridside's pointer listener, the page's frame callback, then Gridside's after-layout work. */
  const hover = (shownAt: number): TraceEvent[] => [
    mark(HOVER_MARK, 0),
    x('Commit', 1, 1), // a frame before the hover: not its frame
    dispatch('pointerover', 10, 2),
    call(EXT, 10.5, 1),
    call(PAGE, 11, 0.25), // called from Gridside's listener (a page's event handler): the page's
    dispatch('mouseover', 12, 1),
    call(PAGE, 12, 1),
    x('FireAnimationFrame', 14, 3),
    call(PAGE, 14, 3),
    x('Layout', 15, 2), // forced by the page's own callback: inside its 3 ms
    x('UpdateLayoutTree', 17, 1),
    x('Layout', 18, 1),
    call(EXT, 19, 2),
    x('Layout', 19.5, 0.5), // forced inside Gridside's call
    mark(SHOWN_MARK, shownAt),
    x('PrePaint', 21, 1),
    x('Paint', 22, 1),
    x('Commit', 23, 1),
    x('Commit', 40, 1), // the next frame
  ];

  it("separates Gridside's calls, the page's and the frame's own rendering up to the button's commit", () => {
    const [frame] = attributeHoverFrames(hover(20.5), true);
    // 1 ms listener less the 0.25 ms page call it made, plus the 2 ms after-layout call.
    expect(frame?.gridsideMs).toBeCloseTo(2.75);
    expect(frame?.gridsideLayoutMs).toBeCloseTo(0.5);
    expect(frame?.pageMs).toBeCloseTo(0.25 + 1 + 3);
    // UpdateLayoutTree 1 + Layout 1 + PrePaint 1 + Paint 1 + Commit 1; the forced layouts are not the frame's.
    expect(frame?.renderingMs).toBeCloseTo(5);
    expect(frame?.toFrameMs).toBeCloseTo(14);
    expect(frame?.toButtonMs).toBeCloseTo(14);
  });

  it("gives Gridside's thread CPU time apart from its wall-clock time", () => {
    // The after-layout call was descheduled for half of its 2 ms.
    const events = hover(20.5).map((e) =>
      e.name === 'FunctionCall' && e.ts === 19_000 ? { ...e, tdur: 1000 } : e,
    );
    const [frame] = attributeHoverFrames(events, true);
    expect(frame?.gridsideMs).toBeCloseTo(2.75);
    expect(frame?.gridsideCpuMs).toBeCloseTo(1.75);
  });

  it('runs to the next frame when the button was shown after the first one was committed', () => {
    const [frame] = attributeHoverFrames(hover(30), true);
    expect(frame?.toFrameMs).toBeCloseTo(14);
    expect(frame?.toButtonMs).toBeCloseTo(31);
    expect(frame?.renderingMs).toBeCloseTo(6);
  });

  it('leaves out a hover whose button was never shown, and gives the baseline its frame floor', () => {
    const noShown = hover(20.5).filter((e) => e.name !== SHOWN_MARK);
    expect(attributeHoverFrames(noShown, true)).toEqual([]);
    const [baseline] = attributeHoverFrames(noShown, false);
    expect(baseline?.toFrameMs).toBeCloseTo(14);
    expect(baseline?.toButtonMs).toBeNull();
  });

  it("counts a layout run again right after Gridside's after-layout call as Gridside's", () => {
    const events = hover(20.5).flatMap((e) =>
      e.name === 'PrePaint'
        ? [x('UpdateLayoutTree', 21, 0.5), x('Layout', 21.5, 0.25), x('PrePaint', 22, 0.5)]
        : [e],
    );
    const [frame] = attributeHoverFrames(events, true);
    expect(frame?.gridsideMs).toBeCloseTo(2.75 + 0.75);
    expect(frame?.gridsideLayoutMs).toBeCloseTo(0.5 + 0.75);
    // UpdateLayoutTree 1 + Layout 1 before Gridside's call, PrePaint 0.5, Paint 1, Commit 1.
    expect(frame?.renderingMs).toBeCloseTo(4.5);
  });

  it("does not count a layout after the page's own after-layout call as Gridside's", () => {
    const events = hover(20.5).flatMap((e) =>
      e.name === 'PrePaint'
        ? [
            call(PAGE, 21, 0.25),
            x('UpdateLayoutTree', 21.25, 0.25),
            x('Layout', 21.5, 0.25),
            x('PrePaint', 22, 0.5),
          ]
        : [e],
    );
    const [frame] = attributeHoverFrames(events, true);
    expect(frame?.gridsideMs).toBeCloseTo(2.75);
    expect(frame?.renderingMs).toBeCloseTo(5);
  });

  it('keeps each hover to its own events', () => {
    const later = hover(20.5).map((e) => ({ ...e, ts: e.ts + 100_000 }));
    const frames = attributeHoverFrames([...hover(20.5), ...later], true);
    expect(frames).toHaveLength(2);
    expect(frames[1]?.gridsideMs).toBeCloseTo(2.75);
  });
});

describe('long tasks while scrolling (trace)', () => {
  const MAIN = 1;
  const EXT = 'chrome-extension://abc/content/gridside.js';
  const PAGE = 'http://127.0.0.1:1/vendor/ag-grid.js';
  const x = (name: string, at: number, dur: number, extra: Partial<TraceEvent> = {}): TraceEvent => ({
    name,
    ph: 'X',
    ts: at * 1000,
    dur: dur * 1000,
    tid: MAIN,
    ...extra,
  });
  const call = (url: string, at: number, dur: number) =>
    x('FunctionCall', at, dur, { args: { data: { url } } });
  const mark = (name: string, at: number): TraceEvent => ({ name, ph: 'R', ts: at * 1000, tid: MAIN });

  /** ag-Grid's frame: its scroll handler, the frame's layout and paint, and Gridside's observer callback. */
  const frame = (at: number, pageMs: number, gridsideMs: number): TraceEvent[] => [
    x('RunTask', at, pageMs + gridsideMs + 4),
    call(PAGE, at, pageMs),
    x('Layout', at + pageMs, 2),
    call(EXT, at + pageMs + 2, gridsideMs),
    x('Paint', at + pageMs + 2 + gridsideMs, 2),
  ];

  it("finds the tasks over 50 ms between the scroll's marks, with Gridside's part of each", () => {
    const events = [
      mark(SCROLL_MARK, 0),
      ...frame(10, 44, 6), // 54 ms, 48 without Gridside: made long by it
      ...frame(100, 60, 2), // 66 ms: long with or without Gridside
      ...frame(200, 30, 2), // 36 ms: not long
      ...frame(300, 55, 0), // 59 ms: long, none of Gridside's work
      mark(SCROLL_END_MARK, 400),
      ...frame(500, 90, 5), // after the scroll: not counted
    ];
    const { longTasks: tasks } = attributeScrollTrace(events);
    expect(tasks.map((t) => t.ms)).toEqual([54, 66, 59]);
    expect(tasks.map((t) => t.gridsideMs)).toEqual([6, 2, 0]);
    expect(tasks.map(madeLong)).toEqual([true, false, false]);
    // Gridside's calls of 0.5 ms or more, named to look into; the page's are not listed.
    expect(tasks.map((t) => t.gridsideCalls)).toEqual([
      ['(anonymous) gridside.js:1:1 6.0 ms'],
      ['(anonymous) gridside.js:1:1 2.0 ms'],
      [],
    ]);
  });

  it("counts a layout run again after Gridside's after-layout callback as its part", () => {
    const events = [
      mark(SCROLL_MARK, 0),
      x('RunTask', 10, 52),
      call(PAGE, 10, 40),
      x('Layout', 50, 2),
      call(EXT, 52, 1),
      x('Layout', 53, 5), // what Gridside's callback wrote needed layout again
      x('Paint', 58, 4),
      mark(SCROLL_END_MARK, 100),
    ];
    const [task] = attributeScrollTrace(events).longTasks;
    expect(task?.gridsideMs).toBeCloseTo(6);
    expect(task && madeLong(task)).toBe(true);
  });

  it('tells a task long only while the renderer was descheduled by its thread CPU time', () => {
    const events = [mark(SCROLL_MARK, 0), ...frame(10, 44, 6), mark(SCROLL_END_MARK, 100)].map((e) =>
      e.name === 'RunTask' ? { ...e, tdur: 40_000 } : e.name === 'FunctionCall' ? { ...e, tdur: e.dur } : e,
    );
    const [task] = attributeScrollTrace(events).longTasks;
    expect(task?.cpuMs).toBe(40);
    expect(task && madeLong(task)).toBe(true);
    expect(task && madeLongCpu(task)).toBe(false);
  });

  it("leaves out other threads' tasks and tasks nested in a long one", () => {
    const events = [
      mark(SCROLL_MARK, 0),
      ...frame(10, 60, 0),
      x('RunTask', 20, 51), // a nested run loop inside the task above
      { ...x('RunTask', 100, 80), tid: 2 }, // another thread (a worker, the compositor)
      mark(SCROLL_END_MARK, 300),
    ];
    expect(attributeScrollTrace(events).longTasks.map((t) => t.ms)).toEqual([64]);
  });

  it("gives every frame's thread CPU time, long or not, and no other task's", () => {
    const events = [
      mark(SCROLL_MARK, 0),
      ...frame(10, 20, 1).map((e) => (e.name === 'RunTask' ? { ...e, tdur: 20_000 } : e)), // 25 ms, 20 CPU
      x('RunTask', 40, 3), // a timer, a message: no frame
      call(PAGE, 40, 3),
      ...frame(100, 60, 2), // 66 ms, no tdur: its duration
      mark(SCROLL_END_MARK, 200),
    ];
    expect(attributeScrollTrace(events).frameCpuMs).toEqual([20, 66]);
  });

  it('says so when the trace holds no scroll marks', () => {
    expect(() => attributeScrollTrace(frame(10, 60, 0))).toThrow(/no scroll marks/);
  });
});
