import type { Job } from '../core/messages.ts';
import { ShownValue } from '../ui/shown-value.tsx';
import { VerdictChips } from '../ui/verdict-chips.tsx';
import { opened } from './history-state.ts';

/** One run in full: parameters, the row it ran on, timing, verdicts and its output, all as text. */
export function JobDetail({ job }: { job: Job }) {
  const run = job.run;
  const output = run?.output ?? null;
  return (
    <section class="card detail" aria-label="Run detail">
      <div class="row">
        <h2>{job.actionName}</h2>
        <button type="button" onClick={() => (opened.value = null)}>
          Close
        </button>
      </div>
      <dl>
        <dt>Status</dt>
        <dd data-status={job.status}>
          {job.status}
          {job.cachedAt !== null && ` (cached result from ${when(job.cachedAt)})`}
        </dd>
        <dt>Started</dt>
        <dd>{when(job.createdAt)}</dd>
        {run?.timing.durationMs != null && (
          <>
            <dt>Took</dt>
            <dd>{(run.timing.durationMs / 1000).toFixed(1)} s</dd>
          </>
        )}
        {job.parentJobId && (
          <>
            <dt>Pivot from</dt>
            <dd>run {job.parentJobId}</dd>
          </>
        )}
        <dt>Console</dt>
        <dd>{job.context.console}</dd>
        <dt>Row</dt>
        <dd>
          {job.context.key.value}
          {job.context.alarmId && ` · alarm ${job.context.alarmId}`}
        </dd>
        <dt>Orchestrator</dt>
        <dd>
          {job.orchestratorId}
          {job.runId && ` · run ${job.runId}`}
        </dd>
      </dl>
      {job.error && (
        <p class="problem" role="note">
          {job.error.message} {job.error.hint ?? ''}
        </p>
      )}
      {run?.reason && <p class="problem">{run.reason}</p>}
      <h3>Parameters</h3>
      <Pairs values={job.params} empty="No parameters were sent." />
      <h3>Row fields</h3>
      <Pairs values={job.context.fields} empty="No fields." />
      <h3>Output</h3>
      {output ? (
        <>
          <VerdictChips taxonomies={output.taxonomies ?? []} />
          <pre data-label="Output">{output.stdout || '(the plugin printed nothing)'}</pre>
          {output.stderr && (
            <details>
              <summary>Errors and warnings</summary>
              <pre data-label="Errors and warnings">{output.stderr}</pre>
            </details>
          )}
          {output.data !== undefined && output.data !== null && (
            <details>
              <summary>Data</summary>
              <pre>{JSON.stringify(output.data, null, 2)}</pre>
            </details>
          )}
        </>
      ) : (
        <p class="muted">No output.</p>
      )}
    </section>
  );
}

/** Names and values as sent and read: a value's hidden characters are drawn as code points (ui/shown-value.tsx). */
function Pairs({ values, empty }: { values: Record<string, string>; empty: string }) {
  const entries = Object.entries(values);
  if (entries.length === 0) return <p class="muted">{empty}</p>;
  return (
    <table class="pairs">
      <tbody>
        {entries.map(([name, value]) => (
          <tr key={name}>
            <th scope="row">{name}</th>
            <td>
              <ShownValue value={value} />
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

export const when = (ms: number) => new Date(ms).toLocaleString();
