import { z } from 'zod';
import type { Action, Run } from '../../core/api.ts';
import { type LogRhythmOptions, LogRhythmOptionsSchema } from '../../core/engines/logrhythm-options.ts';
import type { RowContext } from '../../core/row-context.ts';
import { type Connector, type ConnectorDeps, ConnectorError, type StartRun } from './connector.ts';
import {
  type Engine,
  type EngineCall,
  engineRequest,
  errorWordsAt,
  parseEngineBody,
  parseEntryOptions,
} from './engine-http.ts';
import {
  AlarmDetailsResponseSchema,
  AlarmEventsResponseSchema,
  eventsOf,
  formatResults,
  resultOf,
  trimComment,
} from './logrhythm-map.ts';

/**
 * The LogRhythm Alarm API (7.7+). LogRhythm has no public API that lists or runs SmartResponse Plugins
 * (docs/architecture.md §2), so this connector offers what the API does allow: reading the SmartResponse
 * results (output, status, approvals) that alarm rules produced, as one read-only action, and writing a
 * pinned Gridside result back as an alarm comment (`shareToAlarm`).
 */

const ENGINE: Engine = {
  name: 'LogRhythm Alarm API',
  auth: ({ secret }) => ({ authorization: `Bearer ${secret}` }),
  errorWords: errorWordsAt('responseMessage', 'statusMessage'),
};
const ACTION_ID = 'logrhythm-alarm-api/smartresponse-results';
const MAX_TEXT = 100_000;

const AlarmSearchSchema = z.looseObject({ alarmsCount: z.number().nullish() });
const AlarmResponseSchema = z.looseObject({
  statusCode: z.number().nullish(),
  statusMessage: z.string().nullish(),
  responseMessage: z.string().nullish(),
});

function lrCall(deps: ConnectorDeps, doing: string, path: string, extra: Partial<EngineCall> = {}) {
  const opts: LogRhythmOptions = parseEntryOptions(ENGINE, LogRhythmOptionsSchema, deps.entry);
  if (!deps.secret) {
    throw new ConnectorError(
      'not_configured',
      `No API token is saved for the LogRhythm entry "${deps.entry.name}".`,
      'Generate a token for a LogRhythm API account (Client Console → Third-Party Applications) and save it in Gridside options.',
    );
  }
  return engineRequest({
    engine: ENGINE,
    doing,
    deps,
    path,
    timeoutMs: opts.requestTimeoutSeconds * 1000,
    ...extra,
  });
}

/** Alarm ids are numbers; anything else would end up in the URL path. */
function checkedAlarmId(alarmId: string | undefined): string {
  const id = (alarmId ?? '').trim();
  if (!/^\d{1,19}$/.test(id)) {
    throw new ConnectorError(
      'bad_request',
      id ? `"${id.slice(0, 40)}" is not a LogRhythm alarm id.` : 'This row is not an alarm.',
      'SmartResponse results are read from alarm rows (rows with an Alarm ID).',
    );
  }
  return id;
}

export function createLogRhythmConnector(deps: ConnectorDeps): Connector {
  const options = (): LogRhythmOptions => parseEntryOptions(ENGINE, LogRhythmOptionsSchema, deps.entry);

  function action(): Action {
    return {
      id: ACTION_ID,
      plugin: { id: 'logrhythm-alarm-api', name: 'LogRhythm' },
      name: 'SmartResponse results from LogRhythm',
      description:
        'Shows the output, status and approvals of the SmartResponse actions LogRhythm ran on this alarm. Read-only.',
      params: [
        {
          id: 'alarmId',
          name: 'Alarm ID',
          kind: 'string',
          encrypted: false,
          fromConfig: false,
          required: true,
          default: { field: 'AlarmId' },
          switch: '',
          order: '1',
        },
      ],
      approval: { levels: 0, quorum: 1, approverRoles: ['approver', 'admin'] },
      roles: ['analyst', 'approver', 'admin'],
      sideEffects: false,
      cacheTtlSeconds: options().cacheTtlSeconds,
      timeoutSeconds: Math.max(30, options().requestTimeoutSeconds * 2),
      available: true,
    };
  }

  async function listActions(context: RowContext | null): Promise<Action[]> {
    if (context && !context.alarmId && !context.fields.AlarmId) return [];
    return [action()];
  }

  async function readResults(
    alarmId: string,
    started: StartRun | undefined,
    signal?: AbortSignal,
  ): Promise<Run> {
    const opts = options();
    const createdAt = new Date().toISOString();
    const doing = `reading alarm ${alarmId}`;
    const res = await lrCall(deps, doing, `/lr-alarm-api/alarms/${alarmId}`, { signal });
    const alarm = parseEngineBody(
      { engine: ENGINE, doing },
      AlarmDetailsResponseSchema,
      res.json,
      'alarm details',
    ).alarmDetails;
    let events = eventsOf(alarm);
    if (!events && opts.includeEvents) events = await readEvents(alarmId, signal);
    const results = (alarm.smartResponseActions ?? []).map(resultOf);
    const text = formatResults(alarm, results);
    const finishedAt = new Date().toISOString();
    return {
      id: `alarm.${alarmId}`,
      actionId: ACTION_ID,
      actionName: 'SmartResponse results from LogRhythm',
      status: 'succeeded',
      requestedBy: '',
      params: { alarmId },
      alarmId,
      rowKey: started?.context.key.value ?? null,
      approvals: [],
      output: {
        stdout: text.slice(0, MAX_TEXT),
        stderr: '',
        exitCode: null,
        truncated: text.length > MAX_TEXT,
        data: {
          alarmId: alarm.alarmId,
          alarmRuleName: alarm.alarmRuleName ?? null,
          alarmStatusName: alarm.alarmStatusName ?? null,
          smartResponseActions: results,
          ...(events ? { events } : {}),
        },
      },
      reason: null,
      timing: {
        createdAt,
        startedAt: createdAt,
        finishedAt,
        durationMs: Date.parse(finishedAt) - Date.parse(createdAt),
      },
    };
  }

  /** Best effort: the results are worth showing even when the events cannot be read. */
  async function readEvents(alarmId: string, signal?: AbortSignal) {
    const doing = `reading the events of alarm ${alarmId}`;
    try {
      const res = await lrCall(deps, doing, `/lr-alarm-api/alarms/${alarmId}/events`, { signal });
      return eventsOf(
        parseEngineBody({ engine: ENGINE, doing }, AlarmEventsResponseSchema, res.json, 'alarm events'),
      );
    } catch (error) {
      if (error instanceof ConnectorError && ['not_found', 'forbidden', 'bad_response'].includes(error.code))
        return undefined;
      throw error;
    }
  }

  async function startRun(request: StartRun, signal?: AbortSignal): Promise<Run> {
    if (request.action.id !== ACTION_ID) {
      throw new ConnectorError(
        'bad_request',
        `"${request.action.id}" is not a LogRhythm action.`,
        'Reload the action list.',
      );
    }
    const alarmId = checkedAlarmId(
      request.params.alarmId || request.context.alarmId || request.context.fields.AlarmId,
    );
    return readResults(alarmId, request, signal);
  }

  async function getRun(runId: string, signal?: AbortSignal): Promise<Run> {
    if (!runId.startsWith('alarm.'))
      throw new ConnectorError('not_found', `"${runId}" is not a LogRhythm result.`);
    return readResults(checkedAlarmId(runId.slice(6)), undefined, signal);
  }

  // Reading results finishes at once: there is nothing to cancel.
  async function cancelRun(): Promise<void> {}

  async function testConnection(signal?: AbortSignal) {
    const doing = 'checking the API token';
    const res = await lrCall(deps, doing, '/lr-alarm-api/alarms?count=1', { signal });
    const body = parseEngineBody({ engine: ENGINE, doing }, AlarmSearchSchema, res.json, 'an alarm list');
    return {
      detail: `The Alarm API answered${typeof body.alarmsCount === 'number' ? ` (${body.alarmsCount} alarms)` : ''}.`,
    };
  }

  return { listActions, startRun, getRun, cancelRun, testConnection };
}

/**
 * Writes `text` as a comment on the alarm (`POST /lr-alarm-api/alarms/{id}/comment`), trimmed to the
 * entry's `commentMaxChars`. Resolves with exactly what was sent.
 */
export async function shareToAlarm(
  deps: ConnectorDeps,
  alarmId: string,
  text: string,
  signal?: AbortSignal,
): Promise<{ sent: string; trimmed: boolean; message: string | null }> {
  const id = checkedAlarmId(alarmId);
  const opts = parseEntryOptions(ENGINE, LogRhythmOptionsSchema, deps.entry);
  const comment = trimComment(text, opts.commentMaxChars);
  if (comment.text === '') throw new ConnectorError('bad_request', 'There is nothing to write on the alarm.');
  const doing = `commenting on alarm ${id}`;
  const res = await lrCall(deps, doing, `/lr-alarm-api/alarms/${id}/comment`, {
    method: 'POST',
    body: { alarmComment: comment.text },
    signal,
  });
  const answer =
    res.json === undefined
      ? {}
      : parseEngineBody({ engine: ENGINE, doing }, AlarmResponseSchema, res.json, 'an answer');
  return { sent: comment.text, trimmed: comment.trimmed, message: answer.responseMessage ?? null };
}
