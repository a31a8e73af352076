import {
  EuiButton,
  EuiDataGrid,
  EuiFieldText,
  EuiModal,
  EuiModalBody,
  EuiModalFooter,
  EuiModalHeader,
  EuiModalHeaderTitle,
  EuiProvider,
} from '@elastic/eui';
import { Fragment, createElement as h, useState } from 'react';
import { createRoot } from 'react-dom/client';
import { FLAT_LOG_COLUMNS, type ShownLog, startGridPage } from './grid-data.ts';

/**
 * A Kibana-style drill-down: a button opens Elastic EUI's `EuiModal` ("Related logs") holding an
 * EuiDataGrid. EuiModal is `role="dialog"` with `aria-modal="true"`, inside EUI's focus trap
 * (react-focus-on, built on react-focus-lock, the trap Chakra UI uses too): focus that lands outside it is
 * moved back in, the page behind is `aria-hidden`, and its scrolling is locked. Nothing here is shaped for
 * Gridside. Written with `createElement`: the project's JSX is Preact's.
 */

/** The drill-down shows a few hundred logs: still more than fit, so the grid virtualizes its rows. */
const RELATED = 300;

const columns = FLAT_LOG_COLUMNS.map((column) => ({
  id: column.field,
  displayAsText: column.label,
  initialWidth: column.width,
}));

function RelatedGrid({ logs }: { logs: ShownLog[] }) {
  const [visibleColumns, setVisibleColumns] = useState(() => columns.map((column) => column.id));
  return h(EuiDataGrid, {
    'aria-label': 'Related logs',
    columns,
    columnVisibility: { visibleColumns, setVisibleColumns },
    rowCount: logs.length,
    // React renders the string as text: page data never becomes markup.
    renderCellValue: ({ rowIndex, columnId }) => logs[rowIndex]?.[columnId] ?? '',
    height: 420,
    width: '100%',
  });
}

function RelatedLogs({ logs }: { logs: ShownLog[] }) {
  const [open, setOpen] = useState(false);
  const [note, setNote] = useState('');
  const close = () => setOpen(false);
  return h(
    'div',
    { style: { padding: '16px' } },
    h(
      EuiButton,
      { id: 'open-related', fill: true, onClick: () => setOpen(true) },
      `Related logs (${logs.length})`,
    ),
    open &&
      h(EuiModal, {
        onClose: close,
        maxWidth: false,
        style: { width: '90vw' },
        'aria-labelledby': 'related-title',
        children: h(
          Fragment,
          null,
          h(EuiModalHeader, null, h(EuiModalHeaderTitle, { id: 'related-title' }, 'Related logs')),
          h(
            EuiModalBody,
            null,
            h(EuiFieldText, {
              id: 'related-note',
              placeholder: 'Case note',
              'aria-label': 'Case note',
              value: note,
              onChange: (event: { target: { value: string } }) => setNote(event.target.value),
              style: { marginBottom: '12px' },
            }),
            h(RelatedGrid, { logs }),
          ),
          h(EuiModalFooter, null, h(EuiButton, { id: 'close-related', onClick: close }, 'Close')),
        ),
      }),
  );
}

function draw(host: HTMLElement, logs: ShownLog[]): void {
  createRoot(host).render(
    h(EuiProvider, { colorMode: 'light' }, h(RelatedLogs, { logs: logs.slice(0, RELATED) })),
  );
}

void startGridPage(draw);
