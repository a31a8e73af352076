import { useEffect, useLayoutEffect, useRef, useState } from 'preact/hooks';
import type { RunOutput } from '../../core/api.ts';
import type { PanelError } from '../../core/messages.ts';
import { FrameViewSchema, OutputSourceSchema } from '../../core/output-frame.ts';
import { FRAME_SUMMARY_CHARS, readFragment } from '../../core/output-frame-url.ts';
import { askWorker } from './background.ts';
import { RunOutputView } from './run-output.tsx';

/**
 * The output frame: the panel embeds this extension page where a run's output goes, naming in the URL
 * fragment only what to show. The output comes from the worker (never from the console page), and what
 * goes back to the panel is the frame's height and Escape, relayed by the worker (core/output-frame.ts).
 */

type Shown =
  | { status: 'loading' }
  | { status: 'ready'; output: RunOutput | null }
  | { status: 'error'; error: PanelError };

/** The name the panel gave this frame, from its URL fragment (what to show is read there too). */
const view = FrameViewSchema.safeParse(readFragment(location.hash).view);
/** Demo and test builds also hand the panel's test accessor the first 2 KB of stdout; production never. */
const TEST_BUILD = import.meta.env.MODE === 'demo' || import.meta.env.MODE === 'test';

const WORKER_RETRIES = 3;
const WORKER_RETRY_MS = 500;

function report(part: { height?: number; key?: 'Escape'; summary?: string }): void {
  if (view.success) void askWorker({ type: 'output.report', view: view.data, ...part });
}

async function load(): Promise<Shown> {
  const source = OutputSourceSchema.safeParse(readFragment(location.hash).source);
  if (!view.success || !source.success)
    return { status: 'error', error: { code: 'bad_request', message: 'This output frame names no run.' } };
  // A job still running: the worker answers when it ended; after a long wait it says not yet, ask again.
  // A worker the browser stopped meanwhile drops the question: ask the new one, a few times at most.
  let lostWorker = 0;
  for (;;) {
    const reply = await askWorker({
      type: 'output.get',
      view: view.data,
      source: source.data,
      untilEnded: true,
    });
    if (!reply.ok && reply.error.code === 'internal' && lostWorker++ < WORKER_RETRIES) {
      await new Promise((resolve) => setTimeout(resolve, WORKER_RETRY_MS));
      continue;
    }
    if (!reply.ok) return { status: 'error', error: reply.error };
    if (reply.data.ended || source.data.kind !== 'job') return { status: 'ready', output: reply.data.output };
  }
}

/**
 * Reports the content's height whenever it changes, so the panel sizes the frame to fit: from the moment
 * there is something to show. While loading the content is empty; reporting that shrank the frame from the
 * one line the panel opens it at to nothing, and the output grew it again a moment later, so what is below
 * the frame (a pinned result's note, the panel's buttons) jumped twice, once under the analyst's pointer.
 *
 * The first height is measured as soon as the output is rendered, not left to the observer: the browser
 * runs no rendering steps, so no resize observations, for a frame of another origin that is out of view.
 * A pinned result further down a scrolled list stayed one line high until the analyst scrolled to it,
 * then grew under their eyes.
 */
function useHeightReport(ref: { current: HTMLElement | null }, loading: boolean): void {
  useLayoutEffect(() => {
    const el = ref.current;
    if (loading || !el) return;
    let last = -1;
    const measure = () => {
      const height = Math.ceil(el.getBoundingClientRect().height);
      if (height === last) return;
      last = height;
      report({ height });
    };
    measure();
    if (typeof ResizeObserver === 'undefined') return;
    const observer = new ResizeObserver(measure);
    observer.observe(el);
    return () => observer.disconnect();
  }, [ref, loading]);
}

/** Escape anywhere in the frame closes the panel around it, as it does in the panel itself. */
function useEscapeReport(): void {
  useEffect(() => {
    const onKeyDown = (event: KeyboardEvent) => {
      if (event.key !== 'Escape') return;
      event.preventDefault();
      report({ key: 'Escape' });
    };
    document.addEventListener('keydown', onKeyDown);
    return () => document.removeEventListener('keydown', onKeyDown);
  }, []);
}

export function OutputFrameApp() {
  const [shown, setShown] = useState<Shown>({ status: 'loading' });
  const ref = useRef<HTMLDivElement>(null);
  useHeightReport(ref, shown.status === 'loading');
  useEscapeReport();
  useEffect(() => {
    void load().then((next) => {
      setShown(next);
      if (TEST_BUILD && next.status === 'ready' && next.output)
        report({ summary: next.output.stdout.slice(0, FRAME_SUMMARY_CHARS) });
    });
  }, []);
  return (
    <div ref={ref} class="content" data-status={shown.status}>
      {/* Nothing while loading or waiting for the run: the panel around says what is going on. */}
      {shown.status === 'error' && (
        <div class="error" role="alert">
          <p>{shown.error.message}</p>
          {shown.error.hint && <p>{shown.error.hint}</p>}
        </div>
      )}
      {shown.status === 'ready' && shown.output && <RunOutputView output={shown.output} />}
    </div>
  );
}
