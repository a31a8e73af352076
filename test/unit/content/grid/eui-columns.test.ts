// @vitest-environment jsdom
import { describe, expect, it } from 'vitest';
import { adaptersFor, rowAt } from '../../../../src/content/grid/grids.ts';
import { readRow } from '../../../../src/content/grid/read-row.ts';
import { loadGridFixture } from '../load-fixture.ts';

/**
 * Elastic EUI's data grid (fixtures captured from the demo console's /grids/eui.html, see
 * test/fixtures/grids/README.md): its cells carry their column in `data-gridcell-column-index`, not
 * `aria-colindex`, and it draws only the columns in view. Scrolled right, a row starts at its third
 * column; scrolled back left, the first two cells are added after the others. Read by position, every
 * value would land one or two columns off.
 */

const adapters = adaptersFor();

/** Each drawn cell's column id (the log field it shows) and text, straight from EUI's own attributes. */
function shown(row: Element): Record<string, string> {
  const out: Record<string, string> = {};
  for (const cell of row.querySelectorAll('[role="gridcell"][data-gridcell-column-id]')) {
    const content = cell.querySelector('[data-datagrid-cellcontent]');
    out[cell.getAttribute('data-gridcell-column-id')!] = content?.textContent?.trim() ?? '';
  }
  return out;
}

describe.each([
  ['eui-122-scrolled-right.html', 'scrolled right: the first columns are not drawn'],
  ['eui-122-back-left.html', 'scrolled back left: the first cells come last in each row'],
])('Elastic EUI, %s (%s)', (fixture) => {
  it('reads every drawn cell under its own column, on every row', () => {
    const page = loadGridFixture(fixture);
    const rows = [...page.querySelectorAll('[role="row"][data-grid-row-index]')];
    expect(rows.length).toBeGreaterThan(10);
    const firstColumns = rows.map((row) =>
      row.querySelector('[role="gridcell"]')!.getAttribute('data-gridcell-column-index'),
    );
    // The fixture holds the layout that breaks position: no row starts at column 0.
    expect(firstColumns.every((index) => index !== '0')).toBe(true);
    for (const row of rows) {
      const cells = shown(row);
      const { context } = readRow(rowAt(adapters, row.querySelector('[role="gridcell"]')!)!, {
        console: 'https://siem.example',
      });
      expect(Object.keys(cells).length).toBeGreaterThan(5);
      // Every shown cell that Gridside maps to a log field carries that field's own value.
      const mapped = Object.entries(cells).filter(([field]) => field in context.fields);
      expect(mapped.length, `row ${row.getAttribute('data-grid-row-index')}`).toBeGreaterThan(4);
      for (const [field, text] of mapped) expect(context.fields[field], field).toBe(text);
      // A column that is not drawn is not read at all, rather than filled from a neighbour.
      for (const field of Object.keys(context.fields)) expect(cells).toHaveProperty(field);
    }
  });
});
