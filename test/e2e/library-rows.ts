import type { Page } from 'playwright-core';
import { argAfter } from './analyst.ts';

/**
 * What a real grid library SHOWS for the row at a point on screen, read through the library's own API and
 * DOM (never through Gridside): the row at a screen position is whatever row the grid drew there, however
 * its elements are ordered or recycled. Used by library-grids.e2e.ts on the demo console's /grids/ pages.
 */

export type Library = 'slickgrid' | 'tabulator' | 'eui' | 'mui' | 'tanstack';

/** The library pages (demo/grids/): the element that shows the rows are in, and the library's API on `window`. */
export const LIBRARIES: ReadonlyArray<{ library: Library; name: string; ready: string; api: string }> = [
  { library: 'slickgrid', name: 'SlickGrid', ready: '.slick-row', api: 'logGrid' },
  { library: 'tabulator', name: 'Tabulator', ready: '.tabulator-row', api: 'logTable' },
  { library: 'eui', name: 'Elastic EUI', ready: '[role=gridcell]', api: 'logGrid' },
  { library: 'mui', name: 'MUI X DataGrid', ready: '[role=gridcell]', api: 'logGridApi' },
  { library: 'tanstack', name: 'TanStack Table', ready: '#grid tbody tr[data-index]', api: 'logTable' },
];

/** Log field (the libraries' column id) → echo-row switch (demo/plugins/echo-row/actions.xml). */
export const SWITCHES: Readonly<Record<string, string>> = {
  SIP: '-sip',
  DIP: '-dip',
  SHostName: '-shost',
  DHostName: '-dhost',
  Login: '-login',
  URL: '-url',
  Process: '-process',
  Object: '-object',
  Hash: '-hash',
};

/** The row's shown values that map to an echo-row switch, where the plugin got something else. */
export function shownMismatches(shown: ShownRow, argv: string[], where: string): string[] {
  const problems: string[] = [];
  for (const cell of shown.cells) {
    const flag = SWITCHES[cell.field];
    if (!flag) continue;
    const got = argAfter(argv, flag) ?? '';
    if (got !== cell.text)
      problems.push(`${where}, column "${cell.header}": the grid shows "${cell.text}", ${flag} got "${got}"`);
  }
  return problems;
}

export interface ShownCell {
  /** The library's column id (the log field it shows). */
  field: string;
  /** The header as the analyst reads it: "Origin › Host", or "Host (Origin)" on a flat grid. */
  header: string;
  text: string;
}

export interface ShownRow {
  /** The library's own row identity (row index, row id), for messages. */
  row: string;
  /** Every cell the grid rendered for the row, across its render containers. */
  cells: ShownCell[];
  /** A selector for the cell at the point, unique in the page until the grid re-renders. */
  cellSelector: string;
  /** For SlickGrid: is the row canvas out of screen order (recycled elements appended at the end)? */
  domOrderDiffers?: boolean;
}

/** Where the analyst points: the middle of column `field`, `visualRow` rows below the header. */
export interface RowPoint {
  field: string;
  visualRow: number;
}

/**
 * Reads the row drawn at the point once the grid has settled: the same row, with the same text, at the
 * point in two consecutive frames.
 */
export async function shownRowAt(page: Page, library: Library, at: RowPoint): Promise<ShownRow> {
  await page.evaluate(() => {
    (window as unknown as { shownBefore?: string }).shownBefore = undefined;
  });
  const settled = await page.waitForFunction(
    readAtPoint,
    { library, ...at },
    { timeout: 20_000, polling: 'raf' },
  );
  return (await settled.jsonValue()) as ShownRow;
}

/**
 * Runs in the page, once a frame, until the row at the point is the same as in the frame before.
 * Everything it needs is inside it (Playwright serializes the function).
 */
export function readAtPoint({ library, field, visualRow }: { library: Library } & RowPoint): ShownRow | null {
  const store = window as unknown as { shownBefore?: string };
  const now = read();
  const key = now ? JSON.stringify(now) : undefined;
  const before = store.shownBefore;
  store.shownBefore = key;
  return key !== undefined && key === before ? now : null;

  function read(): ShownRow | null {
    // biome-ignore lint/suspicious/noExplicitAny: the pages expose their grid library's own API for tests
    const page = window as any;
    const headerSelector: Record<Exclude<Library, 'tanstack'>, string> = {
      slickgrid: `[role=columnheader][data-id="${field}"]`,
      tabulator: `[role=columnheader][tabulator-field="${field}"]`,
      eui: `[role=columnheader][data-gridcell-column-id="${field}"]`,
      mui: `[role=columnheader][data-field="${field}"]`,
    };
    const cellSelector: Record<Library, string> = {
      slickgrid: '.slick-cell',
      tabulator: '.tabulator-cell',
      eui: '[role=gridcell][data-gridcell-row-index]',
      mui: '[role=gridcell][data-field]',
      tanstack: '#grid tbody tr[data-index] > td',
    };
    // TanStack's headers carry no column id: the leaf header is found by its place in the last header row.
    const leafHeader = (): Element | null => {
      // biome-ignore lint/suspicious/noExplicitAny: TanStack's header objects
      const leaves = page.logTable.getHeaderGroups().at(-1).headers as any[];
      const at = leaves.findIndex((leaf) => leaf.column.id === field);
      return at < 0 ? null : (document.querySelectorAll('#grid thead tr:last-child > th')[at] ?? null);
    };
    const header = library === 'tanstack' ? leafHeader() : document.querySelector(headerSelector[library]);
    const sample = document.querySelector(cellSelector[library]);
    if (!header || !sample) return null;
    const box = header.getBoundingClientRect();
    const rowHeight = sample.getBoundingClientRect().height;
    const x = box.left + Math.min(box.width / 2, 40);
    const y = box.bottom + 2 + rowHeight * (visualRow + 0.5);
    // The grid's own element at the point (Gridside's overlay is skipped: it is not the page's).
    const hit = document
      .elementsFromPoint(x, y)
      .find((el) => el.closest(cellSelector[library]) && !el.closest('[data-gridside]'));
    const cell = hit?.closest(cellSelector[library]);
    if (!cell) return null;
    const text = (el: Element | null | undefined): string => (el?.textContent ?? '').trim();

    if (library === 'slickgrid') {
      const grid = page.logGrid;
      const rowEl = cell.closest('.slick-row') as HTMLElement;
      const index = Number(rowEl.dataset.row);
      // biome-ignore lint/suspicious/noExplicitAny: SlickGrid column definitions
      const cells = grid.getColumns().flatMap((column: any, c: number) => {
        const node = grid.getCellNode(index, c);
        if (!node) return [];
        const label = column.columnGroup ? `${column.columnGroup} › ${column.name}` : column.name;
        return [{ field: column.field, header: label, text: text(node) }];
      });
      const canvas = rowEl.parentElement!;
      const order = [...canvas.children].map((row) => Number((row as HTMLElement).dataset.row));
      const pane = canvas.classList.contains('grid-canvas-left') ? 'left' : 'right';
      const column = [...cell.classList].find((name) => /^l\d+$/.test(name));
      return {
        row: `row ${index}`,
        cells,
        cellSelector: `#grid .grid-canvas-${pane} .slick-row[data-row="${index}"] > .slick-cell.${column}`,
        domOrderDiffers: order.some((value, i) => i > 0 && value < order[i - 1]!),
      };
    }

    if (library === 'tabulator') {
      const rowEl = cell.closest('.tabulator-row')!;
      // biome-ignore lint/suspicious/noExplicitAny: Tabulator row and cell components
      const row = page.logTable.getRows().find((r: any) => r.getElement() === rowEl);
      if (!row) return null;
      // biome-ignore lint/suspicious/noExplicitAny: Tabulator cell components
      const cells = row.getCells().map((c: any) => {
        const definition = c.getColumn().getDefinition();
        const group = c.getColumn().getParentColumn();
        const label = group ? `${group.getDefinition().title} › ${definition.title}` : definition.title;
        return { field: c.getField(), header: label, text: text(c.getElement()) };
      });
      const nth = [...rowEl.parentElement!.children].indexOf(rowEl) + 1;
      const cellField = cell.getAttribute('tabulator-field');
      return {
        row: `row ${row.getPosition()} (id ${row.getIndex()})`,
        cells,
        cellSelector: `#grid .tabulator-table > .tabulator-row:nth-child(${nth}) > .tabulator-cell[tabulator-field="${cellField}"]`,
      };
    }

    if (library === 'eui') {
      const rowIndex = cell.getAttribute('data-gridcell-row-index');
      const grid = cell.closest('[role=grid]')!;
      const cells = [...grid.querySelectorAll('[role=columnheader][data-gridcell-column-id]')].flatMap(
        (h) => {
          const id = h.getAttribute('data-gridcell-column-id')!;
          const node = grid.querySelector(
            `[role=gridcell][data-gridcell-row-index="${rowIndex}"][data-gridcell-column-id="${id}"] [data-datagrid-cellcontent]`,
          );
          return node
            ? [
                {
                  field: id,
                  header: h.querySelector('[title]')?.getAttribute('title') ?? id,
                  text: text(node),
                },
              ]
            : [];
        },
      );
      return {
        row: `row ${rowIndex}`,
        cells,
        cellSelector: `[role=gridcell][data-gridcell-row-index="${rowIndex}"][data-gridcell-column-id="${cell.getAttribute('data-gridcell-column-id')}"]`,
      };
    }

    if (library === 'tanstack') {
      // The row model's row at the element's data-index, its cells in the same order as the <td>s.
      const rowEl = cell.closest('tr[data-index]')!;
      const index = Number(rowEl.getAttribute('data-index'));
      const tds = [...rowEl.children];
      // biome-ignore lint/suspicious/noExplicitAny: TanStack's row and cell objects
      const visible = page.logTable.getRowModel().rows[index].getVisibleCells() as any[];
      const cells = visible.map((c, i) => {
        const name = c.column.columnDef.header as string;
        const group = c.column.parent?.columnDef.header as string | undefined;
        return {
          field: c.column.id as string,
          header: group ? `${group} › ${name}` : name,
          text: text(tds[i]),
        };
      });
      return {
        row: `row ${index}`,
        cells,
        cellSelector: `#grid tbody tr[data-index="${index}"] > td:nth-child(${tds.indexOf(cell) + 1})`,
      };
    }

    // MUI X: the row's id, its columns and their groups from apiRef.
    const api = page.logGridApi;
    const rowEl = cell.closest('[role=row][data-id]')!;
    const id = rowEl.getAttribute('data-id');
    const cells = [...rowEl.querySelectorAll('[role=gridcell][data-field]')].map((node) => {
      const columnField = node.getAttribute('data-field')!;
      const group = api.getColumnGroupPath(columnField) as string[];
      const name = api.getColumn(columnField).headerName as string;
      return { field: columnField, header: [...group, name].join(' › '), text: text(node) };
    });
    return {
      row: `id ${id} (aria-rowindex ${rowEl.getAttribute('aria-rowindex')})`,
      cells,
      cellSelector: `[role=row][data-id="${id}"] [role=gridcell][data-field="${cell.getAttribute('data-field')}"]`,
    };
  }
}

/** A scroll of the grid's rows: to a fraction of its height, by rows, or to a horizontal offset. */
export interface GridScroll {
  fraction?: number;
  byRows?: number;
  /** scrollLeft, in pixels. */
  left?: number;
}

/**
 * Scrolls the element the grid scrolls its rows in (the tallest scrollable box inside the grid host), then
 * waits until the grid has settled: no change to its DOM for a quarter of a second. Some grids draw once
 * on the scroll and again when they decide the scroll is over (react-window, under EUI, 150 ms later,
 * with a different set of columns), so a row read in between is not the row the analyst acts on.
 */
export async function scrollGridTo(page: Page, to: GridScroll): Promise<void> {
  await page.evaluate(({ fraction, byRows, left }) => {
    const host = document.getElementById('grid')!;
    const boxes = [host, ...host.querySelectorAll('*')].filter((el) => {
      const style = getComputedStyle(el);
      return /(auto|scroll)/.test(style.overflowY) && el.scrollHeight > el.clientHeight + 40;
    });
    const scroller = boxes.sort((a, b) => b.scrollHeight - a.scrollHeight)[0];
    if (!scroller) throw new Error('no scrollable rows in the grid');
    const row = host.querySelector(
      '.slick-row, .tabulator-row, [role=row][data-grid-row-index], [role=row][data-id], tr[data-index]',
    );
    const rowHeight = row?.getBoundingClientRect().height ?? 30;
    if (fraction !== undefined) scroller.scrollTop = Math.round(scroller.scrollHeight * fraction);
    if (byRows !== undefined) scroller.scrollTop += Math.round(byRows * rowHeight);
    if (left !== undefined) scroller.scrollLeft = left;
  }, to);
  await page.evaluate(
    () =>
      new Promise<void>((resolve) => {
        const quietMs = 250;
        const host = document.getElementById('grid')!;
        let timer = setTimeout(done, quietMs);
        const observer = new MutationObserver(() => {
          clearTimeout(timer);
          timer = setTimeout(done, quietMs);
        });
        observer.observe(host, { childList: true, subtree: true, attributes: true, characterData: true });
        // A grid that never rests (an animation) is read after five seconds all the same.
        const cap = setTimeout(done, 5_000);
        function done(): void {
          observer.disconnect();
          clearTimeout(timer);
          clearTimeout(cap);
          resolve();
        }
      }),
  );
}
