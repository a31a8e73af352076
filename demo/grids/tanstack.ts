import {
  type ColumnDef,
  flexRender,
  getCoreRowModel,
  type Table,
  useReactTable,
} from '@tanstack/react-table';
import { useVirtualizer } from '@tanstack/react-virtual';
import { type CSSProperties, createElement as h, useEffect, useRef } from 'react';
import { createRoot } from 'react-dom/client';
import { type ColumnGroup, GROUPED_LOG_COLUMNS, type ShownLog, startGridPage } from './grid-data.ts';

/**
 * The log search as a data table built on TanStack Table 8 and TanStack Virtual 3, the way their
 * virtualized-rows example (and the shadcn/ui data tables grown from it) draws one: a real `<table>` laid
 * out with CSS grid and flex, a sticky `<thead>` with "Origin" and "Impacted" as header groups (`colSpan`,
 * with TanStack's empty placeholder cells over the ungrouped columns), and a `<tbody>` as tall as all
 * 5,000 rows holding only the rows in view, each absolutely positioned with a `translateY` and keyed by
 * `data-index`. Log ID and Log Date are pinned left with `position: sticky`, as TanStack's column-pinning
 * example does. No ARIA roles beyond the table's own, no ids on cells. Nothing here is shaped for
 * Gridside. Written with `createElement`: the project's JSX is Preact's. `window.logTable` is the table
 * instance, for tests.
 */

const ROW_HEIGHT = 30;
const PINNED = new Set(['LogId', 'LogDate']);

const leaf = (column: (typeof GROUPED_LOG_COLUMNS)[number]): ColumnDef<ShownLog> => ({
  id: column.field,
  accessorFn: (log) => log[column.field] ?? '',
  header: column.label,
  size: column.width,
});

/** The columns in order, the grouped ones under their group (TanStack's nested `columns`). */
function logColumns(): ColumnDef<ShownLog>[] {
  const out: ColumnDef<ShownLog>[] = [];
  const groups = new Map<ColumnGroup, ColumnDef<ShownLog>[]>();
  for (const column of GROUPED_LOG_COLUMNS) {
    if (!column.group) {
      out.push(leaf(column));
      continue;
    }
    let members = groups.get(column.group);
    if (!members) {
      members = [];
      groups.set(column.group, members);
      out.push({ id: column.group, header: column.group, columns: members });
    }
    members.push(leaf(column));
  }
  return out;
}

const columns = logColumns();

/** `position: sticky` for a pinned column, at the width of the pinned columns before it. */
function pinStyle(table: Table<ShownLog>, columnId: string, background: string): CSSProperties {
  if (!PINNED.has(columnId)) return {};
  const column = table.getColumn(columnId);
  return { position: 'sticky', left: column ? column.getStart('left') : 0, zIndex: 1, background };
}

const cellStyle = (width: number): CSSProperties => ({
  display: 'flex',
  alignItems: 'center',
  width,
  flex: 'none',
  padding: '0 8px',
  overflow: 'hidden',
  whiteSpace: 'nowrap',
  textOverflow: 'ellipsis',
  boxSizing: 'border-box',
  borderBottom: '1px solid #e2e8f0',
  height: ROW_HEIGHT,
});

function LogTable({ data }: { data: ShownLog[] }) {
  const table = useReactTable({
    data,
    columns,
    getCoreRowModel: getCoreRowModel(),
    initialState: { columnPinning: { left: [...PINNED] } },
  });
  useEffect(() => {
    (window as unknown as { logTable: Table<ShownLog> }).logTable = table;
  }, [table]);
  const { rows } = table.getRowModel();
  const scroller = useRef<HTMLDivElement>(null);
  const virtualizer = useVirtualizer({
    count: rows.length,
    estimateSize: () => ROW_HEIGHT,
    getScrollElement: () => scroller.current,
    overscan: 5,
  });
  const width = table.getTotalSize();
  return h(
    'div',
    {
      ref: scroller,
      className: 'data-table',
      style: { position: 'absolute', inset: 0, overflow: 'auto', fontSize: '13px', color: '#0f172a' },
    },
    h(
      'table',
      { style: { display: 'grid', width, borderCollapse: 'collapse' } },
      h(
        'thead',
        { style: { display: 'grid', position: 'sticky', top: 0, zIndex: 2, background: '#f8fafc' } },
        table.getHeaderGroups().map((group) =>
          h(
            'tr',
            { key: group.id, style: { display: 'flex', width } },
            group.headers.map((header) =>
              h(
                'th',
                {
                  key: header.id,
                  colSpan: header.colSpan,
                  style: {
                    ...cellStyle(header.getSize()),
                    fontWeight: 600,
                    textAlign: 'left',
                    ...pinStyle(table, header.column.id, '#f8fafc'),
                  },
                },
                header.isPlaceholder ? null : flexRender(header.column.columnDef.header, header.getContext()),
              ),
            ),
          ),
        ),
      ),
      h(
        'tbody',
        { style: { display: 'grid', position: 'relative', height: virtualizer.getTotalSize() } },
        virtualizer.getVirtualItems().map((item) => {
          const row = rows[item.index]!;
          return h(
            'tr',
            {
              key: row.id,
              'data-index': item.index,
              style: {
                display: 'flex',
                position: 'absolute',
                width,
                transform: `translateY(${item.start}px)`,
                background: '#fff',
              },
            },
            row.getVisibleCells().map((cell) =>
              h(
                'td',
                {
                  key: cell.id,
                  style: {
                    ...cellStyle(cell.column.getSize()),
                    ...pinStyle(table, cell.column.id, '#fff'),
                  },
                },
                flexRender(cell.column.columnDef.cell, cell.getContext()),
              ),
            ),
          );
        }),
      ),
    ),
  );
}

function draw(host: HTMLElement, logs: ShownLog[]): void {
  createRoot(host).render(h(LogTable, { data: logs }));
}

void startGridPage(draw);
