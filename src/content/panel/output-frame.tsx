import { signal } from '@preact/signals';
import { useEffect, useMemo, useState } from 'preact/hooks';
import {
  FRAME_MAX_HEIGHT,
  frameFragment,
  newFrameView,
  type OutputSource,
} from '../../core/output-frame-url.ts';
import { EXTENSION_PAGES } from '../../core/page-channel.ts';
import { onPush } from '../background-channel.ts';

/**
 * Where a run's output goes in the panel: an <iframe> of the extension's output frame page
 * (src/pages/output-frame/). The page around the panel cannot read an extension page, so the plugin's
 * output never enters the console's DOM; this side names only what to show (a job, a pin, a row's
 * triggered run) and gets back, through the worker, the frame's height and Escape.
 */

/** Height until the frame reports its output's (about one line); it reports once the output is shown. */
const FRAME_FIRST_HEIGHT = 24;

/**
 * The height each source's output was last shown at, so that a view opened again (a row's pinned results,
 * the panel back on a finished run) draws its frame at that height at once, rather than one line high and
 * then grown under the analyst's pointer, moving the note box below it. The oldest are forgotten.
 */
const shownHeights = new Map<string, number>();
const SHOWN_HEIGHTS_KEPT = 200;

function rememberHeight(key: string, height: number): void {
  shownHeights.delete(key);
  shownHeights.set(key, height);
  if (shownHeights.size > SHOWN_HEIGHTS_KEPT) {
    const oldest = shownHeights.keys().next().value;
    if (oldest !== undefined) shownHeights.delete(oldest);
  }
}

/**
 * Demo and test builds: the first 2 KB of stdout each frame reported, by `kind:id` of what it shows, for
 * the panel's test accessor (src/content/README.md). Production workers never forward it.
 */
export const frameSummaries = signal<Readonly<Record<string, string>>>({});
export const sourceKey = (source: OutputSource): string =>
  source.kind === 'triggered' ? `triggered:${source.rowKind}:${source.key}` : `${source.kind}:${source.id}`;

interface RuntimeLike {
  getURL(path: string): string;
}

function frameUrl(view: string, source: OutputSource): string {
  const g = globalThis as { browser?: { runtime?: RuntimeLike }; chrome?: { runtime?: RuntimeLike } };
  const runtime = g.browser?.runtime ?? g.chrome?.runtime;
  return `${runtime?.getURL(EXTENSION_PAGES.outputFrame) ?? ''}${frameFragment(view, source)}`;
}

/**
 * Shown once there is output: the frame asks the worker for it as it loads. The <iframe> itself is created
 * after the render that mounts this has been painted (an effect runs after the paint): creating it costs
 * the console's main thread several milliseconds, and drawn in the same render it held back the frame
 * that shows the verdict chips beside it (docs/benchmarks.md, "Click to verdict"). Until then a box of the
 * frame's height keeps the panel's layout still.
 */
export function OutputFrame({ source, onEscape }: { source: OutputSource; onEscape: () => void }) {
  const key = sourceKey(source);
  // A fresh view name per source (the key names it): reports about an earlier frame never reach this one.
  const view = useMemo(newFrameView, [key]);
  const src = useMemo(() => frameUrl(view, source), [view, key]);
  const [height, setHeight] = useState(() => shownHeights.get(key) ?? FRAME_FIRST_HEIGHT);
  const [painted, setPainted] = useState(false);
  useEffect(() => setPainted(true), []);
  useEffect(() => {
    const stop = new AbortController();
    onPush((push) => {
      if (push.type !== 'output.frame' || push.view !== view) return;
      if (push.height !== undefined) {
        setHeight(push.height);
        rememberHeight(key, push.height);
      }
      if (push.key === 'Escape') onEscape();
      if (push.summary !== undefined) frameSummaries.value = { ...frameSummaries.value, [key]: push.summary };
    }, stop.signal);
    return () => stop.abort();
  }, [view, key, onEscape]);
  const drawn = `${Math.min(height, FRAME_MAX_HEIGHT)}px`;
  if (!painted) return <div class="output-frame" style={{ height: drawn }} />;
  return (
    <iframe
      class="output-frame"
      title="Run output"
      src={src}
      allow="clipboard-write"
      referrerpolicy="no-referrer"
      style={{ height: drawn }}
    />
  );
}
