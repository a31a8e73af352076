// @vitest-environment jsdom
import { render } from 'preact';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { OutputFrame } from '../../../../src/content/panel/output-frame.tsx';
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
});
