/**
 * How the console pages load their data: the column layout and the rows, from the demo server's JSON API.
 * The rows are whatever the generator produced (hostile values included); pages only ever render them
 * as text.
 */

export type CellValue = string | number | null;
export type ConsoleRow = Record<string, CellValue>;

export interface ConsoleColumn {
  field: string;
  label: string;
  width?: number;
}

export interface ConsoleColumns {
  logs: ConsoleColumn[];
  alarms: ConsoleColumn[];
}

async function getJson(path: string): Promise<unknown> {
  const response = await fetch(path, { headers: { Accept: 'application/json' } });
  if (!response.ok) throw new Error(`${path}: HTTP ${response.status}`);
  return response.json();
}

function isColumnList(value: unknown): value is ConsoleColumn[] {
  return (
    Array.isArray(value) && value.every((c) => typeof c?.field === 'string' && typeof c?.label === 'string')
  );
}

export async function loadColumns(): Promise<ConsoleColumns> {
  const body = (await getJson('/api/columns')) as Partial<ConsoleColumns> | null;
  if (!isColumnList(body?.logs) || !isColumnList(body?.alarms)) throw new Error('/api/columns: bad shape');
  return { logs: body.logs, alarms: body.alarms };
}

/** All rows of a search, or only the first `limit` (one page) when given. */
export async function loadRows(kind: 'logs' | 'alarms', limit?: number): Promise<ConsoleRow[]> {
  const body = await getJson(limit === undefined ? `/api/${kind}` : `/api/${kind}?limit=${limit}`);
  if (!Array.isArray(body)) throw new Error(`/api/${kind}: expected an array`);
  return body as ConsoleRow[];
}

/** The console shows dates the way the Web Console does: `11/27/2026 10:32:11 PM` (UTC here, for stable tests). */
export function formatConsoleDate(value: CellValue | undefined): string {
  if (value === null || value === undefined || value === '') return '';
  const date = new Date(value);
  if (Number.isNaN(date.getTime())) return String(value);
  const pad = (n: number) => String(n).padStart(2, '0');
  const hours = date.getUTCHours() % 12 || 12;
  const meridiem = date.getUTCHours() < 12 ? 'AM' : 'PM';
  return (
    `${pad(date.getUTCMonth() + 1)}/${pad(date.getUTCDate())}/${date.getUTCFullYear()} ` +
    `${hours}:${pad(date.getUTCMinutes())}:${pad(date.getUTCSeconds())} ${meridiem}`
  );
}

export function isDateField(field: string): boolean {
  return /Date$/.test(field);
}

/** Text of one cell as the plain pages render it. */
export function cellText(row: ConsoleRow, field: string): string {
  const value = row[field];
  if (isDateField(field)) return formatConsoleDate(value);
  return value === null || value === undefined ? '' : String(value);
}
