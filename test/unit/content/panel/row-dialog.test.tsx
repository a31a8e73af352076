// @vitest-environment jsdom
import { render } from 'preact';
import { act } from 'preact/test-utils';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { RowBox } from '../../../../src/content/grid/row-box.ts';
import { useRowDialog } from '../../../../src/content/panel/row-dialog.ts';

/** A row dialog as the pinned results and the triggered run use it: its first button takes the focus. */
function Dialog({ current }: { current: { anchor: RowBox | null } | null }) {
  const { ref, style } = useRowDialog(current);
  if (!current) return null;
  return (
    <div ref={ref} role="dialog" style={style}>
      <button type="button">Close</button>
      <button type="button">Unpin</button>
    </div>
  );
}

/** jsdom lays nothing out and observes no size: each test's observers, reported to by hand. */
const resized = new Set<() => void>();
class ManualResizeObserver {
  private readonly report: () => void;
  constructor(callback: ResizeObserverCallback) {
    this.report = () => callback([], this as unknown as ResizeObserver);
  }
  observe() {
    resized.add(this.report);
  }
  unobserve() {}
  disconnect() {
    resized.delete(this.report);
  }
}
vi.stubGlobal('ResizeObserver', ManualResizeObserver);

const container = document.createElement('div');
document.body.append(container);
afterEach(() => {
  render(null, container);
  vi.restoreAllMocks();
});

/** Each focus given, with whether its dialog could be seen then (a hidden element takes no focus in a browser). */
function watchFocus(): string[] {
  const given: string[] = [];
  const focus = HTMLElement.prototype.focus;
  vi.spyOn(HTMLElement.prototype, 'focus').mockImplementation(function (this: HTMLElement) {
    const dialog = this.closest<HTMLElement>('[role="dialog"]');
    given.push(`${this.textContent} ${dialog?.style.visibility === 'hidden' ? 'hidden' : 'shown'}`);
    focus.call(this);
  });
  return given;
}

const anchor: RowBox = { top: 100, bottom: 124, left: 10, right: 600 };

describe('useRowDialog', () => {
  it('focuses the first button once the dialog is placed, the first time it opens too', async () => {
    const given = watchFocus();
    await act(() => render(<Dialog current={{ anchor }} />, container));
    await act(() => new Promise((r) => setTimeout(r, 50)));
    expect(given).toEqual(['Close shown']);
    expect(document.activeElement?.textContent).toBe('Close');
    expect(container.querySelector<HTMLElement>('[role="dialog"]')!.style.visibility).toBe('');

    // Closed and opened again: placed where the last one stood until measured, focused once.
    await act(() => render(<Dialog current={null} />, container));
    (document.activeElement as HTMLElement | null)?.blur();
    await act(() => render(<Dialog current={{ anchor: { ...anchor, top: 200, bottom: 224 } }} />, container));
    await act(() => new Promise((r) => setTimeout(r, 50)));
    expect(given).toEqual(['Close shown', 'Close shown']);
    expect(document.activeElement?.textContent).toBe('Close');
  });

  it('is placed again when its content grows, so it never grows over its row', async () => {
    vi.spyOn(document.documentElement, 'clientWidth', 'get').mockReturnValue(1280);
    vi.spyOn(document.documentElement, 'clientHeight', 'get').mockReturnValue(800);
    /** Its content's height with no limit: "Loading…" first, the pinned results after. */
    let natural = 90;
    vi.spyOn(HTMLElement.prototype, 'getBoundingClientRect').mockImplementation(function (this: HTMLElement) {
      if (this.getAttribute('role') !== 'dialog') return new DOMRect();
      const room = Number.parseFloat(this.style.getPropertyValue('--room')) || Number.POSITIVE_INFINITY;
      const [, y = '0'] = /translate\([-\d.]+px, ([-\d.]+)px\)/.exec(this.style.transform) ?? [];
      return new DOMRect(0, Number(y), 440, Math.min(natural, room));
    });
    // A row near the bottom: 100 px below it, 660 above it.
    const low: RowBox = { top: 668, bottom: 692, left: 10, right: 1270 };
    await act(() => render(<Dialog current={{ anchor: low }} />, container));
    const dialog = container.querySelector<HTMLElement>('[role="dialog"]')!;
    const box = () => dialog.getBoundingClientRect();
    expect(box().top).toBe(696);

    natural = 500;
    await act(() => {
      for (const report of resized) report();
    });
    expect(box().bottom).toBeLessThanOrEqual(low.top);
    expect(box().top).toBeGreaterThanOrEqual(8);
    expect(box().height).toBe(500);
  });
});
