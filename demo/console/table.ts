import {
  type ConsoleColumn,
  type ConsoleRow,
  cellText,
  formatConsoleDate,
  loadColumns,
  loadRows,
} from './console-data.ts';
import { formatCount } from './console-status.ts';

/**
 * The first 500 logs as a plain <table>, the way older consoles and admin lists show results: a grouped
 * two-row header (colspan groups), time-bin separator rows and a pager footer spanning the table. Every
 * value is set with textContent.
 */

const PAGE_SIZE = 500;
/** What the search found; this list pages through it. */
const TOTAL_LOGS = 50_000;

const GROUPS: Readonly<Record<string, string>> = {
  LogDate: 'Log',
  LogId: 'Log',
  MessageClass: 'Classification',
  CommonEvent: 'Classification',
  Priority: 'Classification',
  Direction: 'Classification',
  Entity: 'Log Source',
  LogSourceEntity: 'Log Source',
  LogSource: 'Log Source',
  SPort: 'Origin',
  DPort: 'Impacted',
  Protocol: 'Impacted',
  Domain: 'Impacted',
  SHostName: 'Origin',
  SIP: 'Origin',
  Login: 'Origin',
  DHostName: 'Impacted',
  DIP: 'Impacted',
  Account: 'Impacted',
  Object: 'Details',
  Process: 'Details',
  URL: 'Details',
  Hash: 'Details',
  Sender: 'Email',
  Recipient: 'Email',
  Subject: 'Email',
};

function cell(tag: 'th' | 'td', text: string, colSpan = 1): HTMLTableCellElement {
  const element = document.createElement(tag);
  element.textContent = text;
  if (colSpan > 1) element.colSpan = colSpan;
  if (tag === 'th') element.scope = colSpan > 1 ? 'colgroup' : 'col';
  return element;
}

function renderHead(head: HTMLTableSectionElement, columns: readonly ConsoleColumn[]): void {
  const groups = head.insertRow();
  let current: { name: string; th: HTMLTableCellElement } | null = null;
  for (const column of columns) {
    const name = GROUPS[column.field] ?? '';
    if (current && current.name === name) current.th.colSpan += 1;
    else {
      current = { name, th: cell('th', name) };
      current.th.scope = 'colgroup';
      groups.append(current.th);
    }
  }
  const labels = head.insertRow();
  for (const column of columns) labels.append(cell('th', column.label));
}

/** Results are grouped in ten-minute bins, as a time-bucketed search result list shows them. */
function binOf(row: ConsoleRow): string {
  const time = new Date(String(row.LogDate)).getTime();
  if (Number.isNaN(time)) return '';
  return formatConsoleDate(new Date(Math.floor(time / 600_000) * 600_000).toISOString());
}

function renderBody(
  body: HTMLTableSectionElement,
  columns: readonly ConsoleColumn[],
  rows: readonly ConsoleRow[],
): void {
  let bin = '';
  for (const row of rows) {
    if (binOf(row) !== bin) {
      bin = binOf(row);
      const separator = cell('td', `Logs from ${bin}`, columns.length);
      separator.className = 'day-break';
      body.insertRow().append(separator);
    }
    const tr = body.insertRow();
    for (const column of columns) tr.append(cell('td', cellText(row, column.field)));
  }
}

function renderFoot(
  foot: HTMLTableSectionElement,
  columns: readonly ConsoleColumn[],
  shown: number,
  total: number,
): void {
  const pager = cell(
    'td',
    `Showing 1–${formatCount(shown)} of ${formatCount(total)} logs · Next page ›`,
    columns.length,
  );
  pager.className = 'pager';
  foot.insertRow().append(pager);
}

async function start(): Promise<void> {
  const [columns, rows] = await Promise.all([loadColumns(), loadRows('logs', PAGE_SIZE)]);
  const table = document.getElementById('log-table') as HTMLTableElement;
  renderHead(table.createTHead(), columns.logs);
  renderBody(table.createTBody(), columns.logs, rows);
  renderFoot(table.createTFoot(), columns.logs, rows.length, TOTAL_LOGS);
  const status = document.getElementById('table-status');
  if (status) status.textContent = `Showing first ${formatCount(rows.length)} logs`;
}

start().catch((error: unknown) => {
  console.error('Log list failed to load', error);
});
