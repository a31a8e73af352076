import type * as AgGrid from 'ag-grid-community';
import type * as AgGrid35 from 'ag-grid-community-35';
import { type ConsoleRow, loadColumns, loadRows } from './console-data.ts';
import { bindQuickFilter, bindStatusBar, formatCount } from './console-status.ts';
import { consoleGridOptions } from './grid-columns.ts';
import { consoleTheme } from './grid-theme.ts';

/**
 * The Analyzer's Logs grid on ag-Grid 35, the layout many deployed consoles still ship: with Log Date
 * pinned left and Priority pinned right, every logical row is split across three DOM row elements in
 * separate containers (docs/architecture.md §4).
 */

// ag-Grid 35 is loaded by a classic <script> (its UMD build) under the same global name as 36.
declare const agGrid: typeof AgGrid35;

function element<T extends HTMLElement>(id: string): T {
  const found = document.getElementById(id);
  if (!found) throw new Error(`analyzer-v35.html lacks #${id}`);
  return found as T;
}

async function start(): Promise<void> {
  const columns = await loadColumns();
  // The options and theme builders are typed against ag-Grid 36; everything they use is the same in 35.
  const options = consoleGridOptions(columns.logs, 'LogId', { left: ['LogDate'], right: ['Priority'] });
  const theme = consoleTheme(agGrid as unknown as typeof AgGrid);
  const logs = agGrid.createGrid<ConsoleRow>(element('logs-grid'), {
    ...(options as unknown as AgGrid35.GridOptions<ConsoleRow>),
    theme: theme as unknown as AgGrid35.GridOptions['theme'],
  });
  bindQuickFilter(element('quick-filter'), () => [logs]);

  const rows = await loadRows('logs');
  logs.setGridOption('rowData', rows);
  logs.setGridOption('loading', false);
  bindStatusBar(logs, rows.length, 'logs', element('logs-status'));
  element('logs-count').textContent = formatCount(rows.length);

  // Tests and the benchmark drive the grid through ag-Grid's public API; the extension never uses this.
  // Same shape as analyzer.html, without an alarms grid.
  Object.assign(window, { gridApi: { logs } });
}

start().catch((error: unknown) => {
  console.error('Analyzer failed to load', error);
  element('logs-status').textContent = `Search failed: ${String(error)}`;
});
