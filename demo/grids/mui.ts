import {
  DataGrid,
  type GridApi,
  type GridColDef,
  type GridColumnGroupingModel,
  useGridApiRef,
} from '@mui/x-data-grid';
import { createElement as h, useEffect } from 'react';
import { createRoot } from 'react-dom/client';
import { GROUPED_LOG_COLUMNS, type ShownLog, startGridPage } from './grid-data.ts';

/**
 * The log grid on MUI X DataGrid (the free, MIT edition): `role=grid` with `aria-rowindex` /
 * `aria-colindex`, rows and columns virtualized, "Origin" and "Impacted" as column groups (a second
 * header row with `aria-colspan`). The MIT edition pages at 100 rows at most, so the 5,000 logs are 50
 * pages, each scrolled in a virtualized body. Written with `createElement`: the project's JSX is Preact's.
 * `window.logGridApi` is the grid's own API (`apiRef`), for tests.
 */

type LogItem = ShownLog & { id: string };

const columns: GridColDef<LogItem>[] = GROUPED_LOG_COLUMNS.map((column) => ({
  field: column.field,
  headerName: column.label,
  width: column.width,
}));

const columnGroupingModel: GridColumnGroupingModel = (['Origin', 'Impacted'] as const).map((group) => ({
  groupId: group,
  children: GROUPED_LOG_COLUMNS.filter((column) => column.group === group).map(({ field }) => ({ field })),
}));

function LogGrid({ rows }: { rows: LogItem[] }) {
  const apiRef = useGridApiRef();
  useEffect(() => {
    (window as unknown as { logGridApi: GridApi | null }).logGridApi = apiRef.current;
  }, [apiRef]);
  return h(DataGrid<LogItem>, {
    apiRef,
    rows,
    columns,
    columnGroupingModel,
    initialState: { pagination: { paginationModel: { pageSize: 100, page: 0 } } },
    pageSizeOptions: [25, 50, 100],
    density: 'compact',
    disableRowSelectionOnClick: true,
  });
}

function draw(host: HTMLElement, logs: ShownLog[]): void {
  const rows = logs.map((log, index) => ({ ...log, id: String(index) }));
  createRoot(host).render(h(LogGrid, { rows }));
}

void startGridPage(draw);
