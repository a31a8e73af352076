import * as Dialog from '@radix-ui/react-dialog';
import { createElement as h, useState } from 'react';
import { createRoot } from 'react-dom/client';
import { FLAT_LOG_COLUMNS, type ShownLog, startGridPage } from './grid-data.ts';

/**
 * A drill-down as consoles built on Radix UI (and shadcn/ui, which wraps it) draw one: a button opens a
 * Radix `Dialog` ("Related logs") holding a data table, a plain `<table>` as shadcn's Data Table renders
 * it. The Dialog is Radix's own: content in a portal at the end of `<body>`, `role="dialog"` (Radix sets no
 * `aria-modal`; it hides the rest of `<body>` from assistive technology with `aria-hidden` instead),
 * centred with a transform, its focus scope pulling focus back inside whenever it lands outside, pointer
 * events outside it switched off on `<body>`, scrolling outside it blocked, and a dismissable layer that
 * closes it on Escape anywhere in the document (a capture listener) and on a press outside its content.
 * Nothing here is shaped for Gridside. Written with `createElement`: the project's JSX is Preact's.
 */

/** The drill-down shows a few hundred logs; the table scrolls inside the dialog. */
const RELATED = 300;

const overlayStyle = {
  position: 'fixed',
  inset: '0',
  background: 'rgba(15, 23, 42, 0.55)',
} as const;

/** shadcn's DialogContent: fixed, centred by a translate of half its size. */
const contentStyle = {
  position: 'fixed',
  left: '50%',
  top: '50%',
  transform: 'translate(-50%, -50%)',
  width: 'min(1100px, calc(100vw - 48px))',
  maxHeight: 'calc(100vh - 48px)',
  display: 'flex',
  flexDirection: 'column',
  gap: '12px',
  padding: '20px',
  background: '#fff',
  color: '#0f172a',
  borderRadius: '8px',
  boxShadow: '0 20px 50px rgba(15, 23, 42, 0.35)',
} as const;

function RelatedLogs({ rows }: { rows: ShownLog[] }) {
  const [note, setNote] = useState('');
  return h(
    'div',
    { className: 'related-launch', style: { padding: '16px' } },
    h(
      Dialog.Root,
      null,
      h(Dialog.Trigger, { id: 'open-related', className: 'related-button' }, `Related logs (${rows.length})`),
      h(
        Dialog.Portal,
        null,
        h(Dialog.Overlay, { style: overlayStyle }),
        h(
          Dialog.Content,
          { style: contentStyle, 'aria-describedby': undefined },
          h(Dialog.Title, { style: { margin: 0, fontSize: '18px' } }, 'Related logs'),
          h(
            'label',
            { style: { display: 'flex', flexDirection: 'column', gap: '4px', fontSize: '13px' } },
            'Case note',
            h('input', {
              id: 'related-note',
              value: note,
              onChange: (event: { target: { value: string } }) => setNote(event.target.value),
              style: { padding: '6px 8px', border: '1px solid #cbd5e1', borderRadius: '6px' },
            }),
          ),
          h(
            'div',
            {
              className: 'data-table',
              style: { height: '420px', overflow: 'auto', border: '1px solid #e2e8f0', borderRadius: '6px' },
            },
            h(
              'table',
              { style: { borderCollapse: 'collapse', fontSize: '13px', whiteSpace: 'nowrap' } },
              h(
                'thead',
                null,
                h(
                  'tr',
                  null,
                  FLAT_LOG_COLUMNS.map((column) =>
                    h(
                      'th',
                      {
                        key: column.field,
                        style: {
                          position: 'sticky',
                          top: 0,
                          background: '#f8fafc',
                          textAlign: 'left',
                          padding: '6px 10px',
                          borderBottom: '1px solid #e2e8f0',
                        },
                      },
                      column.label,
                    ),
                  ),
                ),
              ),
              h(
                'tbody',
                null,
                rows.map((log, index) =>
                  h(
                    'tr',
                    { key: index, 'data-row-index': index },
                    FLAT_LOG_COLUMNS.map((column) =>
                      h(
                        'td',
                        {
                          key: column.field,
                          'data-column-id': column.field,
                          style: { padding: '6px 10px', borderBottom: '1px solid #f1f5f9' },
                        },
                        log[column.field] ?? '',
                      ),
                    ),
                  ),
                ),
              ),
            ),
          ),
          h(
            'div',
            { style: { display: 'flex', justifyContent: 'flex-end' } },
            h(Dialog.Close, { id: 'close-related', className: 'related-button' }, 'Close'),
          ),
        ),
      ),
    ),
  );
}

function draw(host: HTMLElement, logs: ShownLog[]): void {
  createRoot(host).render(h(RelatedLogs, { rows: logs.slice(0, RELATED) }));
}

void startGridPage(draw);
