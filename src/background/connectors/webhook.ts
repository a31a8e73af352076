import type { Action, ActionParam, Run, RunOutput, RunStatus } from '../../core/api.ts';
import {
  type WebhookAction,
  type WebhookOptions,
  WebhookOptionsSchema,
} from '../../core/engines/webhook-options.ts';
import type { RowContext } from '../../core/row-context.ts';
import { isFinished } from '../../core/run-status.ts';
import { type Connector, type ConnectorDeps, ConnectorError, type StartRun } from './connector.ts';
import { type Engine, engineRequest, engineUrl, parseEntryOptions } from './engine-http.ts';
import { decodeHandle, encodeHandle } from './webhook-handle.ts';
import { outputOf, statusOf } from './webhook-output.ts';
import {
  atPointer,
  hasDotSegment,
  placeholdersIn,
  renderTemplate,
  renderUrl,
  TemplateError,
  type TemplateScope,
  UrlValueError,
} from './webhook-template.ts';

/**
 * Webhook-style SOARs (Tines, n8n, Shuffle, Logic Apps HTTP triggers): each configured action is a URL, a
 * JSON body template filled from the row, and a mapping of the answer onto output, verdicts and — for
 * engines that answer with a run to poll — status. Shapes: docs/connectors.md#webhook-soars.
 */

const ENGINE: Engine = { name: 'Webhook' };
const ROLES: Action['roles'] = ['analyst', 'approver', 'admin'];

/** Sync answers are complete at start; kept briefly so a getRun right after startRun still finds them. */
const syncRuns = new Map<string, Run>();
const SYNC_KEEP = 100;

export function createWebhookConnector(deps: ConnectorDeps): Connector {
  const options = (): WebhookOptions => parseEntryOptions(ENGINE, WebhookOptionsSchema, deps.entry);
  const origin = new URL(deps.entry.url).origin;
  // The entry's path prefix (a tenant, a reverse proxy's folder): every request stays under it.
  const prefix = new URL(deps.entry.url).pathname.replace(/\/+$/, '');

  function configOf(actionId: string): WebhookAction {
    const id = actionId.slice(actionId.lastIndexOf('/') + 1);
    const cfg = options().actions.find((a) => a.id === id);
    if (!cfg)
      throw new ConnectorError(
        'not_found',
        `The webhook action "${id}" is no longer configured.`,
        'Reload the action list.',
      );
    return cfg;
  }

  function paramsOf(cfg: WebhookAction): ActionParam[] {
    const out: ActionParam[] = [];
    const add = (id: string, name: string, extra: Partial<ActionParam>) => {
      if (out.some((p) => p.id === id)) return;
      out.push({
        id,
        name,
        kind: 'string',
        encrypted: false,
        fromConfig: false,
        required: false,
        switch: '',
        order: String(out.length + 1),
        ...extra,
      });
    };
    for (const p of cfg.params) {
      const binding = p.field
        ? { field: p.field }
        : p.static !== undefined
          ? { static: p.static }
          : undefined;
      add(p.id, p.name ?? p.id, { required: p.required, ...(binding ? { default: binding } : {}) });
    }
    for (const ph of placeholdersIn([cfg.url, cfg.bodyTemplate])) {
      if (ph.kind === 'field') add(ph.name, ph.name, { default: { field: ph.name } });
      if (ph.kind === 'param') add(ph.name, ph.name, {});
    }
    return out;
  }

  function actionOf(cfg: WebhookAction): Action {
    return {
      id: `${deps.entry.id}/${cfg.id}`,
      plugin: { id: deps.entry.id, name: deps.entry.name },
      name: cfg.name,
      description: cfg.description,
      params: paramsOf(cfg),
      approval: { levels: 0, quorum: 1, approverRoles: ['approver', 'admin'] },
      roles: ROLES,
      sideEffects: !cfg.readOnly,
      cacheTtlSeconds: cfg.readOnly ? cfg.cacheTtlSeconds : 0,
      timeoutSeconds: cfg.timeoutSeconds,
      available: true,
    };
  }

  function checked<T>(cfg: WebhookAction, fn: () => T): T {
    try {
      return fn();
    } catch (error) {
      if (error instanceof UrlValueError)
        throw new ConnectorError(
          'bad_request',
          `${cfg.name} cannot put "${error.value}" (from {{${error.placeholder}}}) in its URL: it would send the request to another path on the engine.`,
          'Type another value, or pick a row that has a real one.',
        );
      if (!(error instanceof TemplateError)) throw error;
      throw new ConnectorError(
        'not_configured',
        `The webhook action "${cfg.name}" has a template problem: ${error.message}.`,
        'Fix the action in Gridside options (docs/connectors.md lists the placeholders).',
      );
    }
  }

  /**
   * An absolute URL on the entry's origin and under its path prefix; anything else is refused before any
   * request, so the auth header never goes to another endpoint. A `.` or `..` segment is refused too: the
   * URL would be resolved to another path than it reads. The URL itself is not quoted (it may hold the
   * secret).
   */
  function urlOn(cfg: WebhookAction, rendered: string): string {
    const url = engineUrl(deps.entry.url, rendered);
    if (new URL(url).origin !== origin) {
      throw new ConnectorError(
        'not_configured',
        `The webhook action "${cfg.name}" points outside ${origin}.`,
        'Use a path on the entry URL, or make a separate entry for the other host.',
      );
    }
    if (hasDotSegment(url)) {
      throw new ConnectorError(
        'bad_request',
        `The webhook action "${cfg.name}" would go to a URL with a "." or ".." segment, which leads to another path on the engine.`,
        "Check the values the URL is built from (the row, or the engine's answer for a poll URL).",
      );
    }
    const path = new URL(url).pathname;
    if (prefix && path !== prefix && !path.startsWith(`${prefix}/`)) {
      throw new ConnectorError(
        'not_configured',
        `The webhook action "${cfg.name}" points outside ${origin}${prefix}.`,
        'Use a path under the entry URL, or make a separate entry for the other path.',
      );
    }
    return url;
  }

  function headersOf(cfg: WebhookAction): Record<string, string> {
    if (!cfg.authHeader) return cfg.headers;
    if (!deps.secret) {
      throw new ConnectorError(
        'not_configured',
        `No secret is saved for the webhook entry "${deps.entry.name}" (header ${cfg.authHeader}).`,
        'Save the header value as the entry secret in Gridside options.',
      );
    }
    return { ...cfg.headers, [cfg.authHeader]: `${cfg.authPrefix}${deps.secret}` };
  }

  function runOf(
    cfg: WebhookAction,
    id: string,
    status: RunStatus,
    output: RunOutput | null,
    start?: StartRun,
  ): Run {
    const now = new Date().toISOString();
    const done = isFinished(status);
    return {
      id,
      actionId: `${deps.entry.id}/${cfg.id}`,
      actionName: cfg.name,
      status,
      requestedBy: '',
      params: start?.params ?? {},
      alarmId: start?.context.alarmId ?? null,
      rowKey: start?.context.key.value ?? null,
      approvals: [],
      output,
      reason:
        status === 'succeeded' || !done
          ? null
          : `The webhook engine reported the run as ${status.replace('_', ' ')}.`,
      timing: {
        createdAt: now,
        startedAt: start ? now : null,
        finishedAt: done ? now : null,
        durationMs: null,
      },
    };
  }

  const scopeOf = (context: RowContext, params: Record<string, string>): TemplateScope => ({
    fields: context.fields,
    params,
    row: {
      console: context.console,
      kind: context.kind,
      key: context.key.value,
      alarmId: context.alarmId ?? '',
      labels: context.labels,
    },
  });

  async function startRun(request: StartRun, signal?: AbortSignal): Promise<Run> {
    const cfg = configOf(request.action.id);
    const opts = options();
    const scope = scopeOf(request.context, request.params);
    for (const p of paramsOf(cfg)) {
      const value =
        request.params[p.id] ??
        (p.default && 'field' in p.default ? request.context.fields[p.default.field] : undefined);
      if (p.required && !value)
        throw new ConnectorError(
          'bad_request',
          `${cfg.name} needs a value for ${p.name}.`,
          'Type a value, or pick a row that has one.',
        );
    }
    const url = urlOn(
      cfg,
      checked(cfg, () => renderUrl(cfg.url, { ...scope, secret: deps.secret ?? '' })),
    );
    const body =
      cfg.method === 'GET' ? undefined : checked(cfg, () => renderTemplate(cfg.bodyTemplate, scope));
    const doing = `running ${cfg.name}`;
    const res = await engineRequest({
      engine: { name: `Webhook "${cfg.name}"` },
      doing,
      deps,
      path: url,
      method: cfg.method,
      headers: headersOf(cfg),
      body,
      signal,
      allowText: true,
      timeoutMs: opts.requestTimeoutSeconds * 1000,
    });
    if (cfg.mode === 'sync') {
      const run = runOf(
        cfg,
        `sync.${crypto.randomUUID()}`,
        'succeeded',
        outputOf(cfg, res.json, res.text),
        request,
      );
      syncRuns.set(`${deps.entry.id}:${run.id}`, run);
      if (syncRuns.size > SYNC_KEEP) syncRuns.delete(syncRuns.keys().next().value as string);
      return run;
    }
    const target = atPointer(res.json, cfg.pollUrlPath ?? '');
    if (typeof target !== 'string' && typeof target !== 'number') {
      throw new ConnectorError(
        'bad_response',
        `The webhook "${cfg.name}" answered without a run to follow at ${cfg.pollUrlPath}.`,
        'Check pollUrlPath in the entry options against what the engine returns.',
      );
    }
    const captured: Record<string, string> = { id: String(target) };
    for (const [name, pointer] of Object.entries(cfg.pollCapture)) {
      const value = atPointer(res.json, pointer);
      captured[name] = typeof value === 'string' ? value : JSON.stringify(value ?? '');
    }
    const pollUrl = cfg.pollUrlTemplate
      ? checked(cfg, () => renderUrl(cfg.pollUrlTemplate ?? '', { ...scope, run: captured }))
      : String(target);
    urlOn(cfg, pollUrl);
    const handle = encodeHandle({ a: cfg.id, u: pollUrl, c: captured });
    return runOf(cfg, `poll.${handle}`, 'queued', null, request);
  }

  async function getRun(runId: string, signal?: AbortSignal): Promise<Run> {
    if (runId.startsWith('sync.')) {
      const run = syncRuns.get(`${deps.entry.id}:${runId}`);
      if (run) return run;
      throw new ConnectorError(
        'not_found',
        'This webhook result is no longer held in memory.',
        'Run the action again.',
      );
    }
    const handle = decodeHandle(runId);
    const cfg = configOf(handle.a);
    const scope: TemplateScope = {
      fields: {},
      params: {},
      row: { console: '', kind: '', key: '', alarmId: '', labels: {} },
      run: handle.c,
    };
    const body =
      cfg.pollMethod === 'POST'
        ? checked(cfg, () => renderTemplate(cfg.pollBodyTemplate ?? {}, scope))
        : undefined;
    const res = await engineRequest({
      engine: { name: `Webhook "${cfg.name}"` },
      doing: `checking ${cfg.name}`,
      deps,
      path: urlOn(cfg, handle.u),
      method: cfg.pollMethod,
      headers: headersOf(cfg),
      body,
      signal,
      timeoutMs: options().requestTimeoutSeconds * 1000,
    });
    const status = statusOf(cfg, res.json);
    return runOf(cfg, runId, status, isFinished(status) ? outputOf(cfg, res.json, res.text) : null);
  }

  async function cancelRun(runId: string): Promise<void> {
    // Webhook triggers have no standard cancel: say so rather than pretend.
    if (runId.startsWith('sync.')) return;
    throw new ConnectorError(
      'bad_request',
      'Webhook runs cannot be canceled from Gridside.',
      'Cancel the run in the engine itself (Tines story, n8n execution, Shuffle workflow run).',
    );
  }

  async function testConnection(signal?: AbortSignal) {
    const opts = options();
    if (!opts.testPath)
      return { detail: `${opts.actions.length} webhook action(s) configured; each is checked when run.` };
    await engineRequest({
      engine: ENGINE,
      doing: 'checking the connection',
      deps,
      path: opts.testPath,
      signal,
      allowText: true,
    });
    return { detail: `${deps.entry.url} answered.` };
  }

  return {
    listActions: async () => options().actions.map(actionOf),
    startRun,
    getRun,
    cancelRun,
    testConnection,
  };
}
