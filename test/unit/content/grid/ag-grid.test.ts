// @vitest-environment jsdom
import { describe, expect, it } from 'vitest';
import { adaptersFor, rowAt } from '../../../../src/content/grid/grids.ts';
import { readRow } from '../../../../src/content/grid/read-row.ts';
import { cellWithText, loadGridFixture } from '../load-fixture.ts';

const adapters = adaptersFor();
const read = (target: Element) => {
  const hit = rowAt(adapters, target);
  if (!hit) throw new Error('no row');
  return readRow(hit, { console: 'https://siem.example' });
};

describe.each(['36', '35'])('ag-Grid %s alarms grid', (version) => {
  it('reads the clicked row by column id with the business key, kind alarm', () => {
    const page = loadGridFixture(`ag-grid-${version}-alarms.html`);
    const { context } = read(cellWithText(page, '[role=gridcell]', '10.1.0.1'));
    expect(context.kind).toBe('alarm');
    expect(context.key).toEqual({ value: '100001', source: 'column', confidence: 'high' });
    expect(context.alarmId).toBe('100001');
    expect(context.fields).toMatchObject({
      AlarmId: '100001',
      SIP: '10.1.0.1',
      DHostName: 'srv-1.corp.example',
      Login: 'user1',
      AlarmStatus: 'New',
    });
    expect(context.labels['IP Address (Origin)']).toBe('10.1.0.1');
    expect(context.labels['Extra 0']).toBe('v0-1');
  });

  it('gives the same logical row for a pinned cell and a center cell', () => {
    const page = loadGridFixture(`ag-grid-${version}-alarms.html`);
    const center = rowAt(adapters, cellWithText(page, '[role=gridcell]', 'user7'))!;
    const pinnedRight = [...page.querySelectorAll('[role=row][row-id="100007"] [col-id=status]')][0]!;
    const pinnedLeft = cellWithText(page, '[role=gridcell]', '100007');
    const right = rowAt(adapters, pinnedRight)!;
    const left = rowAt(adapters, pinnedLeft)!;
    expect(right.row.primary).toBe(center.row.primary);
    expect(left.row.primary).toBe(center.row.primary);
    expect(read(pinnedRight).context.fields).toEqual(read(pinnedLeft).context.fields);
    expect(read(pinnedRight).context.fields.Login).toBe('user7');
  });

  it('finds no row on a header cell', () => {
    const page = loadGridFixture(`ag-grid-${version}-alarms.html`);
    expect(rowAt(adapters, cellWithText(page, '.ag-header-cell-text', 'Alarm ID'))).toBeNull();
  });

  it('keeps hostile cell text as the literal string and creates no element from it', () => {
    const page = loadGridFixture(`ag-grid-${version}-alarms.html`);
    const { context } = read(cellWithText(page, '[role=gridcell]', '10.1.0.1'));
    expect(context.fields.AlarmRuleName).toBe('<img src=x onerror=alert(1)>');
    expect(page.querySelector('img')).toBeNull();
  });

  it('counts the columns ag-Grid virtualized away instead of guessing them', () => {
    const page = loadGridFixture(`ag-grid-${version}-alarms.html`);
    const { otherColumnsNotShown } = read(cellWithText(page, '[role=gridcell]', '10.1.0.1'));
    // 18 columns declared in aria-colcount, 7 rendered (Alarm ID, rule, SIP, host, user, Extra 0, status).
    expect(otherColumnsNotShown).toBe(11);
  });

  it('names a known column that scrolled out of view as missing', () => {
    const page = loadGridFixture(`ag-grid-${version}-alarms.html`);
    read(cellWithText(page, '[role=gridcell]', '10.1.0.1')); // the header row was seen with the SIP column
    for (const el of page.querySelectorAll('[col-id=sip]')) el.remove(); // horizontal scroll: gone from DOM
    const { context } = read(cellWithText(page, '[role=gridcell]', 'user3'));
    expect(context.missing).toContain('SIP');
    expect(context.fields.SIP).toBeUndefined();
  });

  it('reads values at action time: a recycled cell gives its new text', () => {
    const page = loadGridFixture(`ag-grid-${version}-alarms.html`);
    const cell = cellWithText(page, '[role=gridcell]', 'user2');
    const hit = rowAt(adapters, cell)!;
    cell.textContent = 'mallory';
    expect(readRow(hit, { console: 'x' }).context.fields.Login).toBe('mallory');
  });
});

describe.each(['36', '35'])('ag-Grid %s logs grid without getRowId', (version) => {
  it('does not trust the auto row id: content hash, low confidence, kind log', () => {
    const page = loadGridFixture(`ag-grid-${version}-logs.html`);
    const { context } = read(cellWithText(page, '[role=gridcell]', '192.168.0.3'));
    expect(context.kind).toBe('log');
    expect(context.key.source).toBe('content-hash');
    expect(context.key.confidence).toBe('low');
    expect(context.fields).toMatchObject({ SIP: '192.168.0.3', DIP: '8.8.3.8' });
    const other = read(cellWithText(page, '[role=gridcell]', '192.168.0.4')).context;
    expect(other.key.value).not.toBe(context.key.value);
  });

  it('uses an app-provided row id with medium confidence', () => {
    const page = loadGridFixture(`ag-grid-${version}-logs.html`);
    for (const part of page.querySelectorAll('[role=row][row-id="3"]'))
      part.setAttribute('row-id', 'evt-7f3a');
    const { context } = read(cellWithText(page, '[role=gridcell]', '192.168.0.3'));
    expect(context.key).toEqual({ value: 'evt-7f3a', source: 'row-id', confidence: 'medium' });
  });

  it('applies the analyst’s field overrides', () => {
    const page = loadGridFixture(`ag-grid-${version}-logs.html`);
    const hit = rowAt(adapters, cellWithText(page, '[role=gridcell]', '192.168.0.3'))!;
    const { context } = readRow(hit, { console: 'x', fieldOverrides: { Classification: 'ThreatName' } });
    expect(context.fields.ThreatName).toBe('Network Allow');
  });
});

describe.each(['36', '35'])('ag-Grid %s row spanning (enableCellSpan, spanRows on URL)', (version) => {
  // ag-Grid draws a cell spanning rows once, in a `.ag-spanned-row` beside the rows, not in any of them.
  it('reads the spanned cell in every row it covers', () => {
    const page = loadGridFixture(`ag-grid-${version}-row-spans.html`);
    for (const [ip, logId] of [
      ['10.4.0.3', '8003'],
      ['10.4.0.4', '8004'],
      ['10.4.0.5', '8005'],
    ]) {
      const { context } = read(cellWithText(page, '[role=gridcell]', ip!));
      expect(context.labels).toEqual({
        'Log ID': logId,
        URL: 'https://site-1.example/login',
        'IP Address (Origin)': ip,
        Classification: Number(logId) % 2 ? 'Audit' : 'Attack',
      });
      expect(context.fields).toMatchObject({ LogId: logId, URL: 'https://site-1.example/login', SIP: ip });
      expect(context.missing).toEqual([]);
    }
    // The row after the span shows the next URL.
    expect(read(cellWithText(page, '[role=gridcell]', '10.4.0.6')).context.fields.URL).toBe(
      'https://site-2.example/login',
    );
  });

  it('finds the first row it covers from the spanned cell itself', () => {
    const page = loadGridFixture(`ag-grid-${version}-row-spans.html`);
    const hit = rowAt(adapters, cellWithText(page, '.ag-spanned-cell', 'https://site-1.example/login'));
    expect(hit?.row.primary.matches('.ag-row[row-id="8003"]')).toBe(true);
    expect(hit && readRow(hit, { console: 'x' }).context.fields).toMatchObject({
      LogId: '8003',
      URL: 'https://site-1.example/login',
      SIP: '10.4.0.3',
    });
  });
});
