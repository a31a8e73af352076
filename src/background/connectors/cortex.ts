import { z } from 'zod';
import type { Action, Run } from '../../core/api.ts';
import {
  CORTEX_DATA_TYPES,
  type CortexDataType,
  type CortexOptions,
  CortexOptionsSchema,
} from '../../core/engines/cortex-options.ts';
import type { RowContext } from '../../core/row-context.ts';
import { isFinished } from '../../core/run-status.ts';
import { type Connector, type ConnectorDeps, ConnectorError, type StartRun } from './connector.ts';
import {
  CORTEX_STATUS,
  type CortexAnalyzer,
  CortexAnalyzerSchema,
  type CortexJob,
  CortexJobSchema,
  CortexReportSchema,
  isoOf,
  observablesOf,
  outputOfReport,
} from './cortex-map.ts';
import {
  type Engine,
  type EngineCall,
  engineRequest,
  errorWordsAt,
  parseEngineBody,
  parseEntryOptions,
} from './engine-http.ts';

/**
 * TheHive Cortex: each analyzer that accepts one of the row's observables becomes an action with one
 * parameter bound to the field holding that observable. A run is a Cortex job; polling uses
 * `waitreport`, so one poll returns as soon as the report exists. Shapes and states: docs/connectors.md#cortex.
 */

const ENGINE: Engine = {
  name: 'Cortex',
  auth: ({ secret }) => ({ authorization: `Bearer ${secret}` }),
  errorWords: errorWordsAt('message'),
};
const ROLES: Action['roles'] = ['analyst', 'approver', 'admin'];

const AnalyzerListSchema = z.array(CortexAnalyzerSchema);
const CurrentUserSchema = z.looseObject({ id: z.string(), name: z.string().optional() });

export function createCortexConnector(deps: ConnectorDeps): Connector {
  const options = (): CortexOptions => parseEntryOptions(ENGINE, CortexOptionsSchema, deps.entry);

  async function call(doing: string, path: string, extra: Partial<EngineCall> = {}) {
    if (!deps.secret) {
      throw new ConnectorError(
        'not_configured',
        `No API key is saved for the Cortex entry "${deps.entry.name}".`,
        'Create an API key for a Cortex user with the "analyze" role and save it in Gridside options.',
      );
    }
    return engineRequest({
      engine: ENGINE,
      doing,
      deps,
      path,
      timeoutMs: options().requestTimeoutSeconds * 1000,
      ...extra,
    });
  }

  async function analyzersFor(dataType: CortexDataType, signal?: AbortSignal): Promise<CortexAnalyzer[]> {
    const doing = `listing analyzers for ${dataType}`;
    const res = await call(doing, `/api/analyzer/type/${encodeURIComponent(dataType)}`, { signal });
    return parseEngineBody({ engine: ENGINE, doing }, AnalyzerListSchema, res.json, 'an analyzer list');
  }

  const wanted = (analyzer: CortexAnalyzer, opts: CortexOptions): boolean =>
    !opts.analyzers || opts.analyzers.includes(analyzer.id) || opts.analyzers.includes(analyzer.name);

  function actionFor(analyzer: CortexAnalyzer, dataType: CortexDataType, field: string | null): Action {
    const opts = options();
    const on = field ? ` on ${field}` : ` (${dataType})`;
    return {
      id: field ? `${analyzer.id}/${dataType}:${field}` : `${analyzer.id}/${dataType}`,
      plugin: { id: analyzer.id, name: analyzer.name },
      name: `${analyzer.name}${on}`,
      description: analyzer.description ?? '',
      params: [
        {
          id: 'data',
          name: field ?? dataType,
          kind: 'string',
          encrypted: false,
          fromConfig: false,
          required: true,
          ...(field ? { default: { field } } : {}),
          switch: '',
          order: '1',
        },
      ],
      approval: { levels: 0, quorum: 1, approverRoles: ['approver', 'admin'] },
      roles: ROLES,
      // Analyzers only look things up; responders (which act) are not offered.
      sideEffects: false,
      cacheTtlSeconds: opts.cacheTtlSeconds,
      timeoutSeconds: opts.timeoutSeconds,
      available: true,
    };
  }

  async function listActions(context: RowContext | null, signal?: AbortSignal): Promise<Action[]> {
    const opts = options();
    const allowed = opts.dataTypes ?? CORTEX_DATA_TYPES;
    if (context === null) {
      const doing = 'listing analyzers';
      const res = await call(doing, '/api/analyzer?range=all', { signal });
      const analyzers = parseEngineBody(
        { engine: ENGINE, doing },
        AnalyzerListSchema,
        res.json,
        'an analyzer list',
      );
      return analyzers
        .filter((a) => wanted(a, opts))
        .flatMap((a) =>
          a.dataTypeList
            .filter((t): t is CortexDataType => (allowed as readonly string[]).includes(t))
            .map((t) => actionFor(a, t, null)),
        );
    }
    const observables = observablesOf(context, allowed);
    const types = [...new Set(observables.map((o) => o.dataType))];
    const lists = await Promise.all(types.map((t) => analyzersFor(t, signal)));
    const byType = new Map(types.map((t, i) => [t, (lists[i] ?? []).filter((a) => wanted(a, opts))]));
    return observables.flatMap((o) =>
      (byType.get(o.dataType) ?? []).map((a) => actionFor(a, o.dataType, o.field)),
    );
  }

  function runOf(job: CortexJob, started?: StartRun): Run {
    const status = CORTEX_STATUS[job.status] ?? 'failed';
    let output: Run['output'] = null;
    let reason: string | null = null;
    if (job.report !== undefined && typeof job.report === 'object' && job.report !== null) {
      const report = parseEngineBody(
        { engine: ENGINE, doing: `reporting job ${job.id}` },
        CortexReportSchema,
        job.report,
        'a report',
      );
      output = outputOfReport(report, job.data);
      if (!report.success) reason = report.errorMessage ?? 'The analyzer failed.';
    }
    if (status === 'canceled') reason = 'The job was deleted in Cortex.';
    if (status === 'failed' && !reason) reason = 'The analyzer failed; Cortex gave no message.';
    const createdAt = isoOf(job.createdAt) ?? new Date().toISOString();
    const startedAt = isoOf(job.startDate);
    const finishedAt = status === 'succeeded' || status === 'failed' ? isoOf(job.endDate) : null;
    return {
      id: job.id,
      actionId: started?.action.id ?? `${job.analyzerId}/${job.dataType}`,
      actionName: started?.action.name ?? job.analyzerName ?? job.analyzerId,
      status,
      requestedBy: job.createdBy ?? '',
      params: { data: job.data ?? '' },
      alarmId: started?.context.alarmId ?? null,
      rowKey: started?.context.key.value ?? null,
      approvals: [],
      output,
      reason,
      timing: {
        createdAt,
        startedAt,
        finishedAt,
        durationMs:
          startedAt && finishedAt && job.startDate && job.endDate ? job.endDate - job.startDate : null,
      },
    };
  }

  async function startRun(request: StartRun, signal?: AbortSignal): Promise<Run> {
    const opts = options();
    const { analyzerId, dataType, field } = decodeActionId(request.action.id);
    const data = (request.params.data ?? (field ? request.context.fields[field] : undefined) ?? '').trim();
    if (data === '') {
      throw new ConnectorError(
        'bad_request',
        `There is no ${field ?? dataType} value to send to ${request.action.plugin.name}.`,
        'Type a value, or pick a row that has one.',
      );
    }
    const doing = `starting ${request.action.plugin.name}`;
    const query = opts.force ? '?force=1' : '';
    const res = await call(doing, `/api/analyzer/${encodeURIComponent(analyzerId)}/run${query}`, {
      method: 'POST',
      body: {
        data,
        dataType,
        tlp: opts.tlp,
        pap: opts.pap,
        message: `Gridside: ${field ?? dataType} from ${request.context.console}`,
      },
      signal,
    });
    const run = runOf(
      parseEngineBody({ engine: ENGINE, doing }, CortexJobSchema, res.json, 'a job'),
      request,
    );
    // A job served from Cortex's job cache comes back finished but without its report: fetch it now, as
    // the background stops polling once a run is finished.
    if (!isFinished(run.status) || run.output !== null) return run;
    const reported = await getRun(run.id, signal);
    return {
      ...reported,
      actionId: run.actionId,
      actionName: run.actionName,
      alarmId: run.alarmId,
      rowKey: run.rowKey,
    };
  }

  async function getRun(runId: string, signal?: AbortSignal): Promise<Run> {
    const opts = options();
    const id = encodeURIComponent(runId);
    const doing = `reporting job ${runId}`;
    // waitreport blocks on the Cortex side until the report exists or atMost elapses.
    const path =
      opts.waitSeconds > 0
        ? `/api/job/${id}/waitreport?atMost=${opts.waitSeconds}second`
        : `/api/job/${id}/report`;
    const res = await call(doing, path, {
      signal,
      timeoutMs: (opts.requestTimeoutSeconds + opts.waitSeconds) * 1000,
    });
    return runOf(parseEngineBody({ engine: ENGINE, doing }, CortexJobSchema, res.json, 'a job'));
  }

  async function cancelRun(runId: string, signal?: AbortSignal): Promise<void> {
    // Cortex marks the job Deleted; an analyzer already running is not killed, its report is discarded.
    await call(`deleting job ${runId}`, `/api/job/${encodeURIComponent(runId)}`, {
      method: 'DELETE',
      signal,
    });
  }

  async function testConnection(signal?: AbortSignal) {
    const doing = 'checking the API key';
    const res = await call(doing, '/api/user/current', { signal });
    const user = parseEngineBody({ engine: ENGINE, doing }, CurrentUserSchema, res.json, 'a user');
    return { user: user.name ?? user.id, detail: `Cortex knows this key as ${user.id}.` };
  }

  return { actionsDependOnRow: true, listActions, startRun, getRun, cancelRun, testConnection };
}

/** `<analyzerId>/<dataType>[:<field>]` → its parts; anything else is not one of ours. */
export function decodeActionId(actionId: string): {
  analyzerId: string;
  dataType: CortexDataType;
  field: string | null;
} {
  const match = /^([^/]+)\/([a-z-]+)(?::(.+))?$/.exec(actionId);
  const dataType = match?.[2];
  if (!match?.[1] || !dataType || !(CORTEX_DATA_TYPES as readonly string[]).includes(dataType)) {
    throw new ConnectorError(
      'bad_request',
      `"${actionId}" is not a Cortex analyzer action.`,
      'Reload the action list.',
    );
  }
  return { analyzerId: match[1], dataType: dataType as CortexDataType, field: match[3] ?? null };
}
