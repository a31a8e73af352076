import type { Job } from '../../core/messages.ts';

/**
 * The history as CSV for a spreadsheet (RFC 4180: comma-separated, CRLF line ends, a field with a comma,
 * quote or line break is quoted and its quotes doubled). Log data is attacker-written, so every cell that
 * a spreadsheet would read as a formula (starting with = + - @, or tab / carriage return) gets a leading
 * apostrophe (OWASP "CSV injection").
 */

const COLUMNS = [
  'id',
  'started',
  'updated',
  'finished',
  'durationMs',
  'orchestrator',
  'actionId',
  'action',
  'status',
  'cachedAt',
  'console',
  'rowKey',
  'alarmId',
  'params',
  'fields',
  'verdicts',
  'exitCode',
  'stdout',
  'stderr',
  'error',
] as const;

export function historyCsv(jobs: readonly Job[]): string {
  const lines = [COLUMNS.join(',')];
  for (const job of jobs) lines.push(csvRow(COLUMNS.map((column) => cellOf(job, column))));
  return `${lines.join('\r\n')}\r\n`;
}

export function csvRow(cells: readonly string[]): string {
  return cells.map(csvCell).join(',');
}

export function csvCell(value: string): string {
  const defused = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(defused) ? `"${defused.replaceAll('"', '""')}"` : defused;
}

const iso = (ms: number | null | undefined) => (ms ? new Date(ms).toISOString() : '');

function cellOf(job: Job, column: (typeof COLUMNS)[number]): string {
  const run = job.run;
  switch (column) {
    case 'id':
      return job.id;
    case 'started':
      return iso(job.createdAt);
    case 'updated':
      return iso(job.updatedAt);
    case 'finished':
      return run?.timing.finishedAt ?? '';
    case 'durationMs':
      return run?.timing.durationMs != null ? String(run.timing.durationMs) : '';
    case 'orchestrator':
      return job.orchestratorId;
    case 'actionId':
      return job.actionId;
    case 'action':
      return job.actionName;
    case 'status':
      return job.status;
    case 'cachedAt':
      return iso(job.cachedAt);
    case 'console':
      return job.context.console;
    case 'rowKey':
      return job.context.key.value;
    case 'alarmId':
      return job.context.alarmId ?? run?.alarmId ?? '';
    case 'params':
      return JSON.stringify(job.params);
    case 'fields':
      return JSON.stringify(job.context.fields);
    case 'verdicts':
      return (run?.output?.taxonomies ?? [])
        .map((t) => `${t.level} ${t.namespace}:${t.predicate}=${t.value}`)
        .join('; ');
    case 'exitCode':
      return run?.output?.exitCode != null ? String(run.output.exitCode) : '';
    case 'stdout':
      return run?.output?.stdout ?? '';
    case 'stderr':
      return run?.output?.stderr ?? '';
    case 'error':
      return job.error ? job.error.message : (run?.reason ?? '');
  }
}
