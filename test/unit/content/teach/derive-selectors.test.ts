// @vitest-environment jsdom
import { afterEach, describe, expect, it } from 'vitest';
import { readRow } from '../../../../src/content/grid/read-row.ts';
import { siteSelectorAdapter } from '../../../../src/content/grid/site-selectors.ts';
import { deriveSelectors, isStableClass } from '../../../../src/content/teach/derive-selectors.ts';
import { gridAround, headerCellAt, rowAt } from '../../../../src/content/teach/point-at.ts';
import { buildFeed, FEED_LABELS, feedRows } from './feed-dom.ts';

afterEach(() => {
  document.body.replaceChildren();
});

/** What the analyst does: click a header's label, then a cell of a row; returns the derived selectors. */
function teachByClicks(headerLabel: Element, rowCell: Element) {
  const header = headerCellAt(headerLabel);
  expect(header).not.toBeNull();
  const row = rowAt(rowCell, header);
  expect(row).not.toBeNull();
  const root = gridAround(header!, row!);
  expect(root).not.toBeNull();
  const derived = deriveSelectors({ root: root!, row: row!, header: header! });
  if (!derived.ok) throw new Error(derived.problem);
  return { header: header!, row: row!, root: root!, selectors: derived.selectors };
}

/** The derived selectors, as the per-site adapter uses them, read the row the way the grid shows it. */
function readsRowLikeTheGrid(
  selectors: ReturnType<typeof teachByClicks>['selectors'],
  line: Element,
  n: number,
) {
  const adapter = siteSelectorAdapter({
    origin: 'https://siem.example',
    ...selectors,
    columnKey: { headerCell: selectors.header },
    kind: 'log',
  });
  const root = adapter.rootOf(line.firstElementChild!);
  expect(root).not.toBeNull();
  const row = adapter.rowFromTarget(root!, line.firstElementChild!);
  expect(row?.primary).toBe(line);
  const { context } = readRow({ adapter, row: row! }, { console: 'https://siem.example' });
  const expected = Object.fromEntries(FEED_LABELS.map((label, i) => [label, feedRows(n)[n - 1]![i]!]));
  expect(context.labels).toEqual(expected);
}

describe('selectors from the analyst’s clicks', () => {
  it('finds the header cell, row and grid behind the clicked spans and names them by class', () => {
    const feed = buildFeed(document);
    const taught = teachByClicks(feed.label(2), feed.lines[3]!.children[1]!);
    expect(taught.header).toBe(feed.headers[2]);
    expect(taught.row).toBe(feed.lines[3]);
    expect(taught.root).toBe(feed.feed);
    expect(taught.selectors).toEqual({
      root: '.feed',
      row: '.feed-line',
      cell: '.feed-val',
      header: '.feed-hcell',
    });
    readsRowLikeTheGrid(taught.selectors, feed.lines[7]!, 8);
  });

  it('leaves out state, per-row and generated class names', () => {
    const feed = buildFeed(document, {
      rowClass: (i) => `line css-1q2w3e row-${i}${i === 2 ? ' selected' : ''}${i % 2 ? ' odd' : ''}`,
      cellClass: 'val ng-star-inserted',
    });
    const taught = teachByClicks(feed.label(0), feed.lines[2]!.children[0]!);
    expect(taught.selectors.row).toBe('.line');
    expect(taught.selectors.cell).toBe('.val');
    for (const name of ['row-12', 'css-1q2w3e', 'selected', 'odd', 'ng-star-inserted', 'a8f3k2x'])
      expect(isStableClass(name), name).toBe(false);
    for (const name of ['feed-line', 'ResultRow', 'grid__cell']) expect(isStableClass(name), name).toBe(true);
  });

  it('keeps the header row out when it shares the data rows’ class', () => {
    const feed = buildFeed(document, { rowClass: () => 'line' });
    feed.head.className = 'line';
    const taught = teachByClicks(feed.label(3), feed.lines[5]!.children[3]!);
    const matched = [...feed.feed.querySelectorAll(taught.selectors.row)];
    expect(matched).toEqual(feed.lines);
    expect(matched).not.toContain(feed.head);
    readsRowLikeTheGrid(taught.selectors, feed.lines[5]!, 6);
  });

  it('falls back to the path from the grid when nothing has a name, never to a row’s own position', () => {
    const feed = buildFeed(document, { rowClass: () => '', cellClass: '' });
    for (const el of [feed.feed, feed.head, feed.body, ...feed.headers]) el.removeAttribute('class');
    for (const el of feed.feed.querySelectorAll('span')) el.removeAttribute('class');
    const taught = teachByClicks(feed.label(1), feed.lines[4]!.children[2]!);
    // Rows and header cells sit in like containers: the path tells the containers apart, not the rows.
    expect(taught.selectors.row).toMatch(/ > div$/);
    expect(taught.selectors.header).toMatch(/ > div$/);
    expect(taught.selectors.cell).not.toMatch(/nth-/);
    expect(taught.selectors.root).toBe('#event-feed > div');
    expect([...document.querySelectorAll(taught.selectors.row)]).toEqual(feed.lines);
    expect([...document.querySelectorAll(taught.selectors.header)]).toEqual(feed.headers);
    expect([...feed.lines[4]!.querySelectorAll(taught.selectors.cell)]).toEqual([...feed.lines[4]!.children]);
  });

  it('prefers a shared role or data attribute when classes say nothing', () => {
    const feed = buildFeed(document, { rowClass: () => '', cellClass: '' });
    feed.lines.forEach((line, i) => {
      line.setAttribute('data-event-id', String(i * 7));
      line.setAttribute('data-kind', 'event');
    });
    const taught = teachByClicks(feed.label(0), feed.lines[1]!.children[0]!);
    expect(taught.selectors.row).toBe('[data-kind="event"]');
  });

  it('does not take a lone element for a header or a cell for a row', () => {
    const feed = buildFeed(document);
    expect(headerCellAt(feed.feed.querySelector('.feed-title')!)).toBeNull();
    // Without the header, the element with the most like siblings: the row (8), not the cell (5).
    expect(rowAt(feed.lines[0]!.children[0]!, null)).toBe(feed.lines[0]);
  });
});
