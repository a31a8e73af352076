import Button from '@mui/material/Button';
import Dialog from '@mui/material/Dialog';
import DialogActions from '@mui/material/DialogActions';
import DialogContent from '@mui/material/DialogContent';
import DialogTitle from '@mui/material/DialogTitle';
import TextField from '@mui/material/TextField';
import { DataGrid, type GridColDef } from '@mui/x-data-grid';
import { createElement as h, useState } from 'react';
import { createRoot } from 'react-dom/client';
import { GROUPED_LOG_COLUMNS, type ShownLog, startGridPage } from './grid-data.ts';

/**
 * A drill-down as React consoles build it: a button opens an MUI modal `Dialog` ("Related logs") that holds
 * an MUI X DataGrid of the logs. The Dialog is MUI's own: rendered in a portal at the end of `<body>`,
 * `role="dialog"` with `aria-modal="true"` on its paper, the rest of `<body>` made `aria-hidden`, and its
 * focus trap, which pulls focus back into the dialog whenever it lands anywhere outside it. Escape and a
 * click on the backdrop close it. Nothing here is shaped for Gridside. Written with `createElement`: the
 * project's JSX is Preact's.
 */

type LogItem = ShownLog & { id: string };

/** The drill-down shows a few hundred logs: still more than fit, so the grid virtualizes its rows. */
const RELATED = 300;

const columns: GridColDef<LogItem>[] = GROUPED_LOG_COLUMNS.map((column) => ({
  field: column.field,
  headerName: column.group ? `${column.label} (${column.group})` : column.label,
  width: column.width,
}));

function RelatedLogs({ rows }: { rows: LogItem[] }) {
  const [open, setOpen] = useState(false);
  const [note, setNote] = useState('');
  return h(
    'div',
    { className: 'related-launch', style: { padding: '16px' } },
    h(
      Button,
      { variant: 'contained', id: 'open-related', onClick: () => setOpen(true) },
      `Related logs (${rows.length})`,
    ),
    h(
      Dialog,
      {
        open,
        onClose: () => setOpen(false),
        maxWidth: 'lg',
        fullWidth: true,
        'aria-labelledby': 'related-title',
      },
      h(DialogTitle, { id: 'related-title' }, 'Related logs'),
      h(
        DialogContent,
        { dividers: true },
        h(TextField, {
          id: 'related-note',
          label: 'Case note',
          size: 'small',
          fullWidth: true,
          value: note,
          onChange: (event: { target: { value: string } }) => setNote(event.target.value),
          style: { marginBottom: '12px' },
        }),
        h(
          'div',
          { style: { height: '420px' } },
          h(DataGrid<LogItem>, {
            rows,
            columns,
            density: 'compact',
            disableRowSelectionOnClick: true,
            hideFooter: true,
          }),
        ),
      ),
      h(DialogActions, null, h(Button, { id: 'close-related', onClick: () => setOpen(false) }, 'Close')),
    ),
  );
}

function draw(host: HTMLElement, logs: ShownLog[]): void {
  const rows = logs.slice(0, RELATED).map((log, index) => ({ ...log, id: String(index) }));
  createRoot(host).render(h(RelatedLogs, { rows }));
}

void startGridPage(draw);
