/**
 * A grid no adapter recognises, as an in-house console renders it (the demo's custom-grid.html has the
 * same shape): divs with class names only, a header cell holding a label and a sort mark, zebra rows.
 */
export const FEED_LABELS = ['Ref', 'Seen', 'Src', 'Dst Node', 'Who'];

export function feedRows(n: number): string[][] {
  return Array.from({ length: n }, (_, i) => [
    String(9000 + i),
    `11/27/2026 10:${String(i).padStart(2, '0')}:00 PM`,
    `10.0.0.${i + 1}`,
    `host-${i}.corp`,
    `user${i}`,
  ]);
}

export function buildFeed(
  doc: Document,
  options: { rows?: number; rowClass?: (i: number) => string; cellClass?: string } = {},
) {
  const {
    rows = 8,
    rowClass = (i: number) => (i % 2 ? 'feed-line zebra' : 'feed-line'),
    cellClass = 'feed-val',
  } = options;
  const main = doc.createElement('main');
  main.id = 'event-feed';
  const feed = doc.createElement('div');
  feed.className = 'feed';
  const title = doc.createElement('div');
  title.className = 'feed-title';
  title.textContent = 'Recent events';
  const head = doc.createElement('div');
  head.className = 'feed-head';
  for (const label of FEED_LABELS) {
    const cell = doc.createElement('div');
    cell.className = 'feed-hcell';
    const span = doc.createElement('span');
    span.className = 'feed-hlabel';
    span.textContent = label;
    const mark = doc.createElement('span');
    mark.className = 'sort-mark';
    mark.setAttribute('aria-hidden', 'true');
    mark.textContent = '↕';
    cell.append(span, mark);
    head.append(cell);
  }
  const body = doc.createElement('div');
  body.className = 'feed-body';
  for (const [i, values] of feedRows(rows).entries()) {
    const line = doc.createElement('div');
    line.className = rowClass(i);
    for (const value of values) {
      const cell = doc.createElement('div');
      cell.className = cellClass;
      cell.textContent = value;
      line.append(cell);
    }
    body.append(line);
  }
  feed.append(title, head, body);
  main.append(feed);
  doc.body.append(main);
  const headers = [...head.children];
  const lines = [...body.children];
  return { main, feed, head, body, headers, lines, label: (i: number) => headers[i]!.firstElementChild! };
}
