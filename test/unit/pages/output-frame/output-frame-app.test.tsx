// @vitest-environment jsdom
import { render } from 'preact';
import { act } from 'preact/test-utils';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { RunOutput } from '../../../../src/core/api.ts';
import { frameFragment } from '../../../../src/core/output-frame-url.ts';

/**
 * The output frame's page reports its content's height to the panel, which sizes the <iframe> to it. The
 * panel opens the frame one line high; the report must move it once, to the output's height, and not first
 * to the empty content's while the output loads.
 */

type Sent = { type: string; height?: number };
const sent: Sent[] = [];
let answer: (output: RunOutput) => void = () => undefined;

vi.mock('../../../../src/pages/output-frame/background.ts', () => ({
  askWorker: (message: Sent) => {
    sent.push(message);
    if (message.type !== 'output.get') return Promise.resolve({ ok: true, data: null });
    return new Promise((resolve) => {
      answer = (output) => resolve({ ok: true, data: { ended: true, output } });
    });
  },
}));

/** jsdom lays nothing out: the content is 2 px while empty (its padding) and 116 px with output. */
const HEIGHT = { loading: 2, ready: 116 } as const;
const observed: Array<() => void> = [];
/** A frame of another origin out of view: the browser runs no rendering steps for it, so no observations. */
let offscreen = false;

beforeAll(() => {
  location.hash = frameFragment('view-123456789abc', { kind: 'pin', id: 'p1', rowKey: 'r1' });
  vi.stubGlobal(
    'ResizeObserver',
    class {
      constructor(private readonly report: () => void) {}
      // A browser reports a non-empty box once when observation starts, then on every change.
      observe() {
        observed.push(this.report);
        if (!offscreen) this.report();
      }
      disconnect() {
        observed.splice(observed.indexOf(this.report), 1);
      }
    },
  );
  vi.spyOn(HTMLElement.prototype, 'getBoundingClientRect').mockImplementation(function (this: HTMLElement) {
    const height = HEIGHT[this.dataset.status as keyof typeof HEIGHT] ?? 0;
    return {
      height,
      width: 400,
      top: 0,
      left: 0,
      right: 400,
      bottom: height,
      x: 0,
      y: 0,
      toJSON: () => ({}),
    };
  });
});

afterAll(() => {
  vi.unstubAllGlobals();
  vi.restoreAllMocks();
});

/** The frame's page, rendered afresh with nothing sent yet. */
async function mountFrame({ inView }: { inView: boolean }): Promise<HTMLElement> {
  offscreen = !inView;
  sent.length = 0;
  const { OutputFrameApp } = await import('../../../../src/pages/output-frame/output-frame-app.tsx');
  const root = document.createElement('div');
  document.body.append(root);
  await act(() => render(<OutputFrameApp />, root));
  return root;
}

describe('the output frame page', () => {
  it('reports no height while its output loads, then the output’s height once', async () => {
    const root = await mountFrame({ inView: true });
    for (const report of observed) report();

    const heights = () => sent.filter((m) => m.type === 'output.report' && m.height !== undefined);
    expect(sent.map((m) => m.type)).toContain('output.get');
    expect(heights(), 'a height reported while the output loads').toEqual([]);

    await act(async () => {
      answer({ stdout: 'reputation: clean\n', stderr: '', exitCode: 0, truncated: false });
      await Promise.resolve();
    });
    expect(root.querySelector('.content')?.getAttribute('data-status')).toBe('ready');
    expect(heights().map((m) => m.height)).toEqual([HEIGHT.ready]);
    render(null, root);
  });

  it('reports the output’s height while out of view, where no resize is ever observed', async () => {
    const root = await mountFrame({ inView: false });
    await act(async () => {
      answer({ stdout: 'reputation: clean\n', stderr: '', exitCode: 0, truncated: false });
      await Promise.resolve();
    });
    const heights = sent.filter((m) => m.type === 'output.report' && m.height !== undefined);
    expect(heights.map((m) => m.height)).toEqual([HEIGHT.ready]);
    render(null, root);
  });
});
