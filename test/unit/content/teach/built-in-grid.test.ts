// @vitest-environment jsdom
import { afterEach, describe, expect, it, vi } from 'vitest';
import { adaptersFor } from '../../../../src/content/grid/grids.ts';
import { detectGrid } from '../../../../src/content/teach/grid-model.ts';
import { fieldForLabel } from '../../../../src/core/fields.ts';

/**
 * Teach mode on a grid a built-in adapter reads: each header cell the analyst can click stands for the
 * column label the field mapping is keyed by — under group headers, the combined one, and the second
 * "Host" for the second such column.
 */

afterEach(() => {
  vi.restoreAllMocks();
  document.body.replaceChildren();
});

function cell(tag: 'th' | 'td', text: string, colSpan = 1): HTMLTableCellElement {
  const el = document.createElement(tag);
  el.textContent = text;
  if (colSpan > 1) el.colSpan = colSpan;
  return el;
}

function groupedTable(): HTMLTableElement {
  const table = document.createElement('table');
  const head = table.createTHead();
  head.insertRow().append(cell('th', 'Log ID'), cell('th', 'Origin', 2), cell('th', 'Impacted', 2));
  head
    .insertRow()
    .append(
      cell('th', ''),
      cell('th', 'Host'),
      cell('th', 'IP Address'),
      cell('th', 'Host'),
      cell('th', 'IP'),
    );
  const body = table.createTBody();
  for (let i = 0; i < 3; i++) {
    body
      .insertRow()
      .append(...['100', 'ws-1', '10.0.0.1', 'db-1', '10.0.0.2'].map((v) => cell('td', `${v}${i}`)));
  }
  document.body.append(table);
  return table;
}

describe('a grid Gridside already reads', () => {
  it('lists its header cells under the labels the crosswalk sees', () => {
    const table = groupedTable();
    // jsdom lays nothing out: give every element a box, as a browser would.
    vi.spyOn(Element.prototype, 'getBoundingClientRect').mockReturnValue(new DOMRect(0, 0, 100, 20));
    const model = detectGrid(adaptersFor(), table.tBodies[0]!.rows[1]!);
    expect(model?.source).toBe('built-in');
    const labels = model!.headers.map((h) => h.label);
    expect(labels).toContain('Host (Origin)');
    expect(labels).toContain('Host (Impacted)');
    const impacted = model!.headers.find((h) => h.label === 'Host (Impacted)')!;
    expect(impacted.el).toBe(table.tHead!.rows[1]!.cells[3]);
    expect(fieldForLabel('Host (Impacted)')).toBe('DHostName');
    // Group header cells are not columns.
    expect(model!.headers.some((h) => h.el.textContent === 'Origin')).toBe(false);
  });
});
