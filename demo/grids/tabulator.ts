import { type ColumnDefinition, TabulatorFull as Tabulator } from 'tabulator-tables';
import { type ColumnGroup, GROUPED_LOG_COLUMNS, type ShownLog, startGridPage } from './grid-data.ts';

/**
 * The log grid on Tabulator 6: its virtual DOM renderer keeps only the rows on screen plus a buffer, and
 * detaches and re-attaches row elements as the analyst scrolls; "Origin" and "Impacted" are column groups
 * (nested headers); Log ID and Log Date are frozen (held in place while the rest scrolls sideways).
 * `window.logTable` is Tabulator's own API, for tests.
 */

function columnDefinitions(): ColumnDefinition[] {
  const out: ColumnDefinition[] = [];
  const groups = new Map<ColumnGroup, ColumnDefinition[]>();
  for (const column of GROUPED_LOG_COLUMNS) {
    const definition: ColumnDefinition = {
      title: column.label,
      field: column.field,
      width: column.width,
      // Tabulator's default formatter escapes HTML; the page data is always text.
      formatter: 'plaintext',
      headerSort: true,
      ...(column.field === 'LogId' || column.field === 'LogDate' ? { frozen: true } : {}),
    };
    if (!column.group) {
      out.push(definition);
      continue;
    }
    let members = groups.get(column.group);
    if (!members) {
      members = [];
      groups.set(column.group, members);
      out.push({ title: column.group, columns: members });
    }
    members.push(definition);
  }
  return out;
}

async function draw(host: HTMLElement, logs: ShownLog[]): Promise<void> {
  const table = new Tabulator(host, {
    height: '100%',
    data: logs.map((log, index) => ({ ...log, id: String(index) })),
    columns: columnDefinitions(),
    layout: 'fitData',
    renderVertical: 'virtual',
  });
  await new Promise<void>((resolve) =>
    table.on('tableBuilt', () => {
      (window as unknown as { logTable: unknown }).logTable = table;
      resolve();
    }),
  );
}

void startGridPage(draw);
