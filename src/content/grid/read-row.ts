import { fieldForGroupedLabel, fieldForLabel, ROW_KEY_FIELDS } from '../../core/fields.ts';
import type { RowContext, RowKey } from '../../core/row-context.ts';
import { LIMITS } from '../../core/row-limits.ts';
import { contentHash } from './content-hash.ts';
import type { GridColumn } from './grid-adapter.ts';
import type { GridHit } from './grids.ts';

/**
 * A grid row → RowContext (docs/architecture.md §3), read from the live DOM at the moment the analyst acts: grids
 * recycle row elements, so nothing here is cached between reads.
 *
 * Identity, best first: a business column (Alarm ID, Log ID → high), an app-provided row id (medium), a
 * hash of the visible values (low).
 */

export interface ReadRowOptions {
  /** Origin of the console page. */
  console: string;
  /** Column label → canonical field, the analyst's overrides for this console. */
  fieldOverrides?: Record<string, string>;
  /** The grid's columns, when the caller reads many rows of one grid at once (read once, not per row). */
  columns?: GridColumn[];
}

export interface RowReading {
  context: RowContext;
  /** Columns the grid counts but rendered no cell for and that map to no canonical field (or are unnamed). */
  otherColumnsNotShown: number;
}

function cut(text: string, max: number): string {
  return text.length > max ? text.slice(0, max) : text;
}

/** ag-Grid numbers rows "0", "1", … itself when the app sets no getRowId; such ids are positions, not identity. */
function isAppRowId(hit: GridHit, rowId: string): boolean {
  if (hit.adapter.id.startsWith('config:')) return true; // the analyst named this attribute as the row key
  if (hit.adapter.id !== 'ag-grid') return false;
  if (!/^\d+$/.test(rowId)) return true;
  const rows = hit.adapter.rowCount?.(hit.row.root);
  return rows !== undefined && Number(rowId) >= rows;
}

/** The field a column means: by its label, or for a grouped column by its leaf and group labels. */
export function fieldOfColumn(column: GridColumn, overrides: Record<string, string> | undefined) {
  return column.leaf !== undefined
    ? fieldForGroupedLabel(column.leaf, column.groups!, overrides)
    : fieldForLabel(column.label, overrides);
}

/** What the columns mean, worked out once for a grid's columns and the analyst's overrides. */
interface ColumnPlan {
  overrides: ReadRowOptions['fieldOverrides'];
  labelOf: Map<string, string>;
  fieldOf: Map<string, ReturnType<typeof fieldOfColumn>>;
}

/** Plans by the columns array a caller reading many rows passes for each: one per grid, not per row. */
const plans = new WeakMap<GridColumn[], ColumnPlan>();

function planFor(columns: GridColumn[], overrides: ReadRowOptions['fieldOverrides']): ColumnPlan {
  let plan = plans.get(columns);
  if (!plan || plan.overrides !== overrides) {
    plan = {
      overrides,
      labelOf: new Map(columns.map((column) => [column.key, column.label])),
      fieldOf: new Map(columns.map((column) => [column.key, fieldOfColumn(column, overrides)])),
    };
    plans.set(columns, plan);
  }
  return plan;
}

export function readRow(hit: GridHit, options: ReadRowOptions): RowReading {
  const { adapter, row } = hit;
  const columns = options.columns ?? adapter.columns(row.root);
  const { labelOf, fieldOf } = planFor(columns, options.fieldOverrides);
  const cells = adapter.readCells(row);

  const labels: Record<string, string> = {};
  const fields: Record<string, string> = {};
  const truncated: string[] = [];

  let kept = 0;
  for (const [key, raw] of cells) {
    if (kept >= LIMITS.columns) break;
    let label = cut(labelOf.get(key) ?? `Column ${key}`, LIMITS.labelChars);
    for (let n = 2; Object.hasOwn(labels, label); n += 1)
      label = cut(`${labelOf.get(key) ?? key}#${n}`, LIMITS.labelChars);
    const field = fieldOf.get(key);
    const value = cut(raw, LIMITS.valueChars);
    if (value.length < raw.length) truncated.push(cut(field ?? label, 64));
    labels[label] = value;
    if (field && value !== '' && !Object.hasOwn(fields, field)) fields[field] = value;
    kept += 1;
  }

  // Columns the grid has but did not render for this row (column virtualization, hidden columns).
  const missing = new Set<string>();
  let otherColumnsNotShown = 0;
  for (const column of columns) {
    if (cells.has(column.key)) continue;
    const field = fieldOf.get(column.key);
    if (field && !Object.hasOwn(fields, field)) missing.add(field);
    else if (!field) otherColumnsNotShown += 1;
  }
  const declared = adapter.columnCount(row.root);
  if (declared !== undefined)
    otherColumnsNotShown += Math.max(0, declared - Math.max(columns.length, cells.size));

  const key = rowKey(hit, fields, labels);
  // A grid with an alarm ID column shows alarms (a cell's field is always one of its columns').
  const kind = [...fieldOf.values()].includes('AlarmId')
    ? 'alarm'
    : ((adapter as { kind?: 'log' | 'alarm' }).kind ?? 'log');
  const context: RowContext = {
    console: options.console,
    kind,
    key,
    fields,
    labels,
    missing: [...missing].slice(0, LIMITS.columns),
    truncated: truncated.slice(0, LIMITS.columns),
  };
  if (fields.AlarmId && fields.AlarmId.length <= 64) context.alarmId = fields.AlarmId;
  return { context, otherColumnsNotShown };
}

function rowKey(hit: GridHit, fields: Record<string, string>, labels: Record<string, string>): RowKey {
  for (const field of ROW_KEY_FIELDS) {
    const value = fields[field];
    if (value) return { value, source: 'column', confidence: 'high' };
  }
  const rowId = hit.row.hints.rowId;
  if (rowId && isAppRowId(hit, rowId))
    return { value: cut(rowId, LIMITS.valueChars), source: 'row-id', confidence: 'medium' };
  const visible = Object.keys(labels)
    .sort()
    .map((label) => `${label}\u0000${labels[label]}`)
    .join('\u0001');
  return { value: `h:${contentHash(visible)}`, source: 'content-hash', confidence: 'low' };
}
