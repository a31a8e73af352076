import { FIELD_LABELS } from './field-table.ts';

/**
 * The canonical field model (docs/architecture.md §3): one field set named after the SmartResponse Plugin alarm-field
 * elements and the display labels consoles show for each. The data is in field-table.ts; this file is the
 * lookup logic every row action goes through. Each field's observable type is in field-types.ts.
 */

export type FieldName = keyof typeof FIELD_LABELS;

export interface FieldDef {
  readonly name: FieldName;
  /** Display names consoles show for this field. The canonical name itself always matches too. */
  readonly labels: readonly string[];
}

export const FIELDS: readonly FieldDef[] = (Object.keys(FIELD_LABELS) as FieldName[]).map((name) => ({
  name,
  labels: FIELD_LABELS[name],
}));

const BY_NAME: ReadonlyMap<string, FieldDef> = new Map(FIELDS.map((def) => [def.name, def]));

export function isFieldName(s: unknown): s is FieldName {
  return typeof s === 'string' && BY_NAME.has(s);
}

export function fieldDef(name: FieldName): FieldDef {
  // Every FieldName is in the table by construction.
  return BY_NAME.get(name)!;
}

/**
 * Row identity candidates, best first (RowContext.key). AlarmId names an alarm in the Alarm API, so pins
 * and history follow the alarm wherever it is shown. A log row's own id is LogId (`messageId`, the search
 * result's `keyField`); MARCMsgId is the same id under its SRP name. VenderMessageId and Session are
 * deliberately absent: many rows share them (every HTTP 504 has vendor message id 504).
 */
export const ROW_KEY_FIELDS = ['AlarmId', 'LogId', 'MARCMsgId'] as const satisfies readonly FieldName[];

/**
 * Case-, whitespace- and punctuation-insensitive key for a column label:
 * `IP Address (Origin)` ≡ `ip address origin` ≡ `IPAddress(Origin)` → `ipaddressorigin`.
 * NFKC folds full-width and compatibility characters, so a label pasted from another tool still matches.
 */
export function normalizeLabel(label: string): string {
  return label
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, '');
}

/** `Host (Origin)` also matches `Origin Host`: exports and other consoles put the side first. */
const SIDE_SUFFIX = /^(.*?)\s*\((origin|impacted)\)$/i;

function labelIndex(): ReadonlyMap<string, FieldName> {
  const index = new Map<string, FieldName>();
  // No two fields share a label once normalized, or matching would depend on table order: fields.test.ts
  // holds that for every label, so it is not checked again on every console page.
  const add = (label: string, name: FieldName) => index.set(normalizeLabel(label), name);
  for (const def of FIELDS) add(def.name, def.name);
  for (const def of FIELDS) {
    for (const label of def.labels) {
      add(label, def.name);
      const side = SIDE_SUFFIX.exec(label);
      if (side) add(`${side[2]} ${side[1]}`, def.name);
    }
  }
  return index;
}

const LABEL_INDEX = labelIndex();

/** Every normalized label key and the field it means (for the options page's mapping table). */
export function knownLabels(): ReadonlyMap<string, FieldName> {
  return LABEL_INDEX;
}

/**
 * Normalized override maps, built once per overrides object: settings are parsed into a new object on every
 * change, so identity is the cache key (an overrides object mutated in place would not be seen).
 */
const overrideCache = new WeakMap<Record<string, string>, Map<string, FieldName | null>>();

/** Resolves a field name as a user typed it in the options page (`sip`, `SIP`, `Host (Impacted)`). */
function resolveOverrideTarget(target: string): FieldName | null | undefined {
  // An empty target means "this column is no field": it stays under `labels` only.
  if (target.trim() === '' || target.trim() === '-') return null;
  if (isFieldName(target)) return target;
  return LABEL_INDEX.get(normalizeLabel(target));
}

function normalizedOverrides(overrides: Record<string, string>): Map<string, FieldName | null> {
  let map = overrideCache.get(overrides);
  if (!map) {
    map = new Map();
    for (const [label, target] of Object.entries(overrides)) {
      const field = resolveOverrideTarget(target);
      // A target that names no field is ignored: the built-in crosswalk still applies to that column.
      if (field !== undefined) map.set(normalizeLabel(label), field);
    }
    overrideCache.set(overrides, map);
  }
  return map;
}

/**
 * The canonical field a column label means. User overrides (column label → field name) win, then the
 * built-in crosswalk; an exact canonical name (`SIP`, `DHostName`) matches too. Unknown labels give
 * undefined: the caller keeps those columns under RowContext.labels only.
 */
export function fieldForLabel(label: string, overrides?: Record<string, string>): FieldName | undefined {
  const key = normalizeLabel(label);
  if (overrides) {
    const overridden = normalizedOverrides(overrides).get(key);
    if (overridden !== undefined) return overridden ?? undefined;
  }
  return LABEL_INDEX.get(key);
}

/**
 * Group headers that name a side of the event ("Origin" over "Host", "IP Address", "User"): under such a
 * group, however deep, a leaf label means a side-specific field, so a leaf that matches nothing combined
 * with its side is NOT read as its bare self ("User" under "Target" is not the origin Login). Other groups ("Classification",
 * "Log Source", "Details") only sort columns, and their leaves keep their own meaning.
 */
const SIDE_GROUPS = new Set(
  [
    'origin',
    'impacted',
    'source',
    'destination',
    'src',
    'dst',
    'target',
    'attacker',
    'victim',
    'client',
    'server',
    'local',
    'remote',
    'sender',
    'recipient',
  ].map(normalizeLabel),
);

/** A group header naming a side of the event. */
const isSide = (group: string) => SIDE_GROUPS.has(normalizeLabel(group));

/**
 * The field a column means when the grid groups it under headers (`groups` outermost first, those its
 * label does not already name): the combined label first (`IP Address (Origin › Network)`), then the
 * leaf with each group above it, nearest first (`Host (Origin)`, then `Origin Host`), then the leaf alone
 * (`Common Event` under "Classification"). When any group names a side, the leaf is tried only with a
 * side ("User" under Impacted › Account is `User (Impacted)`, never the origin Login that "User
 * (Account)" or "User" alone would give). Overrides apply to each form in that order.
 */
export function fieldForGroupedLabel(
  leaf: string,
  groups: readonly string[],
  overrides?: Record<string, string>,
): FieldName | undefined {
  const sided = groups.some(isSide);
  let field = fieldForLabel(`${leaf} (${groups.join(' › ')})`, overrides);
  for (let i = groups.length; !field && i--; ) {
    const group = groups[i]!;
    if (!sided || isSide(group))
      field = fieldForLabel(`${leaf} (${group})`, overrides) ?? fieldForLabel(`${group} ${leaf}`, overrides);
  }
  return field ?? (sided ? undefined : fieldForLabel(leaf, overrides));
}
