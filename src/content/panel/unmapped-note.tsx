import { fieldOfColumn } from '../grid/read-row.ts';
import type { PanelOpening } from './panel-opening.ts';
import { closePanel, opening, row } from './panel-state.ts';

/**
 * Which of the grid's columns Gridside could not map to a field, and the way to fix it by pointing: "Teach
 * Gridside this grid". When no field was mapped at all the note is open and says so (the plugin would get
 * no values from this row); otherwise it stays folded. On a page where no grid was read, only the link.
 */
export function UnmappedNote() {
  const current = opening.value;
  if (!current?.teach) return null;
  const teach = () => {
    const start = current.teach;
    closePanel();
    start?.();
  };
  const button = (
    <button type="button" class="teach-link" onClick={teach}>
      Teach Gridside this grid
    </button>
  );
  const reading = row.value;
  if (!reading) {
    return (
      <div class="unmapped">
        <p>Gridside does not read a grid here? Point it out.</p>
        {button}
      </div>
    );
  }
  const unmapped = unmappedColumns(current.columns);
  if (unmapped.length === 0) return null;
  const names = unmapped.join(', ');
  if (Object.keys(reading.context.fields).length === 0) {
    return (
      <div class="unmapped none-mapped" role="note">
        <p>
          No column of this grid maps to a field, so plugins get no values from it. Columns Gridside could not
          map: <span class="labels">{names}</span>
        </p>
        {button}
      </div>
    );
  }
  return (
    <details class="unmapped">
      <summary>
        {unmapped.length === 1 ? '1 column maps' : `${unmapped.length} columns map`} to no field
      </summary>
      <p>
        Columns Gridside could not map: <span class="labels">{names}</span>
      </p>
      {button}
    </details>
  );
}

/**
 * The labels of the grid's columns that map to no field (the crosswalk and this console's overrides), in
 * order: mapped as the row is, so `IP Address (Origin › Network)` is not named, since its side maps it.
 */
function unmappedColumns(columns: PanelOpening['columns']): string[] {
  if (!columns) return [];
  const { list, overrides } = columns;
  const unmapped = list.filter((column) => column.label && !fieldOfColumn(column, overrides));
  return [...new Set(unmapped.map((column) => column.label))];
}
