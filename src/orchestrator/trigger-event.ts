import { z } from 'zod';
import { isFieldName } from '../core/fields.ts';
import { rowContextFromAlarmDetails } from '../core/lr-json.ts';
import { LIMITS, type RowContext, RowContextSchema, type RowKind } from '../core/row-context.ts';
import { type GridsideEvent, GridsideEventSchema } from '../core/triggers-api.ts';

/**
 * An event a trigger rule looks at, whatever brought it: a documented Gridside event or LogRhythm alarm
 * JSON posted to the webhook, or an alarm the Alarm API poll read. Its `context` is a RowContext built
 * the way a grid row's is, so an action's parameters bind from it exactly as from the alarm's row.
 */
export interface TriggerEvent {
  /** `logrhythm-poll`, `logrhythm` (alarm JSON posted to the webhook), or the source a posted event names. */
  source: string;
  kind: RowKind;
  /** The alarm id (alarm events) or the log's key: the row the results are stored against. */
  key: string;
  alarmRule: { name?: string; id?: string };
  aieRule: { name?: string; id?: string };
  risk?: number;
  priority?: number;
  context: RowContext;
}

export class EventError extends Error {
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(message);
  }
}

const numberOf = (text: string | undefined): number | undefined => {
  if (text === undefined) return undefined;
  const value = Number(text);
  return Number.isFinite(value) ? value : undefined;
};

/** The documented event → a TriggerEvent. Unknown field names are refused: they would bind nothing. */
export function eventFromGridsideJson(event: GridsideEvent): TriggerEvent {
  const fields: Record<string, string> = {};
  for (const [name, value] of Object.entries(event.fields)) {
    if (!isFieldName(name)) throw new EventError(`fields.${name}`, `"${name}" is not a Gridside field name`);
    fields[name] = value.slice(0, LIMITS.valueChars);
  }
  const put = (name: string, value: string | number | undefined) => {
    if (value !== undefined && fields[name] === undefined) fields[name] = String(value);
  };
  put('AlarmId', event.alarmId);
  put('LogId', event.logId);
  put('AlarmRuleName', event.alarmRuleName);
  put('AlarmRbp', event.riskRating);
  put('Priority', event.priority);
  const kind: RowKind = event.alarmId !== undefined ? 'alarm' : 'log';
  const key = (event.alarmId ?? event.logId)!;
  const context = RowContextSchema.safeParse({
    console: `event:${event.source}`,
    kind,
    key: { value: key, source: 'column', confidence: 'high' },
    ...(event.alarmId !== undefined ? { alarmId: event.alarmId } : {}),
    fields,
    labels: {},
  });
  if (!context.success) throw new EventError('body', 'the event does not make a valid row');
  return {
    source: event.source,
    kind,
    key,
    alarmRule: { name: event.alarmRuleName, id: event.alarmRuleId },
    aieRule: { name: event.aieRuleName, id: event.aieRuleId },
    risk: event.riskRating ?? numberOf(fields.AlarmRbp),
    priority: event.priority ?? numberOf(fields.Priority),
    context: context.data,
  };
}

const RuleIdSchema = z.union([z.string(), z.number()]).transform(String).optional().catch(undefined);
const AlarmRuleIdSchema = z
  .looseObject({ alarmRuleID: RuleIdSchema, alarmRuleId: RuleIdSchema })
  .catch({ alarmRuleID: undefined, alarmRuleId: undefined });

/** LogRhythm's AI Engine writes its rule into the event's common event: `AIE: <rule name>`. */
const AIE_PREFIX = /^AIE:\s*(.+)$/;

/**
 * LogRhythm alarm JSON (the Alarm API's `{ alarmDetails }` with its events, or the merged record) → a
 * TriggerEvent, read by the same code that reads an alarm for a grid row (core/lr-json.ts).
 */
export function eventFromAlarmJson(json: unknown, source: string, console: string): TriggerEvent {
  let context: RowContext;
  try {
    context = rowContextFromAlarmDetails(json, console);
  } catch (error) {
    const said =
      error instanceof z.ZodError ? 'the alarm does not make a valid row' : (error as Error).message;
    throw new EventError('body', said);
  }
  const outer = Array.isArray(json) ? json[0] : json;
  const details = (outer as { alarmDetails?: unknown } | null)?.alarmDetails ?? outer;
  const ids = AlarmRuleIdSchema.parse(details);
  const aie = AIE_PREFIX.exec(context.fields.CommonEvent ?? '')?.[1];
  return {
    source,
    kind: 'alarm',
    key: context.key.value,
    alarmRule: { name: context.fields.AlarmRuleName, id: ids.alarmRuleID ?? ids.alarmRuleId },
    aieRule: aie ? { name: aie } : {},
    risk: numberOf(context.fields.AlarmRbp),
    priority: numberOf(context.fields.Priority),
    context,
  };
}

/** A body posted to `POST /api/v1/events`: a documented event (it names its `source`) or alarm JSON. */
export function eventFromBody(body: unknown): TriggerEvent {
  const documented = typeof body === 'object' && body !== null && !Array.isArray(body) && 'source' in body;
  if (!documented) return eventFromAlarmJson(body, 'logrhythm', 'event:logrhythm');
  const parsed = GridsideEventSchema.safeParse(body);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const field = issue?.path.join('.') || 'body';
    throw new EventError(field, `${field}: ${issue?.message ?? 'invalid'}`);
  }
  return eventFromGridsideJson(parsed.data);
}
