import { signal } from '@preact/signals';
import type { HistoryCursor, HistoryQuery, ImportReport } from '../core/history.ts';
import type { Job, PanelError } from '../core/messages.ts';
import { askWorker } from './background.ts';

/**
 * The history page's state: the search as typed, the jobs shown so far (one page at a time, newest
 * first), the job opened in the detail view, and the status line announced to screen readers.
 */

export const PAGE_SIZE = 50;

export interface SearchForm {
  action: string;
  text: string;
  alarmId: string;
  status: string;
  /** `YYYY-MM-DD` from the date inputs, local days. */
  from: string;
  to: string;
}

export const form = signal<SearchForm>({ action: '', text: '', alarmId: '', status: '', from: '', to: '' });
export const jobs = signal<Job[]>([]);
export const next = signal<HistoryCursor | null>(null);
export const loading = signal(false);
/** Runs looked at by this search so far (a rare value may need several pages of looking). */
export const scanned = signal(0);
export const opened = signal<Job | null>(null);
export const status = signal<{ kind: 'ok' | 'error'; text: string } | null>(null);
export const importReport = signal<ImportReport | null>(null);

function sayError(error: PanelError): void {
  status.value = { kind: 'error', text: error.hint ? `${error.message} ${error.hint}` : error.message };
}

/** The typed form as the worker's query; a "to" day includes the whole day. */
export function queryOf(f: SearchForm): HistoryQuery {
  const day = (text: string) => (text ? new Date(`${text}T00:00:00`).getTime() : undefined);
  const to = day(f.to);
  const query: HistoryQuery = { action: f.action, text: f.text, alarmId: f.alarmId };
  if (f.status) query.status = f.status as HistoryQuery['status'];
  const from = day(f.from);
  if (from !== undefined && !Number.isNaN(from)) query.from = from;
  if (to !== undefined && !Number.isNaN(to)) query.to = to + 24 * 60 * 60 * 1000;
  return query;
}

/** A new search (`more` = false) or the next page of the current one. */
export async function search(more = false): Promise<void> {
  if (loading.value) return;
  loading.value = true;
  const after = more ? next.value : null;
  const reply = await askWorker({
    type: 'history.search',
    query: queryOf(form.value),
    after,
    limit: PAGE_SIZE,
  });
  loading.value = false;
  if (!reply.ok) return sayError(reply.error);
  jobs.value = more ? [...jobs.value, ...reply.data.jobs] : reply.data.jobs;
  next.value = reply.data.next;
  scanned.value = (more ? scanned.value : 0) + reply.data.scanned;
}

export async function open(jobId: string): Promise<void> {
  const reply = await askWorker({ type: 'history.get', jobId });
  if (!reply.ok) return sayError(reply.error);
  opened.value = reply.data;
}

/** Saves the export through a download link: the page, not the worker, owns the file. */
export async function exportAs(format: 'json' | 'csv'): Promise<void> {
  const query = format === 'csv' ? queryOf(form.value) : undefined;
  const reply = await askWorker({ type: 'history.export', format, query });
  if (!reply.ok) return sayError(reply.error);
  const url = URL.createObjectURL(new Blob([reply.data.text], { type: reply.data.mimeType }));
  const link = document.createElement('a');
  link.href = url;
  link.download = reply.data.filename;
  link.click();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
  const pins = format === 'json' ? ` and ${reply.data.pins} pins` : '';
  status.value = { kind: 'ok', text: `Exported ${reply.data.jobs} runs${pins}.` };
}

export async function importText(text: string): Promise<void> {
  const reply = await askWorker({ type: 'history.import', text });
  if (!reply.ok) return sayError(reply.error);
  importReport.value = reply.data;
  const { jobs: j, pins: p } = reply.data;
  status.value = {
    kind: j.rejected + p.rejected > 0 || reply.data.rejections.length > 0 ? 'error' : 'ok',
    text:
      `Imported: ${j.added} runs added, ${j.alreadyPresent} already present, ${j.rejected} rejected; ` +
      `${p.added} pins added, ${p.alreadyPresent} already present, ${p.rejected} rejected.`,
  };
  await search();
}
