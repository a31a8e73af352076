import { renderAriaGrid } from './aria-grid.ts';
import { loadColumns, loadRows } from './console-data.ts';
import { formatCount } from './console-status.ts';

/** The log viewer page: all logs in the hand-rolled ARIA grid, with the user's hidden column. */

// The analyst hid this column with the column chooser; the grid still counts it in aria-colcount.
const HIDDEN_LABEL = 'Log Source Entity';

async function start(): Promise<void> {
  const [columns, rows] = await Promise.all([loadColumns(), loadRows('logs')]);
  const hidden = columns.logs.find((c) => c.label === HIDDEN_LABEL) ?? columns.logs[4];
  const host = document.getElementById('log-viewer');
  if (!host) throw new Error('aria.html lacks #log-viewer');
  renderAriaGrid(host, {
    label: 'Logs',
    columns: columns.logs,
    hiddenFields: new Set(hidden ? [hidden.field] : []),
    rows,
  });
  const status = document.getElementById('viewer-status');
  if (status) {
    status.textContent = `${formatCount(rows.length)} logs · ${hidden ? `hidden column: ${hidden.label}` : ''}`;
  }
}

start().catch((error: unknown) => {
  console.error('Log viewer failed to load', error);
});
