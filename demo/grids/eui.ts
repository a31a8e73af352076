import { EuiDataGrid, type EuiDataGridRefProps, EuiProvider } from '@elastic/eui';
import { createElement as h, useRef, useState } from 'react';
import { createRoot } from 'react-dom/client';
import { FLAT_LOG_COLUMNS, type ShownLog, startGridPage } from './grid-data.ts';

/**
 * The log grid of a Kibana-style console, on Elastic EUI's EuiDataGrid: `role=grid` whose cells carry their
 * column in `data-gridcell-column-index` (no `aria-colindex`), every row and cell absolutely positioned by
 * react-window, rows and columns virtualized (a row holds only the cells in view), one header row (EUI has
 * no column groups, so the labels carry "(Origin)" / "(Impacted)"). Written with `createElement` rather
 * than JSX: the project's JSX is Preact's. `window.logGrid` is the grid's own imperative API
 * (EuiDataGridRefProps), for tests.
 */

const columns = FLAT_LOG_COLUMNS.map((column) => ({
  id: column.field,
  displayAsText: column.label,
  initialWidth: column.width,
}));

function LogGrid({ logs }: { logs: ShownLog[] }) {
  const [visibleColumns, setVisibleColumns] = useState(() => columns.map((column) => column.id));
  const ref = useRef<EuiDataGridRefProps | null>(null);
  const expose = (api: EuiDataGridRefProps | null): void => {
    ref.current = api;
    (window as unknown as { logGrid: unknown }).logGrid = api;
  };
  return h(EuiDataGrid, {
    ref: expose,
    'aria-label': 'Logs',
    columns,
    columnVisibility: { visibleColumns, setVisibleColumns },
    rowCount: logs.length,
    // React renders the string as text: page data never becomes markup.
    renderCellValue: ({ rowIndex, columnId }) => logs[rowIndex]?.[columnId] ?? '',
    height: '100%',
    width: '100%',
  });
}

function draw(host: HTMLElement, logs: ShownLog[]): void {
  createRoot(host).render(h(EuiProvider, { colorMode: 'light' }, h(LogGrid, { logs })));
}

void startGridPage(draw);
