// @vitest-environment jsdom
import { afterEach, describe, expect, it } from 'vitest';
import { giveFocusBack } from '../../../../src/content/panel/focus-back.ts';

/**
 * Where the keyboard goes when a view beside a row closes: what had focus when it opened, else the row's
 * focusable cell, and never away from where the analyst has since moved.
 */

afterEach(() => {
  document.body.replaceChildren();
});

/** A grid row as AG Grid and MUI X draw one: cells a script can focus, one of them the grid's active one. */
function grid(active?: number): { row: HTMLElement; cells: HTMLElement[] } {
  const row = document.createElement('div');
  row.setAttribute('role', 'row');
  const cells = [0, 1, 2].map((index) => {
    const cell = document.createElement('div');
    cell.setAttribute('role', 'gridcell');
    cell.tabIndex = index === active ? 0 : -1;
    cell.textContent = `cell ${index}`;
    return cell;
  });
  row.append(...cells);
  document.body.append(row);
  return { row, cells };
}

/** Gridside's host with a focused button in its shadow root, as while the panel is open. */
function gridsideFocused(): HTMLElement {
  const host = document.createElement('div');
  host.setAttribute('data-gridside', '');
  const root = host.attachShadow({ mode: 'closed' });
  const button = document.createElement('button');
  root.append(button);
  document.body.append(host);
  button.focus();
  expect(document.activeElement).toBe(host);
  return host;
}

describe('closing a view beside a row gives the keyboard back', () => {
  it('to the cell that had focus when the panel opened from the keyboard', () => {
    const { row, cells } = grid(0);
    gridsideFocused();
    giveFocusBack(cells[2], row);
    expect(document.activeElement).toBe(cells[2]);
  });

  it('to the row’s cell when the panel opened from Gridside’s row button (focus on its host)', () => {
    const { row, cells } = grid();
    const host = gridsideFocused();
    giveFocusBack(host, row);
    expect(document.activeElement).toBe(cells[0]);
  });

  it('to the grid’s active cell in the row, when it marks one', () => {
    const { row, cells } = grid(1);
    const host = gridsideFocused();
    giveFocusBack(host, row);
    expect(document.activeElement).toBe(cells[1]);
  });

  it('to a cell before the row, when both take focus (ag-Grid’s rows do, its arrows move between cells)', () => {
    const { row, cells } = grid();
    row.tabIndex = 0;
    const host = gridsideFocused();
    giveFocusBack(host, row);
    expect(document.activeElement).toBe(cells[0]);
  });

  it('to the row itself when it takes focus and no cell does, and when what had focus cannot take it', () => {
    const row = document.createElement('div');
    row.setAttribute('role', 'row');
    row.tabIndex = -1;
    row.append(document.createElement('div'));
    document.body.append(row);
    gridsideFocused();
    const label = document.createElement('span'); // not focusable
    document.body.append(label);
    giveFocusBack(label, row);
    expect(document.activeElement).toBe(row);
  });

  it('with focus fallen to the page’s body (the panel’s element removed)', () => {
    const { row, cells } = grid();
    expect(document.activeElement).toBe(document.body);
    giveFocusBack(null, row);
    expect(document.activeElement).toBe(cells[0]);
  });

  it('not away from where the analyst has moved since', () => {
    const { row } = grid();
    const search = document.createElement('input');
    document.body.append(search);
    search.focus();
    giveFocusBack(row, row);
    expect(document.activeElement).toBe(search);
  });

  it('nowhere for a row gone from the page or one nothing in it can take', () => {
    const { row } = grid();
    row.remove();
    const plain = document.createElement('tr');
    plain.append(document.createElement('td'));
    const table = document.createElement('table');
    table.append(plain);
    document.body.append(table);
    const host = gridsideFocused();
    giveFocusBack(host, row);
    expect(document.activeElement).toBe(host);
    giveFocusBack(host, plain);
    expect(document.activeElement).toBe(host);
  });
});
