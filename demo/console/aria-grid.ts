import { type ConsoleColumn, type ConsoleRow, cellText } from './console-data.ts';

/**
 * A hand-rolled WAI-ARIA data grid with windowed rendering, like the in-house grids some consoles use:
 * only the rows in view (plus a small buffer) exist in the DOM, and the same row elements are reused for
 * different data as the user scrolls (index-tracked recycling: text is rewritten in place, so the row
 * elements never change identity). Positions are announced with aria-rowindex / aria-colindex over the
 * full grid; hidden columns keep their index slot, so aria-colcount is larger than the rendered headers.
 */

const ROW_HEIGHT = 26;
const BUFFER_ROWS = 4;

export interface AriaGridOptions {
  label: string;
  columns: readonly ConsoleColumn[];
  hiddenFields: ReadonlySet<string>;
  rows: readonly ConsoleRow[];
}

interface ShownColumn {
  column: ConsoleColumn;
  /** 1-based position in the full column set, hidden ones included. */
  colIndex: number;
  width: number;
}

function div(role: string, className?: string): HTMLDivElement {
  const element = document.createElement('div');
  element.setAttribute('role', role);
  if (className) element.className = className;
  return element;
}

export function renderAriaGrid(host: HTMLElement, options: AriaGridOptions): () => void {
  const shown: ShownColumn[] = options.columns
    .map((column, i) => ({ column, colIndex: i + 1, width: column.width ?? 150 }))
    .filter((c) => !options.hiddenFields.has(c.column.field));
  const totalWidth = shown.reduce((sum, c) => sum + c.width, 0);
  const selected = new Set<number>();

  const grid = div('grid', 'aria-grid-body');
  grid.setAttribute('aria-label', options.label);
  grid.setAttribute('aria-rowcount', String(options.rows.length + 1));
  grid.setAttribute('aria-colcount', String(options.columns.length));
  grid.setAttribute('aria-multiselectable', 'true');

  const headGroup = div('rowgroup', 'aria-grid-head-group');
  const headRow = div('row', 'aria-grid-head');
  headRow.setAttribute('aria-rowindex', '1');
  headRow.style.width = `${totalWidth}px`;
  for (const c of shown) {
    const header = div('columnheader');
    header.setAttribute('aria-colindex', String(c.colIndex));
    header.style.width = `${c.width}px`;
    header.textContent = c.column.label;
    headRow.append(header);
  }
  headGroup.append(headRow);

  const bodyGroup = div('rowgroup', 'aria-grid-rows');
  bodyGroup.style.height = `${options.rows.length * ROW_HEIGHT}px`;
  bodyGroup.style.width = `${totalWidth}px`;
  grid.append(headGroup, bodyGroup);
  host.replaceChildren(grid);

  const pool: HTMLDivElement[] = [];
  const ensurePool = (size: number): void => {
    while (pool.length < size) {
      const row = div('row', 'aria-grid-row');
      row.style.width = `${totalWidth}px`;
      for (const c of shown) {
        const cell = div('gridcell');
        cell.setAttribute('aria-colindex', String(c.colIndex));
        cell.style.width = `${c.width}px`;
        row.append(cell);
      }
      pool.push(row);
      bodyGroup.append(row);
    }
  };

  const bind = (row: HTMLDivElement, index: number): void => {
    const data = options.rows[index];
    row.hidden = data === undefined;
    if (!data) return;
    row.style.transform = `translateY(${index * ROW_HEIGHT}px)`;
    row.setAttribute('aria-rowindex', String(index + 2));
    row.setAttribute('aria-selected', String(selected.has(index)));
    row.classList.toggle('odd', index % 2 === 1);
    shown.forEach((c, i) => {
      const cell = row.children[i] as HTMLElement;
      const text = cellText(data, c.column.field);
      if (cell.textContent !== text) cell.textContent = text;
    });
  };

  let frame = 0;
  const render = (): void => {
    frame = 0;
    const headerHeight = headGroup.offsetHeight;
    const viewport = Math.max(grid.clientHeight - headerHeight, ROW_HEIGHT);
    const first = Math.max(0, Math.floor(grid.scrollTop / ROW_HEIGHT) - BUFFER_ROWS);
    ensurePool(Math.ceil(viewport / ROW_HEIGHT) + 2 * BUFFER_ROWS);
    for (const [i, row] of pool.entries()) bind(row, first + i);
  };
  const schedule = (): void => {
    if (!frame) frame = requestAnimationFrame(render);
  };

  const onClick = (event: MouseEvent): void => {
    const row = (event.target as Element | null)?.closest<HTMLElement>('.aria-grid-row');
    if (!row) return;
    const index = Number(row.getAttribute('aria-rowindex')) - 2;
    if (selected.has(index)) selected.delete(index);
    else selected.add(index);
    row.setAttribute('aria-selected', String(selected.has(index)));
  };

  grid.addEventListener('scroll', schedule, { passive: true });
  grid.addEventListener('click', onClick);
  const resize = new ResizeObserver(schedule);
  resize.observe(grid);
  render();
  return () => {
    resize.disconnect();
    grid.removeEventListener('scroll', schedule);
    grid.removeEventListener('click', onClick);
    cancelAnimationFrame(frame);
  };
}
