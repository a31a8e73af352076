import { RunStatusSchema } from '../core/api.ts';
import { IMPORT_MAX_CHARS } from '../core/history.ts';
import type { Job } from '../core/messages.ts';
import { VerdictChips } from '../ui/verdict-chips.tsx';
import {
  exportAs,
  form,
  importReport,
  importText,
  jobs,
  loading,
  next,
  open,
  opened,
  type SearchForm,
  scanned,
  search,
  status,
} from './history-state.ts';
import { JobDetail, when } from './job-detail.tsx';

/** Gridside's run history: search, a page of runs at a time, a detail view, export and import. */
export function HistoryApp() {
  return (
    <main>
      <h1>Gridside run history</h1>
      <p class={`status ${status.value?.kind ?? ''}`} role="status" aria-live="polite">
        {status.value?.text ?? ''}
      </p>
      <SearchBar />
      {opened.value && <JobDetail job={opened.value} />}
      <Results />
      <Transfer />
    </main>
  );
}

function field(name: keyof SearchForm) {
  return {
    value: form.value[name],
    onInput: (event: Event) => {
      form.value = { ...form.value, [name]: (event.currentTarget as HTMLInputElement).value };
    },
  };
}

function SearchBar() {
  const submit = (event: Event) => {
    event.preventDefault();
    void search();
  };
  return (
    <form class="card search" onSubmit={submit} aria-label="Search runs">
      <div class="row">
        <label>
          Action <input name="action" {...field('action')} placeholder="IP Reputation" />
        </label>
        <label>
          Any value <input name="text" {...field('text')} placeholder="10.1.2.3, jdoe, a hash…" />
        </label>
        <label>
          Alarm id <input name="alarmId" {...field('alarmId')} />
        </label>
      </div>
      <div class="row">
        <label>
          Status{' '}
          <select name="status" {...field('status')}>
            <option value="">any</option>
            {RunStatusSchema.options.map((s) => (
              <option key={s} value={s}>
                {s}
              </option>
            ))}
          </select>
        </label>
        <label>
          From <input type="date" name="from" {...field('from')} />
        </label>
        <label>
          To <input type="date" name="to" {...field('to')} />
        </label>
        <button type="submit" disabled={loading.value}>
          Search
        </button>
      </div>
    </form>
  );
}

/** A pivot's line under its action: which run's result it continued from, when that run is on the page. */
function PivotFrom({ parentId, list }: { parentId: string; list: readonly Job[] }) {
  const parent = list.find((j) => j.id === parentId);
  return <span class="muted pivot-from"> ↳ pivot from {parent ? parent.actionName : 'an earlier run'}</span>;
}

function Results() {
  const list = jobs.value;
  return (
    <section aria-label="Runs">
      {list.length === 0 && !loading.value && (
        <p class="muted">
          {next.value ? `No match among the ${scanned.value} runs looked at so far.` : 'No runs match.'}
        </p>
      )}
      {list.length > 0 && (
        <table class="runs">
          <thead>
            <tr>
              <th scope="col">Started</th>
              <th scope="col">Action</th>
              <th scope="col">Row</th>
              <th scope="col">Status</th>
              <th scope="col">Verdicts</th>
            </tr>
          </thead>
          <tbody>
            {list.map((job) => (
              <tr
                key={job.id}
                data-job-id={job.id}
                class={job.parentJobId ? 'pivot' : undefined}
                data-parent-job-id={job.parentJobId}
              >
                <td>{when(job.createdAt)}</td>
                <td>
                  <button type="button" class="link" onClick={() => void open(job.id)}>
                    {job.actionName}
                  </button>
                  {job.parentJobId && <PivotFrom parentId={job.parentJobId} list={list} />}
                </td>
                <td>{job.context.alarmId ? `alarm ${job.context.alarmId}` : job.context.key.value}</td>
                <td data-status={job.status}>
                  {job.status}
                  {job.cachedAt !== null && ' · cached'}
                </td>
                <td>
                  <VerdictChips taxonomies={job.run?.output?.taxonomies ?? []} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {next.value && (
        <button type="button" disabled={loading.value} onClick={() => void search(true)}>
          {list.length === 0 ? 'Keep looking' : 'Show more'}
        </button>
      )}
    </section>
  );
}

function Transfer() {
  const pick = async (event: Event) => {
    const input = event.currentTarget as HTMLInputElement;
    const file = input.files?.[0];
    input.value = '';
    if (!file) return;
    if (file.size > IMPORT_MAX_CHARS) {
      status.value = { kind: 'error', text: 'The file is too large to be a Gridside export.' };
      return;
    }
    await importText(await file.text());
  };
  const report = importReport.value;
  return (
    <section class="card" aria-label="Export and import">
      <h2>Export and import</h2>
      <div class="row">
        <button type="button" onClick={() => void exportAs('json')}>
          Export runs and pins (JSON)
        </button>
        <button type="button" onClick={() => void exportAs('csv')}>
          Export matching runs (CSV)
        </button>
        <label>
          Import a Gridside export <input type="file" accept=".json,application/json" onChange={pick} />
        </label>
      </div>
      {report && report.rejections.length > 0 && (
        <ul class="rejections" aria-label="Rejected records">
          {report.rejections.map((r, i) => (
            <li key={i}>
              {r.where}: {r.reason}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
