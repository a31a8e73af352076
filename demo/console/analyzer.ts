import type * as AgGrid from 'ag-grid-community';
import { bindTabs } from './analyzer-tabs.ts';
import { type ConsoleRow, loadColumns, loadRows } from './console-data.ts';
import { bindQuickFilter, bindStatusBar, formatCount } from './console-status.ts';
import { consoleGridOptions } from './grid-columns.ts';
import { consoleTheme } from './grid-theme.ts';

// ag-Grid 36 is loaded by a classic <script> (its UMD build), as many consoles ship it.
declare const agGrid: typeof AgGrid;

function element<T extends HTMLElement>(id: string): T {
  const found = document.getElementById(id);
  if (!found) throw new Error(`analyzer.html lacks #${id}`);
  return found as T;
}

async function start(): Promise<void> {
  const theme = consoleTheme(agGrid);
  const columns = await loadColumns();
  const logs = agGrid.createGrid<ConsoleRow>(element('logs-grid'), {
    ...consoleGridOptions(columns.logs, 'LogId'),
    theme,
  });
  const alarms = agGrid.createGrid<ConsoleRow>(element('alarms-grid'), {
    ...consoleGridOptions(columns.alarms, 'AlarmId'),
    theme,
  });
  bindTabs();
  bindQuickFilter(element('quick-filter'), () => [logs, alarms]);

  // Each tab fills as soon as its own search returns; the 50,000 logs take longer than the alarms.
  const show = async (grid: typeof logs, kind: 'logs' | 'alarms'): Promise<void> => {
    const rows = await loadRows(kind);
    grid.setGridOption('rowData', rows);
    grid.setGridOption('loading', false);
    bindStatusBar(grid, rows.length, kind, element(`${kind}-status`));
    element(`${kind}-count`).textContent = formatCount(rows.length);
  };
  await Promise.all([show(logs, 'logs'), show(alarms, 'alarms')]);

  // Tests and the benchmark drive the grids (scroll, move columns) through ag-Grid's public API, the way a
  // user's mouse would; the extension never uses this (its content script cannot see page globals).
  // Set once the data is in, so `gridApi` existing means the grids are populated.
  Object.assign(window, { gridApi: { logs, alarms } });
}

start().catch((error: unknown) => {
  console.error('Analyzer failed to load', error);
  element('logs-status').textContent = `Search failed: ${String(error)}`;
});
