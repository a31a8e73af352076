// @vitest-environment jsdom
import { afterEach, describe, expect, it, vi } from 'vitest';
import { headerLabel } from '../../../../src/content/grid/cell-text.ts';
import { adaptersFor, rowAt } from '../../../../src/content/grid/grids.ts';
import { readRow } from '../../../../src/content/grid/read-row.ts';
import { fieldForGroupedLabel } from '../../../../src/core/fields.ts';
import { cellWithText, loadGridFixture } from '../load-fixture.ts';

/**
 * Grids that group their columns under a header row, nest header elements, or split rows into render
 * containers (issue 10, parts 2 and 3): the plugin must get the values the analyst sees, mapped by the
 * combined group and leaf labels, with no site configuration.
 */

const adapters = adaptersFor();
const read = (target: Element) => readRow(rowAt(adapters, target)!, { console: 'https://siem.example' });

function html(markup: string): HTMLElement {
  document.body.replaceChildren();
  const container = document.createElement('div');
  // Test-only: our own markup; the code under test never parses HTML.
  container.innerHTML = markup;
  document.body.append(container);
  return container;
}

afterEach(() => {
  vi.restoreAllMocks();
});

describe('header labels', () => {
  const label = (markup: string) =>
    headerLabel(
      html(`<table><thead><tr>${markup}</tr></thead></table>`).querySelector('th, [role="columnheader"]')!,
    );

  it('drops a sort-priority number, sort icons and the column menu button', () => {
    expect(
      label(
        '<div role="columnheader"><div role="button"><span>Alarm ID</span> <span aria-label="Sort Descending"><i class="icon-down"></i> <sub>1</sub></span></div><div role="button" aria-haspopup="true" aria-label="Column Menu"><i>&nbsp;</i></div></div>',
      ),
    ).toBe('Alarm ID');
    expect(label('<th>Host (Origin) <span class="sort-order">2</span> ▲</th>')).toBe('Host (Origin)');
    expect(label('<th>Log Date<svg><text>arrow</text></svg></th>')).toBe('Log Date');
  });

  it('drops visually hidden helper text and inline-hidden elements', () => {
    expect(label('<th><span class="visually-hidden">Press Enter to sort</span>User (Origin)</th>')).toBe(
      'User (Origin)',
    );
    expect(label('<th>IP Address<span style="display: none">internal name</span></th>')).toBe('IP Address');
    expect(label('<th><span class="material-icons">filter_list</span>Classification</th>')).toBe(
      'Classification',
    );
  });

  it('keeps a label made only of digits, and falls back to the accessible name', () => {
    expect(label('<th>2026</th>')).toBe('2026');
    expect(label('<th aria-label="Risk Based Priority"><svg></svg></th>')).toBe('Risk Based Priority');
  });
});

describe('ui-grid (AngularJS): nested headers, pinned render container, sort number', () => {
  /** Gives every data row of each render container a box by its row number, as the browser would. */
  function layOut(page: HTMLElement, { reverseBody }: { reverseBody: boolean }) {
    const containers = [...page.querySelectorAll('.ui-grid-render-container')];
    for (const container of containers) {
      const rows = [...container.querySelectorAll('.ui-grid-viewport [role="row"]')];
      rows.forEach((row, i) => {
        const top = 100 + 30 * i;
        vi.spyOn(row, 'getBoundingClientRect').mockReturnValue(
          DOMRect.fromRect({ x: 0, y: top, width: 400, height: 30 }),
        );
      });
      // A recycling grid's DOM order need not be its visual order: the body's rows, reversed in the DOM.
      if (reverseBody && container.matches('.ui-grid-render-container-body')) {
        const canvas = rows[0]!.parentElement!.parentElement!;
        for (const holder of [...canvas.children].reverse()) canvas.append(holder);
      }
    }
  }

  it('counts each column once, without its sort number, across both render containers', () => {
    const page = loadGridFixture('ui-grid-logs.html');
    const hit = rowAt(adapters, cellWithText(page, '[role="gridcell"] div', 'ws-4.corp.example'))!;
    const labels = hit.adapter.columns(hit.row.root).map((column) => column.label);
    expect(labels).toEqual([
      'Log ID',
      'Log Date',
      'Host (Origin)',
      'IP Address (Origin)',
      'User (Origin)',
      'Host (Impacted)',
    ]);
  });

  it("joins the row's pinned part and body part by their place on screen, from either part", () => {
    const page = loadGridFixture('ui-grid-logs.html');
    layOut(page, { reverseBody: true });
    const body = cellWithText(page, '[role="gridcell"] div', 'ws-4.corp.example');
    const fromBody = read(body);
    // The pinned part at the same height as the body part: its Log ID is the same logical row's.
    const bodyRow = body.closest('[role="row"]')!;
    const pinned = [
      ...page.querySelectorAll('.ui-grid-render-container-left .ui-grid-viewport [role="row"]'),
    ].find((row) => row.getBoundingClientRect().top === bodyRow.getBoundingClientRect().top)!;
    const logId = pinned.querySelector('[role="gridcell"]')!.textContent!.trim();
    expect(fromBody.context.fields).toEqual({
      LogId: logId,
      LogDate: expect.stringMatching(/^2026-11-27T10:/),
      SHostName: 'ws-4.corp.example',
      SIP: '10.2.0.4',
      Login: 'user4',
      DHostName: 'srv-4.corp.example',
    });
    expect(fromBody.context.key).toEqual({ value: logId, source: 'column', confidence: 'high' });
    const fromPinned = rowAt(adapters, pinned.querySelector('[role="gridcell"]')!)!;
    expect(fromPinned.row.primary).toBe(rowAt(adapters, body)!.row.primary);
    expect(readRow(fromPinned, { console: 'x' }).context.fields).toEqual(fromBody.context.fields);
  });
});

describe('ag-Grid column groups', () => {
  it('labels each leaf with its group and maps Origin and Impacted to their sides', () => {
    const page = loadGridFixture('ag-grid-36-grouped.html');
    const { context } = read(cellWithText(page, '[col-id="host"]', 'ws-7.corp.example'));
    expect(context.fields).toEqual({
      LogId: '5007',
      SHostName: 'ws-7.corp.example',
      SIP: '10.2.0.7',
      Login: 'user7',
      DHostName: 'srv-0.corp.example',
      DIP: '172.16.0.7',
    });
    expect(Object.keys(context.labels)).toEqual([
      'Log ID',
      'Host (Origin)',
      'IP Address (Origin)',
      'User (Origin)',
      'Host Name (Impacted)',
      'IP (Impacted)',
    ]);
  });
});

describe('a table with a two-row grouped header', () => {
  it('combines the group and leaf labels by colspan', () => {
    const page = html(`<table><thead>
      <tr><th rowspan="2">Log Date</th><th colspan="3">Origin</th><th colspan="2">Impacted</th><th colspan="2">Classification</th></tr>
      <tr><th>Host</th><th>IP Address</th><th>User</th><th>Host Name</th><th>IP</th><th>Common Event</th><th>Priority</th></tr>
    </thead><tbody>
      <tr><td>11/27/2026 10:00:00 AM</td><td>ws-1</td><td>10.0.0.1</td><td>alice</td><td>db-1</td><td>172.16.0.9</td><td>Failed Login</td><td>80</td></tr>
    </tbody></table>`);
    const { context } = read(cellWithText(page, 'td', 'alice'));
    expect(context.fields).toMatchObject({
      SHostName: 'ws-1',
      SIP: '10.0.0.1',
      Login: 'alice',
      DHostName: 'db-1',
      DIP: '172.16.0.9',
      CommonEvent: 'Failed Login',
    });
  });

  it('does not read a leaf under a side group as its bare self', () => {
    const page = html(`<table><thead>
      <tr><th colspan="2">Target</th></tr><tr><th>User</th><th>Widget</th></tr>
    </thead><tbody><tr><td>bob</td><td>w</td></tr></tbody></table>`);
    const { context } = read(cellWithText(page, 'td', 'bob'));
    expect(context.fields.Login).toBeUndefined();
    expect(context.labels['User (Target)']).toBe('bob');
  });
});

describe('an ARIA grid with a group header row', () => {
  it('maps leaves by aria-colindex under the group that spans them (aria-colspan)', () => {
    const page = html(`<div role="grid" aria-colcount="4">
      <div role="row" aria-rowindex="1"><div role="columnheader" aria-colindex="1"></div><div role="columnheader" aria-colindex="2" aria-colspan="3">Origin</div></div>
      <div role="row" aria-rowindex="2"><div role="columnheader" aria-colindex="1">Log ID</div><div role="columnheader" aria-colindex="2">Host</div><div role="columnheader" aria-colindex="3">IP Address</div><div role="columnheader" aria-colindex="4">User</div></div>
      <div role="row" aria-rowindex="3"><div role="gridcell" aria-colindex="1">9001</div><div role="gridcell" aria-colindex="3">10.1.1.1</div><div role="gridcell" aria-colindex="2">ws-9</div><div role="gridcell" aria-colindex="4">carol</div></div>
    </div>`);
    const { context } = read(cellWithText(page, '[role="gridcell"]', 'carol'));
    expect(context.fields).toEqual({ LogId: '9001', SHostName: 'ws-9', SIP: '10.1.1.1', Login: 'carol' });
  });

  it('puts a leaf under the group drawn over it when the group row numbers its columns wrongly', () => {
    // MUI X DataGrid 9, scrolled right so its first columns are not drawn (demo console /grids/mui.html):
    // the untitled group over Log ID … Priority starts at the first column in view (4) yet still spans 5,
    // so "Origin" says 9–11 and "Impacted" 12–13, three places right of where they are drawn.
    const page = html(`<div role="grid" aria-colcount="7">
      <div role="row" aria-rowindex="1"><div role="columnheader" aria-colindex="4" aria-colspan="5"></div><div role="columnheader" aria-colindex="9" aria-colspan="3">Origin</div><div role="columnheader" aria-colindex="12" aria-colspan="2">Impacted</div></div>
      <div role="row" aria-rowindex="2"><div role="columnheader" aria-colindex="4">Common Event</div><div role="columnheader" aria-colindex="5">Priority</div><div role="columnheader" aria-colindex="6">Host</div><div role="columnheader" aria-colindex="7">IP Address</div><div role="columnheader" aria-colindex="8">User</div><div role="columnheader" aria-colindex="9">Host Name</div><div role="columnheader" aria-colindex="10">IP</div></div>
      <div role="row" aria-rowindex="3"><div role="gridcell" aria-colindex="4">VPN Logon</div><div role="gridcell" aria-colindex="5">12</div><div role="gridcell" aria-colindex="6">ws-9</div><div role="gridcell" aria-colindex="7">10.1.1.1</div><div role="gridcell" aria-colindex="8">carol</div><div role="gridcell" aria-colindex="9">vpn-gw01</div><div role="gridcell" aria-colindex="10">172.16.10.5</div></div>
    </div>`);
    // Drawn as the analyst sees it: leaves 100 px wide from x = 0; the groups over their own leaves.
    const at = (el: Element, left: number, width: number) =>
      vi
        .spyOn(el, 'getBoundingClientRect')
        .mockReturnValue(DOMRect.fromRect({ x: left, y: 0, width, height: 20 }));
    const [groups, leaves] = [...page.querySelectorAll('[role="row"]')].map((row) => [
      ...row.querySelectorAll('[role="columnheader"]'),
    ]);
    for (const [i, leaf] of leaves!.entries()) at(leaf, 100 * i, 100);
    const drawn: Array<[number, number]> = [
      [0, 200],
      [200, 300],
      [500, 200],
    ];
    for (const [i, [left, width]] of drawn.entries()) at(groups![i]!, left, width);
    const { context } = read(cellWithText(page, '[role="gridcell"]', 'carol'));
    expect(context.fields).toMatchObject({
      SHostName: 'ws-9',
      SIP: '10.1.1.1',
      Login: 'carol',
      DHostName: 'vpn-gw01',
      DIP: '172.16.10.5',
    });
  });
});

describe('Tabulator: leaves inside a titled column group', () => {
  it('labels each leaf with its columngroup and maps the sides', () => {
    const page = loadGridFixture('tabulator-6-grouped-frozen.html');
    const { context } = read(cellWithText(page, '[role="gridcell"]', 'IT-LT-0569'));
    expect(context.fields).toMatchObject({
      LogId: '14202031',
      SHostName: 'IT-LT-0569',
      SIP: '10.30.12.28',
      Login: 'CORP\\hdavis',
      DIP: '198.252.130.151',
    });
    expect(context.labels).toHaveProperty('Host Name (Impacted)');
  });
});

describe('column groups three levels deep: Impacted and Origin, each over Network and Account', () => {
  // The same leaf and middle group under both sides (capture-nested-groups.mjs): only the outer group
  // says whose IP address or user a column holds.
  const nested = {
    'Log ID': '7004',
    'IP Address (Impacted › Network)': '172.16.1.4',
    'User (Impacted › Account)': 'svc-4',
    'IP Address (Origin › Network)': '10.3.0.4',
    'User (Origin › Account)': 'user4',
    Classification: 'Attack',
  };
  const fields = {
    LogId: '7004',
    DIP: '172.16.1.4',
    Account: 'svc-4',
    SIP: '10.3.0.4',
    Login: 'user4',
    MessageClass: 'Attack',
  };

  it.each([
    ['ag-Grid 36, pinned columns', 'ag-grid-36-nested-groups.html', '[col-id]'],
    ['Tabulator 6, nested columns', 'tabulator-6-nested-groups.html', '[role="gridcell"]'],
    ['MUI X 9, nested columnGroupingModel', 'mui-x-9-nested-groups.html', '[role="gridcell"]'],
  ])('%s: labels each leaf with every group over it and maps it by its side', (_, fixture, cell) => {
    const page = loadGridFixture(fixture);
    const { context } = read(cellWithText(page, cell, 'svc-4'));
    expect(context.labels).toEqual(nested);
    expect(context.fields).toEqual(fields);
  });

  it('a table: every header cell above a leaf, by colspan and rowspan', () => {
    const page = html(`<table><thead>
      <tr><th rowspan="3">Log ID</th><th colspan="2">Impacted</th><th colspan="3">Origin</th></tr>
      <tr><th>Network</th><th>Account</th><th>Network</th><th>Account</th><th rowspan="2">IP Address (Origin)</th></tr>
      <tr><th>IP Address</th><th>User</th><th>IP Address</th><th>User</th></tr>
    </thead><tbody>
      <tr><td>7004</td><td>172.16.1.4</td><td>svc-4</td><td>10.3.0.4</td><td>user4</td><td>10.3.0.44</td></tr>
    </tbody></table>`);
    const { context } = read(cellWithText(page, 'td', 'svc-4'));
    expect(context.labels).toEqual({
      'Log ID': '7004',
      'IP Address (Impacted › Network)': '172.16.1.4',
      'User (Impacted › Account)': 'svc-4',
      'IP Address (Origin › Network)': '10.3.0.4',
      'User (Origin › Account)': 'user4',
      // A leaf that names its side keeps its own label.
      'IP Address (Origin)': '10.3.0.44',
    });
    expect(context.fields).toEqual({
      LogId: '7004',
      DIP: '172.16.1.4',
      Account: 'svc-4',
      SIP: '10.3.0.4',
      Login: 'user4',
    });
  });

  it('maps a leaf with each group above it, and never alone under a side', () => {
    expect(fieldForGroupedLabel('IP Address', ['Origin', 'Network'])).toBe('SIP');
    expect(fieldForGroupedLabel('User', ['Impacted', 'Account'])).toBe('Account');
    // "User Name" would be the origin Login: under a side, only the side decides.
    expect(fieldForGroupedLabel('Name', ['Target', 'User'])).toBeUndefined();
    expect(fieldForGroupedLabel('Widget', ['Target', 'Details'])).toBeUndefined();
    // No side: the leaf with its nearest group, then alone.
    expect(fieldForGroupedLabel('Host', ['Details', 'Log Source'])).toBe('LogSourceHost');
    expect(fieldForGroupedLabel('Common Event', ['Details', 'Classification'])).toBe('CommonEvent');
    // The analyst's override of the label they see wins.
    expect(
      fieldForGroupedLabel('User', ['Origin', 'Account'], { 'User (Origin › Account)': 'Account' }),
    ).toBe('Account');
  });
});

describe('SlickGrid: frozen columns in their own pane, column groups in a pre-header panel', () => {
  /** Lays out the fixture as SlickGrid draws it: rows by data-row, header and group cells by their order. */
  function layOut(page: HTMLElement) {
    const box = (el: Element, x: number, y: number, width: number, height: number) =>
      vi.spyOn(el, 'getBoundingClientRect').mockReturnValue(DOMRect.fromRect({ x, y, width, height }));
    for (const row of page.querySelectorAll('[role="row"][data-row]'))
      box(row, 0, 40 + 25 * (Number(row.getAttribute('data-row')) - 2990), 600, 25);
    page.querySelectorAll('.slick-pane').forEach((pane, p) => {
      let x = p * 1000;
      for (const header of pane.querySelectorAll('[role="columnheader"]')) {
        box(header, x, 20, 100, 20);
        x += 100;
      }
      // The fixture's group cells span 2 (left pane), then 3 Origin leaves after 3 ungrouped, then 2 Impacted.
      const spans = p === 0 ? [2] : [3, 3, 2];
      let gx = p * 1000;
      [...pane.querySelectorAll('.slick-preheader-panel .slick-header-column')].forEach((cell, i) => {
        box(cell, gx, 0, 100 * (spans[i] ?? 1), 20);
        gx += 100 * (spans[i] ?? 1);
      });
    });
  }

  it('reads the frozen part and the scrolling part as one row, each column under its own header', () => {
    const page = loadGridFixture('slickgrid-5-grouped-frozen.html');
    layOut(page);
    const frozen = cellWithText(page, '.slick-cell', '14202001');
    const row = frozen.closest('[role="row"]')!.getAttribute('data-row');
    const right = page.querySelectorAll(`.grid-canvas-right [role="row"][data-row="${row}"] .slick-cell`);
    const { context } = read(right[0]!);
    // Log ID and Log Date come from the frozen pane; the rest from the scrolling pane, Origin and Impacted
    // leaves named by the pre-header group above them.
    expect(context.fields).toMatchObject({
      LogId: '14202001',
      LogDate: '11/26/2026 9:21:18 PM',
      MessageClass: right[0]!.textContent,
      SHostName: 'SEC-WKS-0646',
      SIP: '10.20.39.112',
      Login: 'CORP\\rcohen',
      DIP: '185.29.0.79',
    });
    expect(context.labels).toHaveProperty('Host Name (Impacted)', '');
    expect(read(frozen).context.fields).toEqual(context.fields);
  });
});
