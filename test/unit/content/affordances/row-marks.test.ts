// @vitest-environment jsdom
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { autoEnrich } from '../../../../src/content/affordances/auto-enrich.ts';
import { MARKS_RECHECK_MS, rowMarks, SETTLE_MS } from '../../../../src/content/affordances/row-marks.ts';
import { overlayShadowForTests } from '../../../../src/content/overlay-host.ts';
import { marksStale } from '../../../../src/content/rows-settled.ts';
import type { Pin } from '../../../../src/core/pins.ts';
import { fakeSession, nextFrame, pageRested } from '../fake-session.ts';
import { loadGridFixture } from '../load-fixture.ts';
import { installFakeRuntime } from '../panel/fake-runtime.ts';

/**
 * jsdom has no layout: rows get boxes from their row-index (30 px each, below a 60 px header), shifted by
 * `scrolled` as if the grid had scrolled; everything else is a 1000×700 box at the origin.
 */
/** The machine is shared: give the debounced refresh and the lazy view time to arrive. */
const WAIT = { timeout: 5_000 };
let scrolled = 0;
const realRect = Element.prototype.getBoundingClientRect;
beforeEach(() => {
  scrolled = 0;
  Element.prototype.getBoundingClientRect = function (this: Element) {
    const row = this.closest('.ag-row');
    if (row) {
      const top = 60 + Number(row.getAttribute('row-index')) * 30 - scrolled;
      return DOMRect.fromRect({ x: 0, y: top, width: 900, height: 30 });
    }
    return DOMRect.fromRect({ x: 0, y: 0, width: 1000, height: 700 });
  };
});

let controller = new AbortController();
let runtime: ReturnType<typeof installFakeRuntime> | null = null;
afterEach(() => {
  controller.abort();
  controller = new AbortController();
  runtime?.uninstall();
  Element.prototype.getBoundingClientRect = realRect;
  delete (document.documentElement as { clientWidth?: number }).clientWidth;
  for (const el of document.documentElement.querySelectorAll('[data-gridside]')) el.remove();
});

function pin(id: string, note: string, pinnedAt: number): Pin {
  return {
    id,
    console: 'https://siem.example',
    rowKey: '100003',
    kind: 'alarm',
    alarmId: '100003',
    jobId: id.replace('pin:', ''),
    actionId: 'geo/ip',
    actionName: `Where is this IP (${id})`,
    orchestratorId: 'demo',
    status: 'succeeded',
    verdicts: [{ level: 'suspicious', namespace: 'Geo', predicate: 'Country', value: 'KP' }],
    summary: `country: KP (${id})`,
    output: null,
    pinnedBy: 'alice',
    pinnedAt,
    note,
  };
}

/** A `marks.onScreen` answer: the kinds given, the others empty. */
function marks(kinds: { pins?: object; approvals?: object; auto?: object }) {
  return { ok: true, data: { pins: {}, approvals: {}, auto: {}, autoFields: [], ...kinds } };
}

function markersOnScreen() {
  return [...overlayShadowForTests()!.querySelectorAll<HTMLElement>('.pin-marker[data-shown]')];
}

describe('pin markers', () => {
  it('asks once for all rows on screen and marks only the pinned ones, in the overlay', async () => {
    const page = loadGridFixture('ag-grid-36-alarms.html');
    const gridNodes = page.querySelectorAll('*').length;
    runtime = installFakeRuntime((request) =>
      request.type === 'marks.onScreen' ? marks({ pins: { '100003': 2, '100007': 1 } }) : { ok: false },
    );
    rowMarks.init(fakeSession(), controller.signal);

    await vi.waitFor(() => expect(markersOnScreen()).toHaveLength(2), WAIT);
    expect(runtime.requests).toHaveLength(1); // one message for every row and every kind of mark
    const [asked] = runtime.requests;
    expect(asked?.type).toBe('marks.onScreen');
    expect(asked?.console).toBe('https://siem.example');
    // Every rendered data row of the fixture, by its Alarm ID; no headers.
    expect(asked?.rows).toEqual(
      [...page.querySelectorAll('.ag-row[row-id]')].map((row) => ({
        key: row.getAttribute('row-id'),
        kind: 'alarm',
      })),
    );
    const [first, second] = markersOnScreen();
    expect(first?.getAttribute('aria-label')).toBe('2 pinned results');
    expect(first?.textContent).toBe('2');
    expect(second?.getAttribute('aria-label')).toBe('1 pinned result');
    // Beside its row: row-index 3 is 60 + 3×30 px down; the marker is centred on it.
    expect(first?.style.transform).toMatch(/translate\(\d+px, 156px\)/);
    expect(page.querySelectorAll('*').length).toBe(gridNodes);
  });

  it('hides while the grid scrolls, is back beside its row at rest, and stays hidden once the row left the grid', async () => {
    loadGridFixture('ag-grid-36-alarms.html');
    runtime = installFakeRuntime(() => marks({ pins: { '100003': 1 } }));
    rowMarks.init(fakeSession(), controller.signal);
    await vi.waitFor(() => expect(markersOnScreen()).toHaveLength(1), WAIT);
    const marker = markersOnScreen()[0]!;
    const layer = marker.parentElement!;
    expect(layer.hidden).toBe(false);

    scrolled = 60;
    window.dispatchEvent(new Event('scroll'));
    expect(layer.hidden).toBe(true); // at the first scroll event, before any frame
    await nextFrame();
    expect(marker.style.transform).toMatch(/translate\(\d+px, 156px\)/); // not moved: nothing read
    await vi.waitFor(() => expect(layer.hidden).toBe(false), WAIT);
    expect(marker.style.transform).toMatch(/translate\(\d+px, 96px\)/); // placed before shown again

    scrolled = 400; // row 3 is now above the grid's top edge
    window.dispatchEvent(new Event('scroll'));
    await pageRested(controller.signal);
    await nextFrame();
    expect(markersOnScreen()).toHaveLength(0);
  });

  it('takes the markers away when the console hides the grid with visibility: hidden, and brings them back', async () => {
    // Consoles that keep inactive tabs laid out, stacked where the active one is, hide them this way:
    // their rows keep their boxes, so a marker would be drawn over the grid the analyst is looking at.
    const page = loadGridFixture('ag-grid-36-alarms.html');
    runtime = installFakeRuntime(() => marks({ pins: { '100003': 1 } }));
    rowMarks.init(fakeSession(), controller.signal);
    await vi.waitFor(() => expect(markersOnScreen()).toHaveLength(1), WAIT);

    page.style.visibility = 'hidden'; // another tab chosen
    window.dispatchEvent(new Event('pointerup'));
    await vi.waitFor(() => expect(markersOnScreen()).toHaveLength(0), WAIT);

    page.style.visibility = '';
    window.dispatchEvent(new Event('pointerup'));
    await vi.waitFor(() => expect(markersOnScreen()).toHaveLength(1), WAIT);
  });

  it('reads the rows again after keys and clicks on the page, not in Gridside’s own panel', async () => {
    loadGridFixture('ag-grid-36-alarms.html');
    runtime = installFakeRuntime(() => marks({ pins: { '100003': 1 } }));
    const session = fakeSession();
    rowMarks.init(session, controller.signal);
    await vi.waitFor(() => expect(markersOnScreen()).toHaveLength(1), WAIT);
    const asks = () => runtime!.requests.filter((r) => r.type === 'marks.onScreen').length;
    expect(asks()).toBe(1);
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    try {
      // Typing in the panel's search and clicking Run: the events reach the page retargeted to the host.
      session.overlay.host.dispatchEvent(new Event('keyup', { bubbles: true, composed: true }));
      session.overlay.host.dispatchEvent(new Event('pointerup', { bubbles: true, composed: true }));
      await vi.advanceTimersByTimeAsync(SETTLE_MS * 3);
      expect(asks()).toBe(1);
      // A key on the page itself (a console's filter box) may change the rows shown.
      document.body.dispatchEvent(new Event('keyup', { bubbles: true }));
      await vi.advanceTimersByTimeAsync(SETTLE_MS * 3);
    } finally {
      vi.useRealTimers();
    }
    await vi.waitFor(() => expect(asks()).toBe(2), WAIT);
  });

  it('drops at rest a marker whose row element the grid rebound while it scrolled', async () => {
    const page = loadGridFixture('ag-grid-36-alarms.html');
    runtime = installFakeRuntime(() => marks({ pins: { '100003': 1 } }));
    rowMarks.init(fakeSession(), controller.signal);
    await vi.waitFor(() => expect(markersOnScreen()).toHaveLength(1), WAIT);

    window.dispatchEvent(new Event('scroll'));
    const row = page.querySelector('.ag-row[row-id="100003"]')!;
    row.setAttribute('row-id', '100042'); // unwatched while the page moves
    row.querySelector('[col-id="alarmId"]')!.textContent = '100042';
    await pageRested(controller.signal);
    await nextFrame();
    expect(overlayShadowForTests()!.querySelectorAll('.pin-marker')).toHaveLength(0);
  });

  it('drops the marker at once when the grid rebinds the row element to another row', async () => {
    const page = loadGridFixture('ag-grid-36-alarms.html');
    runtime = installFakeRuntime(() => marks({ pins: { '100003': 1 } }));
    rowMarks.init(fakeSession(), controller.signal);
    await vi.waitFor(() => expect(markersOnScreen()).toHaveLength(1), WAIT);

    const row = page.querySelector('.ag-row[row-id="100003"]')!;
    row.setAttribute('row-id', '100042');
    row.querySelector('[col-id="alarmId"]')!.textContent = '100042';
    await Promise.resolve(); // the grid's MutationObserver record
    expect(overlayShadowForTests()!.querySelectorAll('.pin-marker')).toHaveLength(0);
  });

  it('opens the row’s pinned results newest first on click; Unpin removes one and refreshes the markers', async () => {
    loadGridFixture('ag-grid-36-alarms.html');
    let stored = [pin('pin:new', 'escalated', 2_000), pin('pin:old', '', 1_000)];
    runtime = installFakeRuntime((request) => {
      if (request.type === 'marks.onScreen')
        return marks({ pins: stored.length ? { '100003': stored.length } : {} });
      if (request.type === 'pins.forRow') return { ok: true, data: stored };
      if (request.type === 'pins.remove') {
        stored = stored.filter((p) => p.id !== request.id);
        return { ok: true, data: { removed: request.id } };
      }
      return { ok: false, error: { code: 'bad_request', message: 'no' } };
    });
    rowMarks.init(fakeSession(), controller.signal);
    await vi.waitFor(() => expect(markersOnScreen()).toHaveLength(1), WAIT);
    markersOnScreen()[0]!.click();

    const shadow = overlayShadowForTests()!;
    await vi.waitFor(() => expect(shadow.querySelectorAll('.pins-view li.pin')).toHaveLength(2));
    expect(runtime.requests.find((r) => r.type === 'pins.forRow')).toMatchObject({ rowKey: '100003' });
    const titles = [...shadow.querySelectorAll('.pins-view .pin-title')].map((el) => el.textContent);
    expect(titles[0]).toContain('(pin:new)');
    expect(shadow.querySelector('.pins-view')!.textContent).toContain('pinned by alice');
    expect(shadow.querySelector('.pins-view .chip')!.getAttribute('data-level')).toBe('suspicious');
    expect(shadow.querySelector<HTMLTextAreaElement>('.pins-view textarea')!.value).toBe('escalated');

    const asksBefore = runtime.requests.filter((r) => r.type === 'marks.onScreen').length;
    shadow.querySelector<HTMLButtonElement>('.pins-view li.pin button.unpin')!.click();
    await vi.waitFor(() => expect(shadow.querySelectorAll('.pins-view li.pin')).toHaveLength(1));
    expect(runtime.requests.find((r) => r.type === 'pins.remove')).toMatchObject({ id: 'pin:new' });
    await vi.waitFor(() =>
      expect(runtime!.requests.filter((r) => r.type === 'marks.onScreen').length).toBeGreaterThan(asksBefore),
    );
    await vi.waitFor(() => expect(markersOnScreen()[0]?.textContent).toBe('1'));
  });
});

function approvalMarksOnScreen() {
  return [...overlayShadowForTests()!.querySelectorAll<HTMLElement>('.approval-mark[data-shown]')];
}

describe('approval marks', () => {
  it("marks the alarm's row whose runs wait for this analyst, beside its pins, with what waits", async () => {
    loadGridFixture('ag-grid-36-alarms.html');
    runtime = installFakeRuntime((request) => {
      if (request.type === 'marks.onScreen')
        return marks({
          pins: { '100003': 1 },
          approvals: {
            'alarm:100003': { count: 2, actions: ['Disable account', 'Isolate host'] },
            'alarm:100007': { count: 1, actions: ['Disable account'] },
            // The same number as a log row: not this grid's row, so no mark.
            'log:100005': { count: 1, actions: ['Block IP'] },
          },
        });
      return { ok: false, error: { code: 'bad_request', message: 'no' } };
    });
    // jsdom has no viewport width; a row box is clipped to it.
    Object.defineProperty(document.documentElement, 'clientWidth', { configurable: true, value: 1000 });
    rowMarks.init(fakeSession(), controller.signal);

    await vi.waitFor(() => expect(approvalMarksOnScreen()).toHaveLength(2), WAIT);
    const asked = runtime.requests.filter((r) => r.type === 'marks.onScreen');
    expect(asked).toHaveLength(1);
    expect(((asked[0]?.rows ?? []) as Array<{ kind: string }>).every((row) => row.kind === 'alarm')).toBe(
      true,
    );
    const [both, single] = approvalMarksOnScreen();
    expect(both?.textContent).toBe('Approve 2');
    expect(both?.title).toBe('2 runs wait for your approval: Disable account, Isolate host');
    expect(single?.textContent).toBe('Approve');
    expect(single?.getAttribute('aria-label')).toBe(
      '1 run waits for your approval: open the approval window',
    );
    // On row 3 (156 px down, like its pin), to the left of the pin.
    const pinX = Number(/translate\((\d+)px, 156px\)/.exec(markersOnScreen()[0]?.style.transform ?? '')?.[1]);
    const markX = Number(/translate\((\d+)px, 156px\)/.exec(both?.style.transform ?? '')?.[1]);
    expect(markX).toBeLessThan(pinX);
  });

  it('asks the background to open the approval window for the row, on a real click only', async () => {
    loadGridFixture('ag-grid-36-alarms.html');
    runtime = installFakeRuntime((request) => {
      if (request.type === 'marks.onScreen')
        return marks({ approvals: { 'alarm:100003': { count: 1, actions: ['Disable account'] } } });
      if (request.type === 'approvals.show') return { ok: true, data: { runs: 1 } };
      return { ok: true, data: {} };
    });
    // jsdom cannot make a trusted event: the session trusts exactly the events the test says are the user's.
    const fromTheUser = new WeakSet<Event>();
    const session = { ...fakeSession(false), isUserInput: (event: Event) => fromTheUser.has(event) };
    rowMarks.init(session, controller.signal);
    await vi.waitFor(() => expect(approvalMarksOnScreen()).toHaveLength(1), WAIT);

    approvalMarksOnScreen()[0]!.click(); // untrusted: what a page script could do
    await Promise.resolve();
    expect(runtime.requests.filter((r) => r.type === 'approvals.show')).toHaveLength(0);

    const click = new MouseEvent('click');
    fromTheUser.add(click);
    approvalMarksOnScreen()[0]!.dispatchEvent(click);
    await vi.waitFor(() =>
      expect(runtime!.requests.filter((r) => r.type === 'approvals.show')).toEqual([
        { type: 'approvals.show', row: { key: '100003', kind: 'alarm' } },
      ]),
    );
  });

  it('asks again when the background says the waiting runs changed, and drops a mark that went', async () => {
    loadGridFixture('ag-grid-36-alarms.html');
    let waiting = true;
    runtime = installFakeRuntime((request) => {
      if (request.type === 'marks.onScreen')
        return marks({
          approvals: waiting ? { 'alarm:100003': { count: 1, actions: ['Disable account'] } } : {},
        });
      return { ok: true, data: {} };
    });
    rowMarks.init(fakeSession(), controller.signal);
    await vi.waitFor(() => expect(approvalMarksOnScreen()).toHaveLength(1), WAIT);

    waiting = false;
    runtime.push({ type: 'approvals.changed' }, 'another-extension'); // not ours: ignored
    runtime.push({ type: 'approvals.changed' });
    await vi.waitFor(() => expect(approvalMarksOnScreen()).toHaveLength(0), WAIT);
    expect(runtime.requests.filter((r) => r.type === 'marks.onScreen')).toHaveLength(2);
    expect(overlayShadowForTests()!.querySelectorAll('.approval-mark')).toHaveLength(0);
  });
});

describe('a trigger run for a row already on screen', () => {
  it('shows its chip at the next recheck while the tab is visible, and asks nothing while it is hidden', async () => {
    loadGridFixture('ag-grid-36-alarms.html');
    let triggered = false;
    const chip = {
      orchestratorId: 'demo',
      runId: 'run-7',
      rule: 'C2 alarms',
      actionName: 'IP Reputation',
      status: 'succeeded',
      verdict: 'malicious',
      summary: 'IPRep:score=92',
    };
    runtime = installFakeRuntime(() => marks(triggered ? { auto: { 'alarm:100003': chip } } : {}));
    const asks = () => runtime!.requests.filter((r) => r.type === 'marks.onScreen').length;
    const chips = () => overlayShadowForTests()!.querySelectorAll('.auto-mark[data-shown]');
    /** Lets fake time pass, in steps, until `done` (or 5 s of it). */
    const until = async (done: () => boolean) => {
      for (let i = 0; i < 50 && !done(); i++) await vi.advanceTimersByTimeAsync(100);
    };
    await import('../../../../src/content/affordances/row-marks-view.ts'); // loaded, as after a first mark
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    try {
      rowMarks.init(fakeSession(), controller.signal);
      await until(() => asks() > 0);
      expect(asks()).toBe(1);
      // A trigger rule enriches alarm 100003; nothing on the page changes.
      triggered = true;
      await vi.advanceTimersByTimeAsync(MARKS_RECHECK_MS - 1_000);
      expect(asks()).toBe(1);
      await vi.advanceTimersByTimeAsync(1_000);
      await until(() => chips().length > 0);
      expect(chips()).toHaveLength(1);
      expect(asks()).toBe(2);

      // Another tab of the browser: no question however long it stays there; one on its return.
      Object.defineProperty(document, 'hidden', { configurable: true, get: () => true });
      await vi.advanceTimersByTimeAsync(MARKS_RECHECK_MS * 3);
      expect(asks()).toBe(2);
      delete (document as { hidden?: boolean }).hidden;
      marksStale(); // what auto-enrich.ts does when the tab is visible again
      await until(() => asks() > 2);
      expect(asks()).toBe(3);
      await vi.advanceTimersByTimeAsync(MARKS_RECHECK_MS);
      await until(() => asks() > 3);
      expect(asks()).toBe(4);
    } finally {
      delete (document as { hidden?: boolean }).hidden;
      vi.useRealTimers();
    }
  });
});

describe('auto-enrichment at rest', () => {
  it('proposes the rows on screen when the marks’ answer names fields its rules read, and asks nothing more otherwise', async () => {
    loadGridFixture('ag-grid-36-alarms.html');
    let autoFields: string[] = [];
    runtime = installFakeRuntime((request) => {
      if (request.type === 'marks.onScreen') return { ...marks({}), data: { ...marks({}).data, autoFields } };
      if (request.type === 'auto.fields') return { ok: true, data: { fields: autoFields } };
      if (request.type === 'auto.propose')
        return { ok: true, data: { started: 0, shared: 0, waiting: 0, retryAfterMs: null } };
      return { ok: false, error: { code: 'bad_request', message: 'no' } };
    });
    const session = fakeSession();
    rowMarks.init(session, controller.signal);
    autoEnrich.init(session, controller.signal);
    const types = () => runtime!.requests.map((request) => request.type);

    // Auto-enrichment off on this console: a rest costs the page one message, the marks' own.
    await vi.waitFor(() => expect(types()).toEqual(['marks.onScreen']), WAIT);
    await new Promise((resolve) => setTimeout(resolve, SETTLE_MS));
    expect(types()).toEqual(['marks.onScreen']);

    // A rule switched on: the next answer names its field, and the rows on screen are proposed with it.
    autoFields = ['SIP'];
    marksStale();
    await vi.waitFor(() => expect(types()).toContain('auto.propose'), WAIT);
    const proposal = runtime.requests.find((request) => request.type === 'auto.propose') as unknown as {
      rows: Array<{ fields: Record<string, string> }>;
    };
    expect(proposal.rows.length).toBeGreaterThan(0);
    for (const row of proposal.rows) expect(Object.keys(row.fields)).toEqual(['SIP']);
  });
});
