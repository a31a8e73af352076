import { z } from 'zod';
import type { Action, Run } from '../../core/api.ts';
import { type StackStormOptions, StackStormOptionsSchema } from '../../core/engines/stackstorm-options.ts';
import { ownValue } from '../../core/own-value.ts';
import { isFinished } from '../../core/run-status.ts';
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
  outputOfResult,
  paramsOf,
  reasonOf,
  ST2_STATUS,
  type St2Action,
  St2ActionSchema,
  type St2Execution,
  St2ExecutionSchema,
  st2Value,
} from './stackstorm-map.ts';

/**
 * StackStorm: its actions (`/api/v1/actions`) with their parameter schemas, run as executions
 * (`/api/v1/executions`). Shapes and states: docs/connectors.md#stackstorm.
 */

const ENGINE: Engine = {
  name: 'StackStorm',
  // st2 takes an API key or an auth token, each in a header of its own.
  auth: ({ entry, secret = '' }) => {
    const { authMode } = parseEntryOptions(ENGINE, StackStormOptionsSchema, entry);
    return { [authMode === 'token' ? 'X-Auth-Token' : 'St2-Api-Key']: secret };
  },
  errorWords: errorWordsAt('faultstring'),
};
const PAGE = 100;
const MAX_PAGES = 20;
const ROLES: Action['roles'] = ['analyst', 'approver', 'admin'];

const ActionListSchema = z.array(St2ActionSchema);
const UserSchema = z.looseObject({ username: z.string() });

export function createStackStormConnector(deps: ConnectorDeps): Connector {
  const options = (): StackStormOptions => parseEntryOptions(ENGINE, StackStormOptionsSchema, deps.entry);

  async function call(doing: string, path: string, extra: Partial<EngineCall> = {}) {
    const opts = options();
    if (!deps.secret) {
      throw new ConnectorError(
        'not_configured',
        `No ${opts.authMode === 'token' ? 'auth token' : 'API key'} is saved for the StackStorm entry "${deps.entry.name}".`,
        'Create one with `st2 apikey create` (or `st2 auth`) and save it in Gridside options.',
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

  async function fetchActions(pack: string | undefined, signal?: AbortSignal): Promise<St2Action[]> {
    const doing = pack ? `listing the actions of pack ${pack}` : 'listing actions';
    const all: St2Action[] = [];
    // st2 pages lists (50 by default); `limit=-1` needs admin rights, so page through instead.
    for (let page = 0; page < MAX_PAGES; page++) {
      const query = new URLSearchParams({ limit: String(PAGE), offset: String(page * PAGE) });
      if (pack) query.set('pack', pack);
      const res = await call(doing, `/api/v1/actions?${query}`, { signal });
      const batch = parseEngineBody({ engine: ENGINE, doing }, ActionListSchema, res.json, 'an action list');
      all.push(...batch);
      const total = Number(res.headers.get('x-total-count'));
      if (batch.length < PAGE || (Number.isFinite(total) && all.length >= total)) break;
    }
    return all;
  }

  function actionOf(a: St2Action, opts: StackStormOptions): Action {
    const readOnly = opts.readOnlyActions.includes(a.ref);
    return {
      id: `${a.pack}/${a.ref}`,
      plugin: { id: a.pack, name: a.pack },
      name: a.name,
      description: a.description ?? '',
      params: paramsOf(a, ownValue(opts.mapping, a.ref)),
      // StackStorm Inquiries are its own approval step; Gridside adds none.
      approval: { levels: 0, quorum: 1, approverRoles: ['approver', 'admin'] },
      roles: ROLES,
      sideEffects: !readOnly,
      cacheTtlSeconds: readOnly ? opts.cacheTtlSeconds : 0,
      timeoutSeconds: opts.timeoutSeconds,
      available: true,
    };
  }

  async function listActions(_context: unknown, signal?: AbortSignal): Promise<Action[]> {
    const opts = options();
    const lists = opts.packs
      ? await Promise.all(opts.packs.map((p) => fetchActions(p, signal)))
      : [await fetchActions(undefined, signal)];
    return lists
      .flat()
      .filter((a) => a.enabled)
      .map((a) => actionOf(a, opts));
  }

  function runOf(execution: St2Execution, started?: StartRun): Run {
    const status = ST2_STATUS[execution.status] ?? 'failed';
    const terminal = isFinished(status);
    const output = terminal && execution.result !== undefined ? outputOfResult(execution.result) : null;
    const reason =
      execution.status === 'abandoned'
        ? 'StackStorm abandoned the execution (its runner went away before it finished).'
        : reasonOf(status, output, execution.result);
    const params = Object.fromEntries(
      Object.entries(execution.parameters).map(([k, v]) => [
        k,
        typeof v === 'string' ? v : JSON.stringify(v),
      ]),
    );
    const startedAt = execution.start_timestamp ?? null;
    return {
      id: execution.id,
      actionId:
        started?.action.id ??
        `${execution.action.pack ?? execution.action.ref.split('.')[0]}/${execution.action.ref}`,
      actionName: started?.action.name ?? execution.action.name ?? execution.action.ref,
      status,
      requestedBy: execution.context?.user ?? '',
      params,
      alarmId: started?.context.alarmId ?? null,
      rowKey: started?.context.key.value ?? null,
      approvals: [],
      output,
      reason,
      timing: {
        createdAt: startedAt ?? new Date().toISOString(),
        startedAt,
        finishedAt: terminal ? (execution.end_timestamp ?? null) : null,
        durationMs:
          terminal && typeof execution.elapsed_seconds === 'number'
            ? Math.round(execution.elapsed_seconds * 1000)
            : null,
      },
    };
  }

  async function startRun(request: StartRun, signal?: AbortSignal): Promise<Run> {
    const ref = request.action.id.slice(request.action.id.indexOf('/') + 1);
    // The parameter types live in st2's schema, not in the Action: read it fresh, so values are sent typed.
    const schemaDoing = `reading action ${ref}`;
    const schemaRes = await call(schemaDoing, `/api/v1/actions/${encodeURIComponent(ref)}`, { signal });
    const action = parseEngineBody(
      { engine: ENGINE, doing: schemaDoing },
      St2ActionSchema,
      schemaRes.json,
      'an action',
    );
    const parameters: Record<string, unknown> = {};
    for (const [name, p] of Object.entries(action.parameters)) {
      if (p.immutable || p.secret) continue;
      try {
        const value = st2Value(name, p, request.params[name]);
        if (value !== undefined) parameters[name] = value;
      } catch (error) {
        throw new ConnectorError(
          'bad_request',
          `${(error as Error).message}.`,
          'Correct the value and run again.',
        );
      }
      if (p.required && p.default === undefined && parameters[name] === undefined) {
        throw new ConnectorError(
          'bad_request',
          `${ref} needs a value for ${name}.`,
          'Type a value, or pick a row that has one.',
        );
      }
    }
    const doing = `starting ${ref}`;
    const res = await call(doing, '/api/v1/executions', {
      method: 'POST',
      body: { action: ref, parameters },
      signal,
    });
    return runOf(
      parseEngineBody({ engine: ENGINE, doing }, St2ExecutionSchema, res.json, 'an execution'),
      request,
    );
  }

  async function getRun(runId: string, signal?: AbortSignal): Promise<Run> {
    const doing = `reading execution ${runId}`;
    const res = await call(doing, `/api/v1/executions/${encodeURIComponent(runId)}`, { signal });
    return runOf(parseEngineBody({ engine: ENGINE, doing }, St2ExecutionSchema, res.json, 'an execution'));
  }

  async function cancelRun(runId: string, signal?: AbortSignal): Promise<void> {
    // st2 moves the execution to `canceling`, then `canceled` once the runner stops it.
    await call(`canceling execution ${runId}`, `/api/v1/executions/${encodeURIComponent(runId)}`, {
      method: 'DELETE',
      signal,
    });
  }

  async function testConnection(signal?: AbortSignal) {
    const doing = 'checking the credentials';
    const res = await call(doing, '/api/v1/user', { signal });
    const user = parseEngineBody({ engine: ENGINE, doing }, UserSchema, res.json, 'a user');
    return { user: user.username };
  }

  return { listActions, startRun, getRun, cancelRun, testConnection };
}
