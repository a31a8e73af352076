// @vitest-environment jsdom
import { render } from 'preact';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { OutputFrame } from '../../../../src/content/panel/output-frame.tsx';
import { type OutputSource, readFragment } from '../../../../src/core/output-frame-url.ts';
import { installFakeRuntime } from './fake-runtime.ts';

const container = document.createElement('div');
document.body.append(container);
let runtime: ReturnType<typeof installFakeRuntime>;

beforeEach(() => {
  runtime = installFakeRuntime(() => ({ ok: true, data: null }));
});
afterEach(() => {
  render(null, container);
  runtime.uninstall();
});

describe('the output frame in the panel', () => {
  it('is created after the render that shows the verdict is painted, in a box that keeps its place', async () => {
    const Result = () => (
      <div>
        <span class="chip">malicious</span>
        <OutputFrame source={{ kind: 'job', id: 'job-1' }} onEscape={() => {}} />
      </div>
    );
    // The render that draws the chips: no frame yet, only its box at the frame's first height.
    render(<Result />, container);
    expect(container.querySelector('.chip')).not.toBeNull();
    expect(container.querySelector('iframe')).toBeNull();
    const box = container.querySelector<HTMLElement>('.output-frame')!;
    expect(box.style.height).toBe('24px');

    // After that paint (Preact runs effects then), the frame takes the box's place.
    await vi.waitFor(() => expect(container.querySelector('iframe')).not.toBeNull());
    const frame = container.querySelector<HTMLIFrameElement>('iframe.output-frame')!;
    expect(new URL(frame.src).pathname).toBe('/src/pages/output-frame/index.html');
    expect(frame.style.height).toBe('24px');
    expect(container.querySelectorAll('.output-frame')).toHaveLength(1);
  });

  it('opens again at the height its output was last shown at, not one line high', async () => {
    const pin: OutputSource = { kind: 'pin', id: 'pin-7', rowKey: 'log:1' };
    const shown = async (source: OutputSource) => {
      render(<OutputFrame key={JSON.stringify(source)} source={source} onEscape={() => {}} />, container);
      const placeholder = container.querySelector<HTMLElement>('.output-frame')!.style.height;
      await vi.waitFor(() => expect(container.querySelector('iframe')).not.toBeNull());
      return { placeholder, frame: container.querySelector<HTMLIFrameElement>('iframe.output-frame')! };
    };

    const first = await shown(pin);
    expect(first.placeholder).toBe('24px');
    // The frame's page reports its output's height, through the worker.
    const { view } = readFragment(new URL(first.frame.src).hash);
    runtime.push({ type: 'output.frame', view, height: 116 });
    await vi.waitFor(() => expect(first.frame.style.height).toBe('116px'));
    render(null, container);

    // The row's pinned results opened again: the same output, drawn at its height from the first render.
    const again = await shown(pin);
    expect(again.placeholder).toBe('116px');
    expect(again.frame.style.height).toBe('116px');
    render(null, container);

    // Another pin's output has not been shown: one line until it reports.
    const other = await shown({ kind: 'pin', id: 'pin-8', rowKey: 'log:1' });
    expect(other.placeholder).toBe('24px');
  });
});
