import { useMemo, useState } from 'preact/hooks';
import type { RunOutput } from '../../core/api.ts';
import { JsonNode } from './json-tree.tsx';

/**
 * A run's output: stdout, stderr, plugin JSON — all rendered as text, inside the output frame. The verdict
 * chips stay in the panel (they are drawn from the verdict levels the page may hold).
 */

/** Shown before "Show all": enough for any normal enrichment, small enough to keep the frame fast. */
export const OUTPUT_PREVIEW_CHARS = 16_000;

function LongText({ text, label }: { text: string; label: string }) {
  const [all, setAll] = useState(false);
  const long = text.length > OUTPUT_PREVIEW_CHARS;
  const shown = long && !all ? text.slice(0, OUTPUT_PREVIEW_CHARS) : text;
  return (
    <>
      <pre data-label={label}>{shown}</pre>
      {long && !all && (
        <button type="button" onClick={() => setAll(true)}>
          Show all ({Math.ceil(text.length / 1024)} KB)
        </button>
      )}
    </>
  );
}

async function copy(text: string, setNote: (note: string) => void): Promise<void> {
  try {
    await navigator.clipboard.writeText(text);
    setNote('Copied.');
  } catch {
    setNote('The browser did not allow copying here.');
  }
}

/** True when stdout is nothing but the JSON report the orchestrator already turned into `data`. */
function isJsonReport(stdout: string): boolean {
  const text = stdout.trim();
  if (!text.startsWith('{') || !text.endsWith('}')) return false;
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

export function RunOutputView({ output }: { output: RunOutput }) {
  const [note, setNote] = useState('');
  const hasData = output.data !== undefined && output.data !== null;
  // A report plugin's stdout is one JSON document: show it as the readable tree, keep the raw text a click away.
  const reportOnly = useMemo(() => hasData && isJsonReport(output.stdout), [hasData, output.stdout]);
  const copyText = output.stdout || (hasData ? JSON.stringify(output.data, null, 2) : '');
  return (
    <div class="output">
      {output.stdout && !reportOnly && <LongText text={output.stdout} label="Output" />}
      {!output.stdout && !hasData && <p class="muted">The plugin printed nothing.</p>}
      {output.stderr && (
        <details>
          <summary>Errors and warnings ({output.stderr.split('\n').length} lines)</summary>
          <LongText text={output.stderr} label="Errors and warnings" />
        </details>
      )}
      {hasData && (
        <details open={reportOnly}>
          <summary>Data</summary>
          <JsonNode value={output.data} />
        </details>
      )}
      {reportOnly && (
        <details>
          <summary>Raw output</summary>
          <LongText text={output.stdout} label="Output" />
        </details>
      )}
      {output.truncated && <p class="muted">Output truncated by the orchestrator.</p>}
      {output.exitCode !== null && output.exitCode !== 0 && <p class="muted">Exit code {output.exitCode}.</p>}
      {copyText && (
        <div class="row-buttons">
          <button type="button" onClick={() => void copy(copyText, setNote)}>
            Copy {output.stdout ? 'output' : 'JSON'}
          </button>
          <span class="muted" aria-live="polite">
            {note}
          </span>
        </div>
      )}
    </div>
  );
}
