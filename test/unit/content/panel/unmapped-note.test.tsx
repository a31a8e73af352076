// @vitest-environment jsdom
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { GridColumn } from '../../../../src/content/grid/grid-adapter.ts';
import {
  createOverlayHost,
  type OverlayHost,
  overlayShadowForTests,
} from '../../../../src/content/overlay-host.ts';
import { showPanel } from '../../../../src/content/panel/panel-app.tsx';
import { isOpen } from '../../../../src/content/panel/panel-state.ts';
import type { RowContext } from '../../../../src/core/row-context.ts';
import { CATALOG, rowContext } from './catalog-fixture.ts';
import { installFakeRuntime } from './fake-runtime.ts';

/** The panel names the columns Gridside could not map and leads into "Teach Gridside this grid". */

let controller: AbortController;
let overlay: OverlayHost;
let runtime: ReturnType<typeof installFakeRuntime>;
let taught: number;

const shadow = () => overlayShadowForTests()!;
const rendered = (selector: string) =>
  vi.waitFor(() => {
    const found = shadow().querySelector(selector);
    if (!found) throw new Error(`no ${selector} yet`);
    return found;
  });

/**
 * Opens the panel on `context` in a grid whose columns are `columns` (labels, or columns as an adapter
 * gives them), with this console's `overrides`.
 */
function open(
  context: RowContext | null,
  columns: Array<string | GridColumn>,
  overrides: Record<string, string> = {},
) {
  showPanel(
    overlay,
    {
      source: 'button',
      row: context ? { context, otherColumnsNotShown: 0 } : null,
      anchor: null,
      returnFocus: null,
      columns: {
        list: columns.map((column, i) =>
          typeof column === 'string' ? { key: String(i), label: column } : column,
        ),
        overrides,
      },
      teach: () => {
        taught += 1;
      },
    },
    controller.signal,
  );
}

beforeEach(() => {
  taught = 0;
  controller = new AbortController();
  overlay = createOverlayHost();
  runtime = installFakeRuntime(() => ({
    ok: true,
    data: { orchestrator: { id: 'demo', name: 'Demo orchestrator' }, actions: CATALOG },
  }));
});
afterEach(() => {
  controller.abort();
  overlay.dispose();
  runtime.uninstall();
});

describe('columns Gridside could not map', () => {
  it('says so plainly when no column maps, and the link closes the panel and starts teach mode', async () => {
    open(rowContext({ fields: {}, labels: { Src: '10.0.0.1', Who: 'alice' } }), ['Src', 'Who']);
    const note = await rendered('.unmapped.none-mapped');
    expect(note.textContent).toContain('No column of this grid maps to a field');
    expect(note.querySelector('.labels')?.textContent).toBe('Src, Who');
    (note.querySelector('button.teach-link') as HTMLButtonElement).click();
    expect(taught).toBe(1);
    expect(isOpen.value).toBe(false);
  });

  it('folds the list away when other columns did map', async () => {
    open(rowContext(), ['Origin IP', 'Note', 'Host (Impacted)', 'Note']);
    const note = await rendered('details.unmapped');
    expect(note.querySelector('summary')?.textContent).toBe('1 column maps to no field');
    expect(note.textContent).toContain('Note');
    // The catalog's filter box keeps the focus: the note is outside the panel body.
    await vi.waitFor(() => expect(shadow().activeElement?.getAttribute('type')).toBe('search'));
  });

  it("counts a column this console's overrides map as mapped", async () => {
    open(rowContext(), ['Origin IP', 'Note', 'Ticket'], { Note: 'Subject' });
    const note = await rendered('details.unmapped');
    expect(note.querySelector('summary')?.textContent).toBe('1 column maps to no field');
    expect(note.textContent).toContain('Ticket');
    expect(note.textContent).not.toContain('Note');
  });

  it('maps a grouped column as the row is read, by its leaf and its groups', async () => {
    const grouped = (key: string, leaf: string, groups: string[]): GridColumn => ({
      key,
      label: `${leaf} (${groups.join(' › ')})`,
      leaf,
      groups,
    });
    open(rowContext(), [
      grouped('1', 'IP Address', ['Origin', 'Network']),
      grouped('2', 'User', ['Impacted', 'Account']),
      grouped('3', 'Widget', ['Origin', 'Details']),
      'Note',
    ]);
    const note = await rendered('details.unmapped');
    expect(note.querySelector('summary')?.textContent).toBe('2 columns map to no field');
    expect(note.querySelector('.labels')?.textContent).toBe('Widget (Origin › Details), Note');
  });

  it('shows nothing when every column maps, and only the link when there is no row', async () => {
    open(rowContext(), ['Origin IP', 'Host (Impacted)']);
    await vi.waitFor(() => expect(shadow().textContent).toContain('Where is this IP'));
    expect(shadow().querySelector('.unmapped')).toBeNull();
    open(null, []);
    await vi.waitFor(() => expect(shadow().querySelector('.unmapped button.teach-link')).not.toBeNull());
  });
});
