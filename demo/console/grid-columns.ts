import type { CellClassParams, ColDef, GridOptions, ValueFormatterParams } from 'ag-grid-community';
import { type ConsoleColumn, type ConsoleRow, formatConsoleDate, isDateField } from './console-data.ts';

/**
 * ag-Grid column and grid options shared by the v36 and v35 pages, written as a console team would:
 * columns keyed by the API's field names, headers in the Web Console's words, a business row id.
 */

/** Risk columns, by the label the console gives them. */
const RISK_LABELS = new Set(['Priority', 'RBP']);

/** Risk colouring as the console does it for Priority / RBP: a CSS class, the cell text stays the number. */
const riskClassRules = {
  'risk-high': (p: CellClassParams<ConsoleRow>) => Number(p.value) >= 75,
  'risk-medium': (p: CellClassParams<ConsoleRow>) => Number(p.value) >= 40 && Number(p.value) < 75,
};

export interface PinnedFields {
  left?: readonly string[];
  right?: readonly string[];
}

export function toColumnDefs(
  columns: readonly ConsoleColumn[],
  pinned: PinnedFields = {},
): ColDef<ConsoleRow>[] {
  return columns.map((column) => {
    const def: ColDef<ConsoleRow> = {
      colId: column.field,
      field: column.field,
      headerName: column.label,
      width: column.width ?? 150,
    };
    // Other columns' types (text, number) and so their filters are inferred by ag-Grid from the data.
    if (isDateField(column.field)) {
      def.cellDataType = 'text';
      def.valueFormatter = (p: ValueFormatterParams<ConsoleRow>) => formatConsoleDate(p.value);
    }
    if (RISK_LABELS.has(column.label)) def.cellClassRules = riskClassRules;
    if (pinned.left?.includes(column.field)) def.pinned = 'left';
    if (pinned.right?.includes(column.field)) def.pinned = 'right';
    return def;
  });
}

/**
 * Grid options for one tab. Virtualization of rows and columns is left at ag-Grid's defaults on purpose:
 * the extension has to cope with it on a real console.
 */
export function consoleGridOptions(
  columns: readonly ConsoleColumn[],
  rowIdField: string,
  pinned: PinnedFields = {},
): GridOptions<ConsoleRow> {
  return {
    columnDefs: toColumnDefs(columns, pinned),
    defaultColDef: { sortable: true, resizable: true, filter: true, minWidth: 60 },
    rowSelection: { mode: 'multiRow', checkboxes: true, headerCheckbox: true, enableClickSelection: false },
    getRowId: (params) => String(params.data[rowIdField]),
    rowData: [],
    // The search is still running when the grid appears; the page clears this when the rows arrive.
    loading: true,
    animateRows: true,
    tooltipShowDelay: 600,
  };
}
