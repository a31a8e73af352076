import { cellText, loadRows } from '../console/console-data.ts';

/**
 * What every library page shows: the first logs of a search, as the text the Web Console shows for each
 * field (dates formatted), under the Analyzer's log columns. Grouped-header consoles put "Origin" over
 * Host / IP Address / User and "Impacted" over Host Name / IP; flat ones use the combined labels.
 */

/** Enough rows that every library virtualizes: only a screenful of them is ever in the DOM. */
export const ROWS_SHOWN = 5_000;

export type ColumnGroup = 'Origin' | 'Impacted';

export interface LogColumn {
  field: string;
  /** The header's own label (the leaf label under a group). */
  label: string;
  group?: ColumnGroup;
  width: number;
}

export const GROUPED_LOG_COLUMNS: readonly LogColumn[] = [
  { field: 'LogId', label: 'Log ID', width: 100 },
  { field: 'LogDate', label: 'Log Date', width: 180 },
  { field: 'MessageClass', label: 'Classification', width: 150 },
  { field: 'CommonEvent', label: 'Common Event', width: 220 },
  { field: 'Priority', label: 'Priority', width: 70 },
  { field: 'SHostName', label: 'Host', group: 'Origin', width: 160 },
  { field: 'SIP', label: 'IP Address', group: 'Origin', width: 130 },
  { field: 'Login', label: 'User', group: 'Origin', width: 170 },
  { field: 'DHostName', label: 'Host Name', group: 'Impacted', width: 190 },
  { field: 'DIP', label: 'IP', group: 'Impacted', width: 130 },
  { field: 'Process', label: 'Process', width: 220 },
  { field: 'URL', label: 'URL', width: 260 },
  { field: 'Object', label: 'Object', width: 200 },
  { field: 'Hash', label: 'Hash', width: 260 },
  { field: 'Message', label: 'Log Message', width: 500 },
];

const FLAT_LABELS: Readonly<Record<string, string>> = {
  SHostName: 'Host (Origin)',
  SIP: 'IP Address (Origin)',
  Login: 'User (Origin)',
  DHostName: 'Host (Impacted)',
  DIP: 'IP Address (Impacted)',
};

/** The same columns with one header row, labelled as the Web Console labels them. */
export const FLAT_LOG_COLUMNS: readonly LogColumn[] = GROUPED_LOG_COLUMNS.map(({ group: _, ...column }) => ({
  ...column,
  label: FLAT_LABELS[column.field] ?? column.label,
}));

/** A log as the grid shows it: field → display text. */
export type ShownLog = Record<string, string>;

export async function loadShownLogs(): Promise<ShownLog[]> {
  const rows = await loadRows('logs', ROWS_SHOWN);
  return rows.map((row) => {
    const shown: ShownLog = {};
    for (const column of GROUPED_LOG_COLUMNS) shown[column.field] = cellText(row, column.field);
    return shown;
  });
}

/**
 * A grid page's start: loads the logs (or says on the page, as text, why it could not), has `draw` build
 * the grid in the page's `#grid`, and shows the count in the status bar once `draw` says the grid is up.
 */
export async function startGridPage(
  draw: (host: HTMLElement, logs: ShownLog[]) => void | Promise<void>,
): Promise<void> {
  const host = document.getElementById('grid')!;
  let logs: ShownLog[];
  try {
    logs = await loadShownLogs();
  } catch (error) {
    host.textContent = `Could not load logs: ${error instanceof Error ? error.message : String(error)}`;
    return;
  }
  await draw(host, logs);
  document.getElementById('grid-status')!.textContent = `${logs.length.toLocaleString('en-US')} logs`;
}
