// @vitest-environment jsdom
import { describe, expect, it } from 'vitest';
import { adaptersFor, rowAt } from '../../../../src/content/grid/grids.ts';
import { readRow } from '../../../../src/content/grid/read-row.ts';
import { adaptersWith } from '../../../../src/content/grid/site-selectors.ts';
import { cellWithText, loadGridFixture } from '../load-fixture.ts';

const adapters = adaptersFor();
const read = (target: Element) => readRow(rowAt(adapters, target)!, { console: 'https://siem.example' });

describe('plain table with colspan', () => {
  it('maps cells to the lowest header covering their position', () => {
    const page = loadGridFixture('table-colspan.html');
    const { context } = read(cellWithText(page, 'td', 'alice'));
    expect(context.labels).toEqual({
      'Log Date': '2026-11-27 10:00:00',
      'IP Address (Origin)': '10.9.8.7',
      'User (Origin)': 'alice',
      // Under the "Host (Impacted)" group header: the group travels with the leaf label.
      'Name (Host (Impacted))': 'web-01',
      'Zone (Host (Impacted))': 'dmz',
      Classification: 'Attack',
    });
    expect(context.fields).toMatchObject({ SIP: '10.9.8.7', Login: 'alice', MessageClass: 'Attack' });
    expect(context.key.confidence).toBe('low');
  });

  it('gives a spanning body cell to its first column and keeps later columns aligned', () => {
    const page = loadGridFixture('table-colspan.html');
    const { context } = read(cellWithText(page, 'td', 'db-02'));
    expect(context.labels['IP Address (Origin)']).toBe('<img src=x onerror=alert(1)>');
    expect(context.labels['User (Origin)']).toBeUndefined();
    expect(context.labels['Name (Host (Impacted))']).toBe('db-02');
    expect(context.labels.Classification).toBe('Audit');
  });

  it('finds no row in the head or the foot', () => {
    const page = loadGridFixture('table-colspan.html');
    expect(rowAt(adapters, cellWithText(page, 'th', 'Zone'))).toBeNull();
    expect(rowAt(adapters, cellWithText(page, 'td', '2 events'))).toBeNull();
  });
});

describe('plain table with rowspan in the body', () => {
  it('gives a row the value of a cell spanning down from a row above, and keeps later columns aligned', () => {
    const page = loadGridFixture('table-rowspan.html');
    const { context } = read(cellWithText(page, 'td', '1002'));
    expect(context.labels).toEqual({
      'Log ID': '1002',
      'Host (Origin)': 'web-01',
      'IP Address (Origin)': '10.0.0.2',
      'Host Name (Impacted)': 'db-02',
      'IP (Impacted)': '172.16.0.2',
      Classification: 'Audit',
    });
    expect(context.fields).toMatchObject({
      LogId: '1002',
      SHostName: 'web-01',
      SIP: '10.0.0.2',
      DHostName: 'db-02',
      DIP: '172.16.0.2',
    });
    expect(context.key).toEqual({ value: '1002', source: 'column', confidence: 'high' });
  });

  it('counts a cell spanning columns and rows in every row it covers, and no span beyond its row group', () => {
    const page = loadGridFixture('table-rowspan.html');
    const covered = read(cellWithText(page, 'td', '1004')).context;
    expect(covered.labels).toEqual({
      'Log ID': '1004',
      'Host (Origin)': 'web-04',
      'IP Address (Origin)': '10.0.0.4',
      // The spanning cell gives its value to the first column it covers, as in its own row.
      'Host Name (Impacted)': 'db-03 172.16.0.3',
      Classification: 'Audit',
    });
    expect(covered.missing).toEqual(['DIP']);
    const own = read(cellWithText(page, 'td', '1003')).context;
    expect(own.labels['Host (Origin)']).toBe('web-01');
    expect(own.labels['Host Name (Impacted)']).toBe('db-03 172.16.0.3');
    // A second <tbody>: the rowspan=0 cell of the first ends with it.
    const next = read(cellWithText(page, 'td', '2001')).context;
    expect(next.labels).toMatchObject({ 'Host (Origin)': 'web-05', Classification: 'Attack' });
  });
});

describe('ARIA grid with aria-owns and a hidden column', () => {
  it('joins the owned cells into the row and reads the same row from either part', () => {
    const page = loadGridFixture('aria-owns-hidden.html');
    const fromLocked = rowAt(adapters, cellWithText(page, '[role=gridcell]', '778899'))!;
    const fromOwned = rowAt(adapters, page.querySelector('#c42-5')!)!;
    expect(fromOwned.row.primary).toBe(fromLocked.row.primary);
    const { context, otherColumnsNotShown } = readRow(fromOwned, { console: 'x' });
    expect(context.fields).toEqual({
      AlarmId: '778899',
      SIP: '172.16.5.4',
      DHostName: 'fileserver.corp',
      AlarmStatus: 'Open',
    });
    expect(context.kind).toBe('alarm');
    expect(context.key).toEqual({ value: '778899', source: 'column', confidence: 'high' });
    // The hidden User (Origin) column exists but is not shown: named; aria-colcount counts one more.
    expect(context.missing).toEqual(['Login']);
    expect(otherColumnsNotShown).toBe(1);
  });

  it('reads header labels without decorative glyphs, and finds no row on a header', () => {
    const page = loadGridFixture('aria-owns-hidden.html');
    const { context } = read(page.querySelector('#c42-3')!);
    expect(Object.keys(context.labels)).toContain('IP Address (Origin)');
    expect(rowAt(adapters, cellWithText(page, '[role=columnheader]', 'Host (Impacted)'))).toBeNull();
  });
});

describe('per-site selector config', () => {
  it('is tried before the built-in adapters and reads by attribute', () => {
    document.body.replaceChildren();
    const list = document.createElement('ul');
    list.className = 'events';
    const head = document.createElement('li');
    head.className = 'head';
    for (const [key, label] of [
      ['ip', 'Origin IP'],
      ['who', 'User (Origin)'],
    ] as const) {
      const span = document.createElement('span');
      span.dataset.k = key;
      span.textContent = label;
      head.append(span);
    }
    const item = document.createElement('li');
    item.className = 'event';
    item.dataset.eid = 'E-991';
    for (const [key, value] of [
      ['who', 'carol'],
      ['ip', '203.0.113.9'],
    ] as const) {
      const span = document.createElement('span');
      span.className = 'v';
      span.dataset.k = key;
      span.textContent = value;
      item.append(span);
    }
    list.append(head, item);
    document.body.append(list);
    const configured = adaptersWith([
      {
        origin: 'https://siem.example',
        root: 'ul.events',
        row: 'li.event',
        cell: '.v',
        columnKey: { attribute: 'data-k' },
        header: 'li.head span',
        headerKeyAttribute: 'data-k',
        rowKeyAttribute: 'data-eid',
        kind: 'log',
      },
    ]);
    const hit = rowAt(configured, item.querySelector('.v')!)!;
    expect(hit.adapter.id).toBe('config:https://siem.example');
    const { context } = readRow(hit, { console: 'x' });
    expect(context.fields).toEqual({ SIP: '203.0.113.9', Login: 'carol' });
    expect(context.key).toEqual({ value: 'E-991', source: 'row-id', confidence: 'medium' });
    expect(rowAt(configured, head.querySelector('span')!)).toBeNull();
  });
});
