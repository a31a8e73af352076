// @vitest-environment jsdom
import { afterEach, describe, expect, it, vi } from 'vitest';
import { contextMenuRow } from '../../../../src/content/affordances/context-menu-row.ts';
import { floatingRowButton } from '../../../../src/content/affordances/floating-row-button.ts';
import { focusedRow, pointedRow } from '../../../../src/content/affordances/focused-row.ts';
import { keyboardShortcut } from '../../../../src/content/affordances/keyboard-shortcut.ts';
import { panelRequests } from '../../../../src/content/affordances/panel-requests.ts';
import { overlayShadowForTests } from '../../../../src/content/overlay-host.ts';
import { fakeSession, nextFrame, pageRested } from '../fake-session.ts';
import { cellWithText, loadGridFixture } from '../load-fixture.ts';
import { installFakeRuntime } from '../panel/fake-runtime.ts';

let controller = new AbortController();
afterEach(() => {
  controller.abort();
  controller = new AbortController();
  for (const el of document.documentElement.querySelectorAll('[data-gridside]')) el.remove();
});

const hover = (el: Element) =>
  el.dispatchEvent(new MouseEvent('pointerover', { bubbles: true, composed: true }));

describe('floating row button', () => {
  it('is ONE element in the overlay however many rows are hovered, and adds nothing to the grid', async () => {
    const page = loadGridFixture('ag-grid-36-alarms.html');
    const gridNodes = page.querySelectorAll('*').length;
    const session = fakeSession();
    floatingRowButton.init(session, controller.signal);
    const shadow = overlayShadowForTests()!;
    for (const user of ['user1', 'user2', 'user3', 'user4', 'user5', 'user6']) {
      hover(cellWithText(page, '[role=gridcell]', user));
      await nextFrame();
      expect(session.hoveredRow?.row.primary.getAttribute('row-id')).toBe(`10000${user.slice(-1)}`);
    }
    expect(shadow.querySelectorAll('button').length).toBe(1);
    expect(shadow.querySelector('button')!.hasAttribute('data-shown')).toBe(true);
    expect(page.querySelectorAll('*').length).toBe(gridNodes);
  });

  it('is inert while hidden: no pointer, focus or assistive technology reaches a button no one sees', async () => {
    const page = loadGridFixture('ag-grid-36-alarms.html');
    const session = fakeSession();
    floatingRowButton.init(session, controller.signal);
    const button = overlayShadowForTests()!.querySelector('button')!;
    // Hidden by its opacity, the button stays laid out: inert is what keeps it out of reach.
    expect(button.inert).toBe(true);
    hover(cellWithText(page, '[role=gridcell]', 'user3'));
    await nextFrame();
    expect(button.hasAttribute('data-shown')).toBe(true);
    expect(button.inert).toBe(false);
    hover(cellWithText(page, '.ag-header-cell-text', 'Alarm ID'));
    await nextFrame();
    expect(button.hasAttribute('data-shown')).toBe(false);
    expect(button.inert).toBe(true);
  });

  it('hides on a header, and while the page scrolls: a pointer move shows it again once the scroll rests', async () => {
    const page = loadGridFixture('ag-grid-36-alarms.html');
    const session = fakeSession();
    floatingRowButton.init(session, controller.signal);
    const button = overlayShadowForTests()!.querySelector('button')!;
    hover(cellWithText(page, '[role=gridcell]', 'user3'));
    await nextFrame();
    expect(button.hasAttribute('data-shown')).toBe(true);
    page.querySelector('.ag-grid-viewport, .ag-body-viewport')!.dispatchEvent(new Event('scroll'));
    expect(button.hasAttribute('data-shown')).toBe(false);
    const moveOver = (user: string) =>
      cellWithText(page, '[role=gridcell]', user).dispatchEvent(
        new MouseEvent('pointermove', { bubbles: true }),
      );
    moveOver('user4');
    await nextFrame();
    expect(button.hasAttribute('data-shown')).toBe(false); // nothing while the page moves
    await pageRested(controller.signal);
    moveOver('user4');
    await nextFrame();
    expect(button.hasAttribute('data-shown')).toBe(true);
    expect(session.hoveredRow?.row.primary.getAttribute('row-id')).toBe('100004');
    hover(cellWithText(page, '.ag-header-cell-text', 'Alarm ID'));
    await nextFrame();
    expect(button.hasAttribute('data-shown')).toBe(false);
  });

  it('lets rows slide under a still pointer while scrolling, then anchors to the row under it', async () => {
    const page = loadGridFixture('ag-grid-36-alarms.html');
    const session = fakeSession();
    floatingRowButton.init(session, controller.signal);
    const button = overlayShadowForTests()!.querySelector('button')!;
    // jsdom has no layout: the pointer rests over user5's row once the scroll is over.
    const under = cellWithText(page, '[role=gridcell]', 'user5');
    const asked: Array<[number, number]> = [];
    document.elementFromPoint = (x: number, y: number) => {
      asked.push([x, y]);
      return under;
    };
    try {
      // The analyst's hand rests on user1's row, then the wheel scrolls the grid under it.
      cellWithText(page, '[role=gridcell]', 'user1').dispatchEvent(
        new MouseEvent('pointerover', { bubbles: true, composed: true, clientX: 400, clientY: 150 }),
      );
      await nextFrame();
      expect(session.hoveredRow?.row.primary.getAttribute('row-id')).toBe('100001');
      const viewport = page.querySelector('.ag-grid-viewport, .ag-body-viewport')!;
      for (const user of ['user2', 'user3', 'user4']) {
        viewport.dispatchEvent(new Event('scroll'));
        cellWithText(page, '[role=gridcell]', user).dispatchEvent(
          new MouseEvent('pointerover', { bubbles: true, composed: true, clientX: 400, clientY: 150 }),
        );
        await nextFrame();
        expect(button.hasAttribute('data-shown')).toBe(false);
        expect(session.hoveredRow).toBeNull();
      }
      await pageRested(controller.signal);
      await nextFrame();
      expect(button.hasAttribute('data-shown')).toBe(true);
      expect(session.hoveredRow?.row.primary.getAttribute('row-id')).toBe('100005');
      expect(asked).toEqual([[400, 150]]); // one look at the point at rest, not one per row that slid past
    } finally {
      delete (document as { elementFromPoint?: unknown }).elementFromPoint;
    }
  });

  it('shows nothing at rest when the pointer is no longer over a row, and nothing once it left the window', async () => {
    const page = loadGridFixture('ag-grid-36-alarms.html');
    const session = fakeSession();
    floatingRowButton.init(session, controller.signal);
    const button = overlayShadowForTests()!.querySelector('button')!;
    const outside = document.createElement('p');
    document.body.append(outside);
    let asked = 0;
    document.elementFromPoint = () => {
      asked++;
      return outside;
    };
    const viewport = page.querySelector('.ag-grid-viewport, .ag-body-viewport')!;
    try {
      hover(cellWithText(page, '[role=gridcell]', 'user3'));
      await nextFrame();
      viewport.dispatchEvent(new Event('scroll'));
      await pageRested(controller.signal);
      await nextFrame();
      await nextFrame();
      expect(asked).toBe(1);
      expect(button.hasAttribute('data-shown')).toBe(false);

      document.documentElement.dispatchEvent(new MouseEvent('pointerleave'));
      viewport.dispatchEvent(new Event('scroll'));
      await pageRested(controller.signal);
      await nextFrame();
      expect(asked).toBe(1); // the pointer left the window: nothing to look at
    } finally {
      delete (document as { elementFromPoint?: unknown }).elementFromPoint;
      outside.remove();
    }
  });

  it('opens the panel for the hovered row on click, and ignores events the page fakes', async () => {
    const page = loadGridFixture('ag-grid-35-alarms.html');
    const trusted = fakeSession();
    floatingRowButton.init(trusted, controller.signal);
    hover(cellWithText(page, '[role=gridcell]', 'user2'));
    await nextFrame();
    overlayShadowForTests()!.querySelector('button')!.click();
    expect(trusted.opened).toHaveLength(1);
    expect(trusted.opened[0]!.source).toBe('button');
    expect(trusted.opened[0]!.hit?.row.hints.rowId).toBe('100002');

    controller.abort();
    controller = new AbortController();
    const real = fakeSession(false); // the real rule: only isTrusted input
    floatingRowButton.init(real, controller.signal);
    hover(cellWithText(page, '[role=gridcell]', 'user2'));
    await nextFrame();
    expect(real.hoveredRow).toBeNull();
  });

  /** The session's adapters, counting what the button asks of them. */
  const counting = (session: ReturnType<typeof fakeSession>) => {
    const asked = { rowFromTarget: 0, watchTarget: 0 };
    session.adapters = session.adapters.map((adapter) => ({
      ...adapter,
      rowFromTarget(root, target) {
        asked.rowFromTarget += 1;
        return adapter.rowFromTarget(root, target);
      },
      watchTarget(root) {
        asked.watchTarget += 1;
        return adapter.watchTarget(root);
      },
    }));
    return asked;
  };

  it('moves from cell to cell of the row it is on without looking for the row again', async () => {
    const page = loadGridFixture('ag-grid-36-alarms.html');
    const session = fakeSession();
    const asked = counting(session);
    floatingRowButton.init(session, controller.signal);
    const button = overlayShadowForTests()!.querySelector('button')!;
    const row = cellWithText(page, '[role=gridcell]', 'user3').closest('.ag-row')!;
    const cells = [...row.querySelectorAll('[role=gridcell]')];
    expect(cells.length).toBeGreaterThan(2);
    hover(cells[0]!);
    await nextFrame();
    expect(button.hasAttribute('data-shown')).toBe(true);
    const before = asked.rowFromTarget;
    for (const cell of cells.slice(1)) hover(cell);
    await nextFrame();
    expect(asked.rowFromTarget).toBe(before);
    expect(session.hoveredRow?.row.primary).toBe(row);
    // Another row is looked for as before.
    hover(cellWithText(page, '[role=gridcell]', 'user4'));
    await nextFrame();
    expect(asked.rowFromTarget).toBe(before + 1);
    expect(session.hoveredRow?.row.primary.getAttribute('row-id')).toBe('100004');
  });

  it('writes nothing to the button that is already so: the browser has nothing to restyle', async () => {
    const page = loadGridFixture('ag-grid-36-alarms.html');
    const session = fakeSession();
    floatingRowButton.init(session, controller.signal);
    const button = overlayShadowForTests()!.querySelector('button')!;
    hover(cellWithText(page, '[role=gridcell]', 'user1'));
    await nextFrame();
    expect(button.hasAttribute('data-shown')).toBe(true);
    const writes: string[] = [];
    const observer = new MutationObserver((records) => {
      for (const r of records) writes.push(r.attributeName ?? '');
    });
    observer.observe(button, { attributes: true });
    try {
      // jsdom lays nothing out: every row's box is the same, so the button is already where it belongs.
      hover(cellWithText(page, '[role=gridcell]', 'user2'));
      await nextFrame();
      expect(session.hoveredRow?.row.primary.getAttribute('row-id')).toBe('100002');
      await Promise.resolve();
      expect(writes).toEqual([]);
    } finally {
      observer.disconnect();
    }
  });

  it('finds the part of a grid to watch once, not at every hover', async () => {
    const page = loadGridFixture('ag-grid-36-alarms.html');
    const session = fakeSession();
    const asked = counting(session);
    floatingRowButton.init(session, controller.signal);
    hover(cellWithText(page, '[role=gridcell]', 'user1'));
    await nextFrame();
    const first = asked.watchTarget;
    expect(first).toBeGreaterThan(0);
    for (const user of ['user2', 'user3', 'user4', 'user5', 'user6']) {
      hover(cellWithText(page, '[role=gridcell]', user));
      await nextFrame();
    }
    expect(asked.watchTarget).toBe(first);
    expect(session.hoveredRow?.row.primary.getAttribute('row-id')).toBe('100006');
  });
});

describe('right-click and keyboard', () => {
  it('records the row under a right-click, and clears it outside the grid', () => {
    const page = loadGridFixture('ag-grid-35-alarms.html');
    const session = fakeSession();
    contextMenuRow.init(session, controller.signal);
    const pinned = page.querySelector('[role=row][row-id="100004"] [col-id=status]')!;
    pinned.dispatchEvent(new MouseEvent('contextmenu', { bubbles: true, composed: true }));
    expect(session.lastContextRow?.row.hints.rowId).toBe('100004');
    document.body.dispatchEvent(new MouseEvent('contextmenu', { bubbles: true }));
    expect(session.lastContextRow).toBeNull();
  });

  it('ignores a right-click the page fakes', () => {
    const page = loadGridFixture('ag-grid-36-alarms.html');
    const session = fakeSession(false);
    contextMenuRow.init(session, controller.signal);
    cellWithText(page, '[role=gridcell]', 'user1').dispatchEvent(
      new MouseEvent('contextmenu', { bubbles: true }),
    );
    expect(session.lastContextRow).toBeNull();
  });

  it('Alt+Shift+R opens the focused row; other keys stay with the grid', () => {
    const page = loadGridFixture('ag-grid-36-alarms.html');
    const session = fakeSession();
    keyboardShortcut.init(session, controller.signal);
    const cell = cellWithText(page, '[role=gridcell]', 'user5') as HTMLElement;
    cell.focus();
    const arrow = new KeyboardEvent('keydown', {
      key: 'ArrowDown',
      code: 'ArrowDown',
      bubbles: true,
      cancelable: true,
    });
    cell.dispatchEvent(arrow);
    expect(arrow.defaultPrevented).toBe(false);
    const shortcut = new KeyboardEvent('keydown', {
      key: 'R',
      code: 'KeyR',
      altKey: true,
      shiftKey: true,
      bubbles: true,
      cancelable: true,
    });
    cell.dispatchEvent(shortcut);
    expect(shortcut.defaultPrevented).toBe(true);
    expect(session.opened.map((o) => [o.source, o.hit?.row.hints.rowId])).toEqual([['shortcut', '100005']]);
  });

  it('the browser’s keyboard command opens the focused row in the frame holding the focus, not in the page around it', async () => {
    const page = loadGridFixture('ag-grid-36-alarms.html');
    const session = fakeSession();
    const runtime = installFakeRuntime(() => ({ ok: true, data: null }));
    try {
      panelRequests.init(session, controller.signal);
      const command = async () => {
        runtime.push({ type: 'panel.open', source: 'command' });
        await vi
          .waitFor(() => expect(session.opened.length).toBeGreaterThan(0), { timeout: 500 })
          .catch(() => undefined);
        return session.opened.splice(0).map((o) => [o.source, o.hit?.row.hints.rowId ?? null]);
      };
      const hasFocus = vi.spyOn(document, 'hasFocus').mockReturnValue(true);

      // The focus is in a frame inside this page (a console's grid framed in a portal): that frame's own
      // content script answers; this one leaves it alone.
      const frame = document.createElement('iframe');
      page.append(frame);
      frame.tabIndex = 0;
      frame.focus();
      expect(document.activeElement).toBe(frame);
      expect(await command()).toEqual([]);

      // The focus is on a row of this page's grid.
      (cellWithText(page, '[role=gridcell]', 'user5') as HTMLElement).focus();
      expect(await command()).toEqual([['command', '100005']]);

      // The focus is outside the page (the browser's own bars): the top page answers, on the row its grid
      // still marks as focused.
      hasFocus.mockReturnValue(false);
      expect(await command()).toEqual([['command', '100005']]);
    } finally {
      runtime.uninstall();
      vi.restoreAllMocks();
    }
  });

  it("takes a grid's focus mark only from a grid on screen, the one holding focus first", () => {
    // Two copies of one grid, as a console's Logs and Alarms tabs: each keeps its own focus mark.
    const page = loadGridFixture('ag-grid-36-alarms.html');
    const logs = page.cloneNode(true) as HTMLElement;
    document.body.prepend(logs);
    const mark = (grid: HTMLElement, user: string) => {
      for (const el of document.querySelectorAll('.ag-cell-focus')) if (grid.contains(el)) el.remove();
      cellWithText(grid, '[role=gridcell]', user).classList.add('ag-cell-focus');
    };
    const tab = document.createElement('button');
    document.body.append(tab);
    // jsdom lays nothing out: a grid under a `hidden` tab panel is the one that cannot be seen.
    const seen = (el: Element) => !el.closest('[hidden]');
    Element.prototype.checkVisibility = function (this: Element) {
      return seen(this);
    };
    try {
      const session = fakeSession();
      mark(logs, 'user2');
      logs.hidden = true; // the analyst clicked a row of Logs, then the Alarms tab
      tab.focus();
      expect(focusedRow(session)).toBeNull();
      mark(page, 'user5');
      expect(focusedRow(session)?.row.hints.rowId).toBe('100005');
      // Both on screen: the grid that holds focus (here its header) comes first, wherever it stands.
      logs.hidden = false;
      (page.querySelector('.ag-header-cell') as HTMLElement).tabIndex = 0;
      (page.querySelector('.ag-header-cell') as HTMLElement).focus();
      expect(focusedRow(session)?.row.hints.rowId).toBe('100005');
      tab.focus();
      expect(focusedRow(session)?.row.hints.rowId).toBe('100002');
    } finally {
      delete (Element.prototype as Partial<Element>).checkVisibility;
    }
  });

  it('remembers the row clicked in a grid that marks no current row, until something scrolls', () => {
    // A table that keeps focus on itself, as Tabulator keeps it on its scroll container.
    document.body.innerHTML =
      '<table id="grid" tabindex="0"><thead><tr><th>Host</th><th>Origin IP</th></tr></thead><tbody>' +
      '<tr><td>web-01</td><td>10.0.0.1</td></tr><tr><td>web-02</td><td>10.0.0.2</td></tr></tbody></table>';
    const session = fakeSession();
    pointedRow.init(session, controller.signal);
    const grid = document.getElementById('grid')!;
    const cell = cellWithText(document, 'td', 'web-02');
    const click = () => cell.dispatchEvent(new MouseEvent('pointerdown', { bubbles: true, composed: true }));
    const scroll = () => grid.dispatchEvent(new Event('scroll'));
    click();
    grid.focus();
    expect(focusedRow(session)?.row.primary.textContent).toContain('web-02');
    scroll(); // the row element may show another row now
    expect(focusedRow(session)).toBeNull();
    // Clicked again after that scroll: remembered, and forgotten at the next scroll, every time.
    for (let i = 0; i < 2; i += 1) {
      click();
      click();
      expect(focusedRow(session)?.row.primary.textContent).toContain('web-02');
      scroll();
      expect(focusedRow(session)).toBeNull();
    }
  });
});
