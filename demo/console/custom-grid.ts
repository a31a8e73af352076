import { cellText, loadRows } from './console-data.ts';
import { formatCount } from './console-status.ts';

/**
 * An in-house event feed, the kind of grid no library adapter knows: plain `div`s with class names only
 * (no ARIA roles, no `<table>`), a header whose cells hold a label and a sort mark, zebra rows, and column
 * names of its own ("Src", "Dst Node", "Who") that match no field Gridside knows. Clicking an event opens
 * its details below the feed (the page's own click handler, which teach mode must keep from firing).
 * Every value is set with textContent.
 */

const COLUMNS: ReadonlyArray<{ field: string; label: string }> = [
  { field: 'LogId', label: 'Ref' },
  { field: 'LogDate', label: 'Seen' },
  { field: 'CommonEvent', label: 'Evt' },
  { field: 'SIP', label: 'Src' },
  { field: 'DHostName', label: 'Dst Node' },
  { field: 'Login', label: 'Who' },
];
const ROWS = 300;

function div(className: string, text?: string): HTMLDivElement {
  const el = document.createElement('div');
  el.className = className;
  if (text !== undefined) el.textContent = text;
  return el;
}

function header(): HTMLDivElement {
  const head = div('feed-head');
  for (const column of COLUMNS) {
    const cell = div('feed-hcell');
    const label = document.createElement('span');
    label.className = 'feed-hlabel';
    label.textContent = column.label;
    const mark = document.createElement('span');
    mark.className = 'sort-mark';
    mark.setAttribute('aria-hidden', 'true');
    mark.textContent = '↕';
    cell.append(label, mark);
    head.append(cell);
  }
  return head;
}

async function start(): Promise<void> {
  const rows = await loadRows('logs', ROWS);
  const feed = div('feed');
  const body = div('feed-body');
  rows.forEach((row, i) => {
    const line = div(i % 2 ? 'feed-line zebra' : 'feed-line');
    for (const column of COLUMNS) line.append(div('feed-val', cellText(row, column.field)));
    body.append(line);
  });
  const drawer = document.getElementById('feed-drawer')!;
  let opened = 0;
  body.addEventListener('click', (event) => {
    const line = (event.target as Element).closest('.feed-line');
    if (!line) return;
    opened += 1;
    document.body.dataset.detailsOpened = String(opened);
    drawer.textContent = `Event ${line.firstElementChild?.textContent ?? ''}`;
  });
  feed.append(div('feed-title', 'Recent events'), header(), body);
  document.getElementById('event-feed')!.append(feed);
  document.getElementById('feed-status')!.textContent = `${formatCount(rows.length)} events`;
}

void start().catch((error: unknown) => {
  document.getElementById('feed-status')!.textContent = `Could not load events: ${String(error)}`;
});
