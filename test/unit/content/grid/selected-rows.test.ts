// @vitest-environment jsdom
import { describe, expect, it } from 'vitest';
import { adaptersFor, rowAt } from '../../../../src/content/grid/grids.ts';
import { readSelection, selectedRows } from '../../../../src/content/grid/selected-rows.ts';
import { cellWithText, loadGridFixture } from '../load-fixture.ts';

const adapters = adaptersFor();

/** Marks rows selected the way ag-Grid does: every DOM part of the row gets the class and aria-selected. */
function selectAgRows(page: Element, ids: string[]): void {
  for (const id of ids) {
    for (const part of page.querySelectorAll(`.ag-row[row-id="${id}"]`)) {
      part.classList.add('ag-row-selected');
      part.setAttribute('aria-selected', 'true');
    }
  }
}

describe.each(['36', '35'])('selected rows of an ag-Grid %s grid', (version) => {
  it('lists each selected logical row once, pinned parts included, and reads each one', () => {
    const page = loadGridFixture(`ag-grid-${version}-alarms.html`);
    selectAgRows(page, ['100001', '100003', '100007']);
    const hit = rowAt(adapters, cellWithText(page, '[role=gridcell]', '10.1.0.1'));
    if (!hit) throw new Error('no row');
    expect(selectedRows(hit.adapter, hit.row.root)).toHaveLength(3);
    const contexts = readSelection(hit, { console: 'https://siem.example' });
    expect(contexts.map((c) => c.alarmId).sort()).toEqual(['100001', '100003', '100007']);
    expect(contexts.find((c) => c.alarmId === '100003')?.fields.Login).toBe('user3');
  });

  it('offers nothing for a single selected row', () => {
    const page = loadGridFixture(`ag-grid-${version}-alarms.html`);
    selectAgRows(page, ['100002']);
    const hit = rowAt(adapters, cellWithText(page, '[role=gridcell]', '10.1.0.1'));
    if (!hit) throw new Error('no row');
    expect(readSelection(hit, { console: 'https://siem.example' })).toEqual([]);
  });
});

describe('selected rows of a table', () => {
  it('takes rows marked aria-selected and never a header row', () => {
    const page = loadGridFixture('table-colspan.html');
    const body = [...page.querySelectorAll('tbody tr')].filter((tr) => tr.querySelector('td'));
    for (const tr of [...page.querySelectorAll('thead tr'), body[0], body[1]])
      tr?.setAttribute('aria-selected', 'true');
    const first = body[0]?.querySelector('td');
    const hit = rowAt(adapters, first ?? null);
    if (!hit) throw new Error('no row');
    const rows = selectedRows(hit.adapter, hit.row.root);
    expect(rows.map((r) => r.primary)).toEqual([body[0], body[1]]);
  });
});
