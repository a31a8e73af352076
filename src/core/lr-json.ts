import { z } from 'zod';
import { FIELD_TYPES } from './field-types.ts';
import { FIELDS, type FieldDef, type FieldName } from './fields.ts';
import { LR_FIELD_KEYS } from './lr-field-keys.ts';
import { LIMITS, type RowContext, RowContextSchema } from './row-context.ts';

/**
 * Maps LogRhythm REST JSON onto canonical fields, for rows whose grid shows only an id (the Alarm ID is
 * the reliable key; the visible cells may be virtualized away) and for connectors reading the Alarm API.
 * Key names: the `alarm` and `search` keys of lr-field-keys.ts; real documents in test/fixtures/logrhythm/.
 *
 * The JSON is untrusted and its shape varies by version and by client (`alarmEventsDetails` in real
 * responses, `alarmsEventDetails` in the OpenAPI spec), so every level is parsed leniently: a key of the
 * wrong type is treated as absent, never as an error.
 */

export type LogRhythmFields = Partial<Record<FieldName, string>>;

const JsonObjectSchema = z.record(z.string(), z.unknown());
/** Anything that is not a JSON object reads as an empty one. */
const LenientObjectSchema = JsonObjectSchema.catch({});
const LenientListSchema = z.array(z.unknown()).optional().catch(undefined);

const AlarmEnvelopeSchema = z
  .looseObject({
    alarmDetails: JsonObjectSchema.optional().catch(undefined),
    alarmEventsDetails: LenientListSchema,
    alarmsEventDetails: LenientListSchema,
  })
  .catch({});

/** Fields that describe the alarm itself; everything else comes from its first event (as SRP defaults do). */
export const ALARM_LEVEL_FIELDS = [
  'AlarmId',
  'AlarmDate',
  'AlarmRuleName',
  'AlarmStatus',
  'AlarmRbp',
  'EventCount',
] as const satisfies readonly FieldName[];

/**
 * LogRhythm writes "no value" as null, "", -1 (ports, ids) or the .NET minimum date. A 0 stays: it is also
 * a real count (BytesOut 0 on a refused connection), and an SRP default would receive the same 0.
 */
const EMPTY_DATE = /^0001-01-01/;

function scalarText(value: unknown): string | undefined {
  if (typeof value === 'string') {
    const text = value.trim();
    return text === '' || EMPTY_DATE.test(text) ? undefined : text;
  }
  if (typeof value === 'number') return Number.isFinite(value) && value !== -1 ? String(value) : undefined;
  if (typeof value === 'boolean') return String(value);
  return undefined;
}

/** Nested levels below a record zod already parsed; checked here rather than re-parsed per key. */
function isJsonObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Reads `key` or a dotted path (`originLocation.countryCode`). A location record is the most specific place
 * LogRhythm resolved, so its `name` is a city only when its `type` says so (or says nothing).
 */
function valueAt(record: Record<string, unknown>, key: string): unknown {
  const path = key.split('.');
  let current: unknown = record;
  let parent: Record<string, unknown> | undefined;
  for (const segment of path) {
    if (!isJsonObject(current) || !Object.hasOwn(current, segment)) return undefined;
    parent = current;
    current = current[segment];
  }
  const isLocationName = path.length === 2 && path[0]!.endsWith('Location') && path[1] === 'name';
  if (isLocationName && typeof parent?.type === 'string' && !/^(city|null|)$/i.test(parent.type)) {
    return undefined;
  }
  return current;
}

/** Search items carry dates as epoch milliseconds; the canonical form is ISO 8601. */
function epochToIso(value: unknown, def: FieldDef): unknown {
  if (FIELD_TYPES[def.name] !== 'date' || typeof value !== 'number' || !Number.isFinite(value) || value <= 0)
    return value;
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? value : date.toISOString();
}

function mapRecord(
  record: Record<string, unknown>,
  keysOf: (def: FieldDef) => readonly string[],
  convert: (value: unknown, def: FieldDef) => unknown = (value) => value,
): LogRhythmFields {
  const fields: LogRhythmFields = {};
  for (const def of FIELDS) {
    for (const key of keysOf(def)) {
      const text = scalarText(convert(valueAt(record, key), def));
      if (text !== undefined) {
        fields[def.name] = text;
        break;
      }
    }
  }
  return fields;
}

/** Canonical fields of one Alarm API event (`alarmEventsDetails[]` item). */
export function fieldsFromAlarmEvent(event: unknown): LogRhythmFields {
  return mapRecord(LenientObjectSchema.parse(event), (def) => LR_FIELD_KEYS[def.name].alarm);
}

/** Canonical fields of one Search API / Data Indexer log item (`Items[]` of a search result). */
export function fieldsFromSearchItem(item: unknown): LogRhythmFields {
  return mapRecord(LenientObjectSchema.parse(item), (def) => LR_FIELD_KEYS[def.name].search, epochToIso);
}

function firstEvent(...lists: (unknown[] | undefined)[]): unknown {
  for (const list of lists) if (list && list.length > 0) return list[0];
  return undefined;
}

/**
 * A RowContext for an alarm from Alarm API JSON: `{ alarmDetails }` (GET /alarms/{id}), optionally with the
 * events beside or inside it, or the merged record some clients return (Google SecOps: a one-item list of
 * `alarmDetails` keys plus `alarmEventsDetails`). Alarm fields come from the alarm, the rest from its FIRST
 * event, which is where SRP alarm-field defaults come from (an alarm runs its plugins on its first event).
 * Throws when the JSON carries no alarm id: without it the row has no identity to pin or audit against.
 */
export function rowContextFromAlarmDetails(json: unknown, console: string): RowContext {
  // Google SecOps returns the merged alarm record in a one-item list.
  const outer = AlarmEnvelopeSchema.parse(Array.isArray(json) ? json[0] : json);
  const details = outer.alarmDetails ?? outer;
  const inner = AlarmEnvelopeSchema.parse(details);
  const event = firstEvent(
    inner.alarmEventsDetails,
    inner.alarmsEventDetails,
    outer.alarmEventsDetails,
    outer.alarmsEventDetails,
  );

  const fromAlarm = fieldsFromAlarmEvent(details);
  const fields: LogRhythmFields = { ...fromAlarm, ...fieldsFromAlarmEvent(event) };
  // The alarm's own values win; an event's copy (XSOAR events carry `alarmId`) only fills a gap.
  for (const name of ALARM_LEVEL_FIELDS) {
    if (fromAlarm[name] !== undefined) fields[name] = fromAlarm[name];
  }

  const alarmId = fields.AlarmId;
  if (alarmId === undefined) throw new Error('LogRhythm alarm JSON has no alarmId');

  const truncated: string[] = [];
  const values: Record<string, string> = {};
  for (const [name, value] of Object.entries(fields)) {
    if (value.length > LIMITS.valueChars) truncated.push(name);
    values[name] = value.slice(0, LIMITS.valueChars);
  }

  return RowContextSchema.parse({
    console,
    kind: 'alarm',
    // The Alarm API's own id: a business key, as reliable as an Alarm ID column.
    key: { value: alarmId, source: 'column', confidence: 'high' },
    alarmId,
    fields: values,
    labels: {},
    missing: [],
    truncated,
  });
}
