// @vitest-environment jsdom
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { adaptersWith } from '../../../../src/content/grid/site-selectors.ts';
import { overlayShadowForTests } from '../../../../src/content/overlay-host.ts';
import { showTeach } from '../../../../src/content/teach/teach-app.tsx';
import { fakeSession } from '../fake-session.ts';
import { installFakeRuntime } from '../panel/fake-runtime.ts';
import { buildFeed, FEED_LABELS } from './feed-dom.ts';

/**
 * Teach mode over a grid no adapter reads: the analyst points at a header and a row, picks a field for a
 * column and saves; the page's own click handlers never see those clicks, and events the page makes up
 * count for nothing.
 */

let controller: AbortController;
let runtime: ReturnType<typeof installFakeRuntime>;
let pageClicks: number;

interface Published {
  active: boolean;
  phase?: string;
  source?: string | null;
  columns?: Array<{ label: string; field: string | null }>;
  picker?: string | null;
  saved?: boolean;
}

const published = (session: ReturnType<typeof fakeSession>): Published =>
  JSON.parse(session.overlay.host.getAttribute('data-gridside-teach') ?? '{"active":false}');
const shadow = () => overlayShadowForTests()!;
const shadowButton = (text: string) =>
  [...shadow().querySelectorAll('button')].find((b) => b.textContent?.includes(text)) as HTMLButtonElement;
const click = (el: Element) => el.dispatchEvent(new MouseEvent('click', { bubbles: true, composed: true }));

/** Preact re-renders after signal changes on its own schedule. */
const settle = () => new Promise((r) => setTimeout(r, 20));

async function loaded(session: ReturnType<typeof fakeSession>) {
  for (let i = 0; i < 50 && !session.overlay.host.hasAttribute('data-gridside-teach'); i++)
    await new Promise((r) => setTimeout(r, 10));
}

beforeEach(() => {
  controller = new AbortController();
  pageClicks = 0;
  runtime = installFakeRuntime((request) =>
    request.type === 'site.teach'
      ? {
          ok: true,
          data: {
            fieldOverrides: request.fields,
            gridSelectors: [
              {
                origin: 'https://siem.example',
                ...(request.grid as object),
                columnKey: { headerCell: (request.grid as { header: string }).header },
                kind: 'log',
              },
            ],
          },
        }
      : { ok: false, error: { code: 'bad_request', message: 'no' } },
  );
});

afterEach(() => {
  vi.restoreAllMocks();
  controller.abort();
  runtime.uninstall();
  document.body.replaceChildren();
  for (const el of document.documentElement.querySelectorAll('[data-gridside]')) el.remove();
});

function feedPage() {
  const feed = buildFeed(document);
  feed.body.addEventListener('click', () => {
    pageClicks += 1;
  });
  feed.head.addEventListener('click', () => {
    pageClicks += 1;
  });
  return feed;
}

describe('teach mode', () => {
  it('learns the grid from a header and a row, takes a field for a column, and saves for this site', async () => {
    const feed = feedPage();
    const session = fakeSession(true);
    showTeach(session, controller.signal);
    await loaded(session);
    expect(published(session)).toMatchObject({ active: true, phase: 'header', source: null });

    click(feed.label(2));
    expect(published(session).phase).toBe('row');
    click(feed.lines[3]!.children[1]!);
    expect(published(session)).toMatchObject({ phase: 'look', source: 'taught' });
    expect(published(session).columns?.map((c) => c.label)).toEqual(FEED_LABELS);
    expect(published(session).columns?.find((c) => c.label === 'Src')?.field).toBeNull();

    click(feed.label(2));
    expect(published(session).picker).toBe('Src');
    await settle();
    const sip = [...shadow().querySelectorAll('button.field')].find(
      (b) => b.firstChild?.textContent === 'SIP',
    );
    click(sip!);
    expect(published(session).columns?.find((c) => c.label === 'Src')?.field).toBe('SIP');
    expect(pageClicks).toBe(0);

    // From the keyboard: the card lists each column with a button for its field.
    await settle();
    const who = [...shadow().querySelectorAll('button.choose')].find((b) =>
      b.getAttribute('aria-label')?.startsWith('Field for Who:'),
    );
    click(who!);
    expect(published(session).picker).toBe('Who');
    await settle();
    click(shadow().querySelector('button.field[data-field="Login"]')!);
    expect(published(session).columns?.find((c) => c.label === 'Who')?.field).toBe('Login');

    await settle();
    click(shadowButton('Save for this site'));
    for (let i = 0; i < 50 && !published(session).saved; i++) await new Promise((r) => setTimeout(r, 10));
    expect(runtime.requests).toEqual([
      {
        type: 'site.teach',
        grid: { root: '.feed', row: '.feed-line', cell: '.feed-val', header: '.feed-hcell' },
        fields: { Src: 'SIP', Who: 'Login' },
      },
    ]);
    expect(published(session)).toEqual({ active: false, saved: true });
    expect(session.adapters[0]?.id).toBe('config:https://siem.example');
    expect(session.fieldOverrides).toEqual({ Src: 'SIP', Who: 'Login' });
    expect(shadow().textContent).toContain('Saved for this site');
  });

  it('ignores clicks the page makes up, and lets them through to the page', async () => {
    const feed = feedPage();
    const session = fakeSession(false);
    showTeach(session, controller.signal);
    await loaded(session);
    click(feed.label(0));
    click(feed.lines[0]!.children[0]!);
    expect(published(session)).toMatchObject({ active: true, phase: 'header' });
    expect(pageClicks).toBe(2);
    document.dispatchEvent(new KeyboardEvent('keydown', { key: 'Escape', bubbles: true }));
    expect(published(session).active).toBe(true);
  });

  it('leaves on Escape without saving anything', async () => {
    const feed = feedPage();
    const session = fakeSession(true);
    showTeach(session, controller.signal);
    await loaded(session);
    click(feed.label(0));
    document.dispatchEvent(new KeyboardEvent('keydown', { key: 'Escape', bubbles: true }));
    expect(published(session)).toEqual({ active: false, saved: false });
    expect(runtime.requests).toEqual([]);
    expect(session.overlay.layer('button').style.display).toBe('');
    // Out of teach mode, clicks are the page's again.
    click(feed.lines[0]!.children[0]!);
    expect(pageClicks).toBe(1);
  });
});

describe('teach mode over a saved grid config that reads the grid wrongly', () => {
  it('shows it, and a grid pointed out anew replaces it when saved', async () => {
    const feed = feedPage();
    // jsdom lays nothing out: give every element a box, as a browser would.
    vi.spyOn(Element.prototype, 'getBoundingClientRect').mockReturnValue(new DOMRect(0, 0, 100, 20));
    const session = fakeSession(true);
    session.adapters = adaptersWith([
      {
        origin: session.origin,
        root: '.feed',
        row: '.feed-body',
        cell: '.feed-line',
        columnKey: { headerCell: '.feed-hcell' },
        kind: 'log',
      },
    ]);
    showTeach(session, controller.signal);
    await loaded(session);
    expect(published(session)).toMatchObject({ phase: 'look', source: 'saved' });
    await settle();
    click(shadowButton('Point out the grid again'));
    click(feed.label(1));
    click(feed.lines[2]!.children[0]!);
    expect(published(session)).toMatchObject({ phase: 'look', source: 'taught' });
    await settle();
    click(shadowButton('Save for this site'));
    for (let i = 0; i < 50 && !published(session).saved; i++) await new Promise((r) => setTimeout(r, 10));
    expect(runtime.requests).toEqual([
      {
        type: 'site.teach',
        grid: {
          root: '.feed',
          row: '.feed-line',
          cell: '.feed-val',
          header: '.feed-hcell',
          replaces: '.feed',
        },
        fields: {},
      },
    ]);
  });
});
