// @vitest-environment jsdom
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { renderAriaGrid } from '../../../demo/console/aria-grid.ts';
import type { ConsoleRow } from '../../../demo/console/console-data.ts';

const columns = [
  { field: 'LogId', label: 'Log ID', width: 100 },
  { field: 'LogDate', label: 'Log Date' },
  { field: 'Entity', label: 'Log Source Entity' },
  { field: 'SHostName', label: 'Host (Origin)' },
];

const rows: ConsoleRow[] = Array.from({ length: 1000 }, (_, i) => ({
  LogId: String(5000 + i),
  LogDate: '2026-11-27T13:05:09.000Z',
  Entity: 'Primary Site',
  SHostName: i === 3 ? '<img src=x onerror=alert(1)>' : `WS-${i}`,
}));

let host: HTMLElement;

beforeEach(() => {
  // jsdom has no layout: render synchronously and give the grid a 260 px viewport (10 rows).
  vi.stubGlobal('requestAnimationFrame', (cb: FrameRequestCallback) => {
    cb(0);
    return 1;
  });
  vi.stubGlobal(
    'ResizeObserver',
    class {
      observe(): void {}
      disconnect(): void {}
    },
  );
  vi.spyOn(HTMLElement.prototype, 'clientHeight', 'get').mockReturnValue(286);
  vi.spyOn(HTMLElement.prototype, 'offsetHeight', 'get').mockReturnValue(26);
  host = document.createElement('main');
  document.body.replaceChildren(host);
  renderAriaGrid(host, { label: 'Logs', columns, hiddenFields: new Set(['Entity']), rows });
});

afterEach(() => {
  vi.restoreAllMocks();
  vi.unstubAllGlobals();
});

const grid = () => host.querySelector<HTMLElement>('[role=grid]')!;
const bodyRows = () => [...host.querySelectorAll<HTMLElement>('[role=row]:not([aria-rowindex="1"])')];
const cellsOf = (row: Element) => [...row.querySelectorAll('[role=gridcell]')];

describe('hand-rolled ARIA log grid', () => {
  it('counts every column and row of the data, hidden column included', () => {
    expect(grid().getAttribute('aria-colcount')).toBe('4');
    expect(grid().getAttribute('aria-rowcount')).toBe('1001');
    const headers = [...host.querySelectorAll('[role=columnheader]')];
    expect(headers.map((h) => h.textContent)).toEqual(['Log ID', 'Log Date', 'Host (Origin)']);
    expect(headers.map((h) => h.getAttribute('aria-colindex'))).toEqual(['1', '2', '4']);
  });

  it('renders only the rows in view, with their position in the full grid', () => {
    expect(bodyRows().length).toBeLessThan(30);
    const first = bodyRows()[0]!;
    expect(first.getAttribute('aria-rowindex')).toBe('2');
    expect(cellsOf(first).map((c) => c.textContent)).toEqual(['5000', '11/27/2026 1:05:09 PM', 'WS-0']);
    expect(cellsOf(first).map((c) => c.getAttribute('aria-colindex'))).toEqual(['1', '2', '4']);
  });

  it('shows an HTML payload as text', () => {
    const hostile = bodyRows().find((r) => r.getAttribute('aria-rowindex') === '5')!;
    const cell = cellsOf(hostile)[2]!;
    expect(cell.textContent).toBe('<img src=x onerror=alert(1)>');
    expect(cell.children).toHaveLength(0);
  });

  it('reuses the same row elements for other rows when scrolled', () => {
    const before = bodyRows();
    vi.spyOn(HTMLElement.prototype, 'scrollTop', 'get').mockReturnValue(26 * 500);
    grid().dispatchEvent(new Event('scroll'));
    const after = bodyRows();
    expect(after).toEqual(before);
    const indexes = after.map((r) => Number(r.getAttribute('aria-rowindex')));
    expect(Math.min(...indexes)).toBeGreaterThan(490);
    const row = after.find((r) => r.getAttribute('aria-rowindex') === '502')!;
    expect(cellsOf(row)[0]!.textContent).toBe('5500');
  });
});
