import { type ConsoleColumn, type ConsoleRow, cellText, loadColumns, loadRows } from './console-data.ts';
import { formatCount } from './console-status.ts';

/**
 * The first 500 logs as a plain <table>, the way older consoles and admin lists show results: a grouped
 * two-row header (colspan groups), hour separator rows spanning the table, and runs of empty cells merged
 * into one cell. Every value is set with textContent.
 */

const PAGE_SIZE = 500;

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

function hourOf(row: ConsoleRow): string {
  return cellText(row, 'LogDate').replace(/:\d\d:\d\d /, ':00 ');
}

function renderBody(
  body: HTMLTableSectionElement,
  columns: readonly ConsoleColumn[],
  rows: readonly ConsoleRow[],
): void {
  let hour = '';
  for (const row of rows) {
    if (hourOf(row) !== hour) {
      hour = hourOf(row);
      const separator = cell('td', `Logs from ${hour}`, columns.length);
      separator.className = 'day-break';
      body.insertRow().append(separator);
    }
    const tr = body.insertRow();
    let emptyRun = 0;
    const flushEmpty = (): void => {
      if (emptyRun === 0) return;
      const merged = cell('td', emptyRun > 1 ? '(no data)' : '', emptyRun);
      if (emptyRun > 1) merged.className = 'merged';
      tr.append(merged);
      emptyRun = 0;
    };
    for (const column of columns) {
      const text = cellText(row, column.field);
      if (text === '') {
        emptyRun++;
        continue;
      }
      flushEmpty();
      tr.append(cell('td', text));
    }
    flushEmpty();
  }
}

async function start(): Promise<void> {
  const [columns, rows] = await Promise.all([loadColumns(), loadRows('logs', PAGE_SIZE)]);
  const table = document.getElementById('log-table') as HTMLTableElement;
  renderHead(table.createTHead(), columns.logs);
  renderBody(table.createTBody(), columns.logs, rows);
  const status = document.getElementById('table-status');
  if (status) status.textContent = `Showing first ${formatCount(rows.length)} logs`;
}

start().catch((error: unknown) => {
  console.error('Log list failed to load', error);
});
