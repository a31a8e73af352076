import { type Column, SlickDataView, SlickGrid } from 'slickgrid';
import { GROUPED_LOG_COLUMNS, type ShownLog, startGridPage } from './grid-data.ts';

/**
 * The log grid on SlickGrid 5: rows are absolutely positioned and recycled as the analyst scrolls (a row
 * scrolled back into view is appended at the end of its canvas, so DOM order is not screen order), Log ID
 * and Log Date are frozen in a left canvas apart from the rest of each row, and "Origin" / "Impacted" are
 * column groups drawn in a pre-header row. `window.logGrid` is SlickGrid's own API, for tests.
 */

type LogItem = ShownLog & { id: string };

/** Values are page data: shown as text, never as HTML. */
function textFormatter(_row: number, _cell: number, value: unknown): DocumentFragment {
  const text = document.createDocumentFragment();
  text.append(String(value ?? ''));
  return text;
}

/**
 * SlickGrid leaves the pre-header row empty: consoles draw their column groups into it, one header cell
 * per run of columns sharing a `columnGroup`, in the left (frozen) and right panes separately. This is how
 * SlickGrid's own frozen-columns-with-groups example does it.
 */
function drawColumnGroups(grid: SlickGrid<LogItem>, frozenColumn: number): void {
  const columns = grid.getColumns();
  const panes: Array<[HTMLDivElement, Column[]]> = [
    [grid.getPreHeaderPanelLeft(), columns.slice(0, frozenColumn + 1)],
    [grid.getPreHeaderPanelRight(), columns.slice(frozenColumn + 1)],
  ];
  const widthDiff = grid.getHeaderColumnWidthDiff();
  for (const [panel, paneColumns] of panes) {
    panel.replaceChildren();
    panel.className = 'slick-header-columns';
    // SlickGrid's header cells sit 1000 px right of their row (its theme); the row is shifted back.
    panel.style.left = '-1000px';
    panel.style.width = `${grid.getHeadersWidth()}px`;
    panel.parentElement?.classList.add('slick-header');
    let header: HTMLDivElement | null = null;
    let group: string | undefined;
    let width = 0;
    for (const column of paneColumns) {
      if (header && column.columnGroup === group) {
        width += column.width ?? 0;
      } else {
        header = document.createElement('div');
        header.className = 'ui-state-default slick-state-default slick-header-column';
        const name = document.createElement('span');
        name.className = 'slick-column-name';
        name.textContent = column.columnGroup ?? '';
        header.append(name);
        panel.append(header);
        group = column.columnGroup;
        width = column.width ?? 0;
      }
      header.style.width = `${width - widthDiff}px`;
    }
  }
}

function draw(host: HTMLElement, logs: ShownLog[]): void {
  const columns: Column[] = GROUPED_LOG_COLUMNS.map((column) => ({
    id: column.field,
    field: column.field,
    name: column.label,
    width: column.width,
    sortable: true,
    resizable: true,
    formatter: textFormatter,
    ...(column.group ? { columnGroup: column.group } : {}),
  }));
  const dataView = new SlickDataView<LogItem>();
  const frozenColumn = 1;
  const grid = new SlickGrid<LogItem>(host, dataView, columns, {
    frozenColumn,
    createPreHeaderPanel: true,
    showPreHeaderPanel: true,
    preHeaderPanelHeight: 28,
    rowHeight: 30,
    enableCellNavigation: true,
    enableColumnReorder: false,
  });
  dataView.onRowCountChanged.subscribe(() => {
    grid.updateRowCount();
    grid.render();
  });
  dataView.onRowsChanged.subscribe((_event, args) => {
    grid.invalidateRows(args.rows);
    grid.render();
  });
  grid.onColumnsResized.subscribe(() => drawColumnGroups(grid, frozenColumn));
  drawColumnGroups(grid, frozenColumn);
  dataView.setItems(logs.map((log, index) => ({ ...log, id: String(index) })));
  window.addEventListener('resize', () => grid.resizeCanvas());
  (window as unknown as { logGrid: unknown }).logGrid = grid;
}

void startGridPage(draw);
