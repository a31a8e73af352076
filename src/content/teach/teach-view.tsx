import { rowElementBox } from '../grid/grid-adapter.ts';
import { FieldPicker } from './field-picker.tsx';
import { rowsShown } from './grid-model.ts';
import type { TeachState } from './teach-state.ts';

/**
 * Teach mode on screen: outlines over the page (the grid, its rows, its header cells with the field each
 * column maps to), the card that says what to do next, and the field picker. Outlines let clicks through
 * to the page, where teach mode's own capture listener takes them (teach-app.tsx). Page text is rendered
 * as text only.
 */

type Box = { top: number; left: number; width: number; height: number };

function boxOf(el: Element): Box | null {
  // A row with no height of its own (cells floated inside it) is measured by its cells.
  const r = rowElementBox(el);
  if (r.width === 0 && r.height === 0) return null;
  return { top: r.top, left: r.left, width: r.width, height: r.height };
}

const px = (box: Box) => ({
  top: `${box.top}px`,
  left: `${box.left}px`,
  width: `${box.width}px`,
  height: `${box.height}px`,
});

function Outlines({ teach }: { teach: TeachState }) {
  teach.frame.value; // measured again on every bump (scroll, resize, page changes)
  const model = teach.phase.value === 'look' ? teach.model.value : null;
  const pointed = teach.pointedHeader.value;
  const checked = teach.checkedRow.value;
  const hovered = teach.hovered.value;
  const gridBox = model && boxOf(model.root);
  const rows = model ? rowsShown(model) : [];
  return (
    <>
      {gridBox && <div class="outline grid" style={px(gridBox)} />}
      {rows.map((row, i) => {
        const box = boxOf(row);
        return (
          box && (
            <div key={i} class={row === checked ? 'outline row checked' : 'outline row'} style={px(box)} />
          )
        );
      })}
      {model?.headers.map((header, i) => {
        const box = boxOf(header.el);
        if (!box) return null;
        const { field } = teach.fieldOf(header.label);
        return (
          <div key={i}>
            <div class="outline header" style={px(box)} />
            <div
              class={field ? 'chip mapped' : 'chip'}
              style={{ top: `${Math.max(0, box.top - 18)}px`, left: `${box.left}px` }}
            >
              {field ? `→ ${field}` : 'no field'}
            </div>
          </div>
        );
      })}
      {pointed &&
        (() => {
          const box = boxOf(pointed);
          return box && <div class="outline header pointed" style={px(box)} />;
        })()}
      {hovered &&
        (() => {
          const box = boxOf(hovered);
          return box && <div class="outline hover" style={px(box)} />;
        })()}
    </>
  );
}

function ColumnList({ teach }: { teach: TeachState }) {
  const model = teach.model.value;
  if (teach.phase.value !== 'look' || !model) return null;
  if (model.headers.length === 0) return <p class="none">Gridside sees no column headers in this grid.</p>;
  return (
    <ul class="columns" aria-label="Columns and their fields">
      {model.headers.map((header, i) => {
        const { field, chosen } = teach.fieldOf(header.label);
        return (
          <li key={i}>
            <span>{header.label}</span>
            {/* The keyboard's way to what clicking the header does. */}
            <button
              type="button"
              class={field ? 'choose' : 'choose none'}
              aria-label={`Field for ${header.label}: ${field ?? 'none'}. Choose another`}
              onClick={() => teach.choose(header)}
            >
              {field ?? 'no field'}
              {chosen ? ' (your choice)' : ''}
            </button>
          </li>
        );
      })}
    </ul>
  );
}

/** Focus goes to the card when teach mode opens, so it is announced and Tab reaches its buttons. */
const focusOnce = (el: HTMLElement | null) => {
  if (el && !el.dataset.focused) {
    el.dataset.focused = '';
    el.focus({ preventScroll: true });
  }
};

export function TeachView({ teach, leave }: { teach: TeachState; leave: () => void }) {
  const problem = teach.problem.value;
  const model = teach.model.value;
  return (
    <div class="teach">
      <Outlines teach={teach} />
      <section class="card" role="dialog" aria-label="Teach Gridside this grid" tabIndex={-1} ref={focusOnce}>
        <h2>Teach Gridside this grid</h2>
        <p role="status" aria-live="polite">
          {teach.message.value}
        </p>
        {problem && (
          <p class="problem" role="alert">
            {problem}
          </p>
        )}
        <ColumnList teach={teach} />
        <div class="buttons">
          <button
            type="button"
            class="primary"
            disabled={!teach.hasChanges.value || teach.saving.value}
            onClick={() => void teach.save().then((ok) => ok && leave())}
          >
            Save for this site
          </button>
          {(teach.phase.value !== 'header' || model) && (
            <button type="button" onClick={teach.restart}>
              {model ? 'Point out the grid again' : 'Start again'}
            </button>
          )}
          <button type="button" onClick={leave}>
            Cancel (Esc)
          </button>
        </div>
      </section>
      <FieldPicker teach={teach} />
    </div>
  );
}
