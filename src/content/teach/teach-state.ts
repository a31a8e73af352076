import { batch, computed, signal } from '@preact/signals';
import { type FieldName, fieldForLabel } from '../../core/fields.ts';
import type { TaughtGrid } from '../../core/teach.ts';
import { ask } from '../background-channel.ts';
import type { ContentSession } from '../content-session.ts';
import { adaptersWith } from '../grid/site-selectors.ts';
import { deriveSelectors } from './derive-selectors.ts';
import { detectGrid, type GridModel, rowsShown, taughtModel } from './grid-model.ts';
import { gridAround, headerCellAt, rowAt } from './point-at.ts';

/**
 * Teach mode's state: which grid Gridside reads, what the analyst pointed at, and the field they chose for
 * each column. Phases: `look` (a grid is known: click a header to choose its field, a row to check it),
 * `header` then `row` (pointing out a grid Gridside does not read: one header cell, then one data row).
 * Saving sends `site.teach`; the background stores it as this console's settings.
 */

export type Phase = 'look' | 'header' | 'row';
/** A field name, or `''` for "this column is no field". */
export type Choice = FieldName | '';

export interface PickerAt {
  label: string;
  anchor: { top: number; bottom: number; left: number; right: number };
}

export type TeachState = ReturnType<typeof createTeachState>;

export function createTeachState(session: ContentSession) {
  const near = session.hoveredRow?.row.primary ?? session.lastContextRow?.row.primary ?? null;
  const detected = detectGrid(session.adapters, near);
  const phase = signal<Phase>(detected ? 'look' : 'header');
  const model = signal<GridModel | null>(detected);
  const pointedHeader = signal<Element | null>(null);
  const checkedRow = signal<Element | null>(null);
  const picks = signal<Record<string, Choice>>({});
  const picker = signal<PickerAt | null>(null);
  const message = signal(
    detected
      ? 'Click a column header to choose its field. Click a row to check what Gridside reads.'
      : 'Gridside does not read a grid here yet. Click one column header of the grid.',
  );
  const problem = signal<string | null>(null);
  const saving = signal(false);
  const saved = signal(false);
  /** What a click would pick, under the pointer now (outlined so the analyst sees it before clicking). */
  const hovered = signal<Element | null>(null);
  /** Bumped when the page scrolls or changes: outlines are measured again. */
  const frame = signal(0);
  /** The saved per-site config a newly taught grid replaces. */
  let replaces: string | undefined;

  const taughtGrid = computed<TaughtGrid | null>(() => {
    const current = model.value;
    if (current?.source !== 'taught' || !current.selectors) return null;
    return { ...current.selectors, ...(replaces ? { replaces } : {}) };
  });
  const hasChanges = computed(() => taughtGrid.value !== null || Object.keys(picks.value).length > 0);

  function fieldOf(label: string): { field: FieldName | undefined; chosen: boolean } {
    const choice = picks.value[label];
    if (choice !== undefined) return { field: choice === '' ? undefined : choice, chosen: true };
    return { field: fieldForLabel(label, session.fieldOverrides), chosen: false };
  }

  function say(text: string, trouble: string | null = null): void {
    batch(() => {
      message.value = text;
      problem.value = trouble;
    });
  }

  /** Start pointing out the grid anew (Gridside has it wrong, or reads none). */
  /** A grid taught over a saved per-site config replaces that config rather than joining it. */
  function supersedeSaved(): void {
    const current = model.value;
    if (current?.source === 'saved' && current.selectors) replaces = current.selectors.root;
  }

  function restart(): void {
    supersedeSaved();
    batch(() => {
      phase.value = 'header';
      pointedHeader.value = null;
      checkedRow.value = null;
      picker.value = null;
      say('Click one column header of the grid.');
    });
  }

  function learnGrid(header: Element, target: Element): void {
    const row = rowAt(target, header);
    const root = row && gridAround(header, row);
    if (!row || !root) {
      say('Click one column header of the grid.', 'That was not a data row under that header. Start again.');
      phase.value = 'header';
      return;
    }
    const derived = deriveSelectors({ root, row, header });
    if (!derived.ok) {
      say('Click one column header of the grid.', `${derived.problem} Try another header or row.`);
      phase.value = 'header';
      return;
    }
    const taught = taughtModel(session.origin, derived.selectors, root);
    supersedeSaved();
    batch(() => {
      model.value = taught;
      phase.value = 'look';
      checkedRow.value = row;
      pointedHeader.value = null;
      say(
        `Gridside now reads ${rowsShown(taught).length} rows on screen, with ${taught.headers.length} columns. ` +
          'Click a column header to choose its field, then Save.',
      );
    });
  }

  /** Opens the field list for a column, beside its header cell. */
  function choose(column: { el: Element; label: string }): void {
    const box = column.el.getBoundingClientRect();
    picker.value = {
      label: column.label,
      anchor: { top: box.top, bottom: box.bottom, left: box.left, right: box.right },
    };
  }

  function click(target: Element): void {
    picker.value = null;
    problem.value = null;
    if (phase.value === 'header') {
      const header = headerCellAt(target);
      if (!header) {
        say('Click one column header of the grid.', 'That does not look like a column header.');
        return;
      }
      batch(() => {
        pointedHeader.value = header;
        phase.value = 'row';
        say('Now click one data row of the grid.');
      });
      return;
    }
    if (phase.value === 'row') {
      const header = pointedHeader.value;
      if (header) learnGrid(header, target);
      return;
    }
    const current = model.value;
    if (!current) return;
    const column = current.headers.find((h) => h.el === target || h.el.contains(target));
    if (column) {
      choose(column);
      return;
    }
    const row = current.adapter.rowFromTarget(current.root, target);
    if (row) {
      const cells = current.adapter.readCells(row).size;
      checkedRow.value = row.primary;
      say(`Gridside reads ${cells} cells in this row, under ${current.headers.length} column headers.`);
      return;
    }
    const header = current.headers[0]?.el;
    if (current.source !== 'built-in' && header && current.root.contains(target)) {
      learnGrid(header, target);
      return;
    }
    say('Click a column header or a data row of the grid.', 'Gridside does not read that as a row.');
  }

  /** The element a click at `target` would pick in this phase, for the hover outline. */
  function pointAt(target: Element | null): void {
    let next: Element | null = null;
    const current = model.value;
    if (target && phase.value === 'header') next = headerCellAt(target);
    else if (target && phase.value === 'row') next = rowAt(target, pointedHeader.value);
    else if (target && current) {
      next =
        current.headers.find((h) => h.el === target || h.el.contains(target))?.el ??
        current.adapter.rowFromTarget(current.root, target)?.primary ??
        null;
    }
    if (hovered.value !== next) hovered.value = next;
  }

  function pick(label: string, choice: Choice | null): void {
    const next = { ...picks.value };
    if (choice === null) delete next[label];
    else next[label] = choice;
    batch(() => {
      picks.value = next;
      picker.value = null;
    });
  }

  async function save(): Promise<boolean> {
    if (saving.value || !hasChanges.value) return false;
    saving.value = true;
    const grid = taughtGrid.value;
    const reply = await ask({
      type: 'site.teach',
      ...(grid ? { grid } : {}),
      fields: picks.value,
    });
    saving.value = false;
    if (!reply.ok) {
      say(
        message.value,
        reply.error.hint ? `${reply.error.message} ${reply.error.hint}` : reply.error.message,
      );
      return false;
    }
    session.adapters = adaptersWith(reply.data.gridSelectors);
    session.fieldOverrides = reply.data.fieldOverrides;
    saved.value = true;
    return true;
  }

  /** Summary for end-to-end tests (demo/test builds only). */
  const summary = computed(() => {
    frame.value;
    const current = model.value;
    return {
      phase: phase.value,
      source: current?.source ?? null,
      columns: (current?.headers ?? []).map((h) => ({
        label: h.label,
        field: fieldOf(h.label).field ?? null,
      })),
      rows: current ? rowsShown(current).length : 0,
      picker: picker.value?.label ?? null,
      saved: saved.value,
      problem: problem.value,
    };
  });

  return {
    phase,
    model,
    pointedHeader,
    checkedRow,
    picks,
    picker,
    message,
    problem,
    saving,
    saved,
    frame,
    hovered,
    hasChanges,
    summary,
    fieldOf,
    click,
    choose,
    pointAt,
    pick,
    restart,
    save,
  };
}
