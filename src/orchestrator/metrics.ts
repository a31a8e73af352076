import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { PluginStatusSchema } from '../core/plugins-api.ts';
import { hasAnyRole, type TokenBook } from './auth.ts';
import { HttpError } from './http-error.ts';
import { pluginStatus } from './plugin-info.ts';
import type { PluginRegistry } from './plugins.ts';
import { DURATION_BUCKETS, readRunTallies } from './run-tallies.ts';
import type { Db } from './store.ts';
import type { SyslogForwarder } from './syslog-forwarder.ts';

/**
 * `GET /metrics` in the Prometheus text format (version 0.0.4), for the monitoring a SOC already runs:
 * runs by action and status, how long runs take, what waits (queue, approvals, the syslog stream) and the
 * plugins' state. Read from the database at each scrape, so the figures survive restarts. Admin tokens and
 * the `metrics.tokens` of the config may read it; a metrics token reads nothing else.
 */

export interface ServiceView {
  db: Db;
  syslog?: SyslogForwarder;
  /** Tokens from `metrics.tokens`. */
  metricsTokens: TokenBook;
}

export { DURATION_BUCKETS } from './run-tallies.ts';

const escapeLabel = (value: string): string =>
  value.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/"/g, '\\"');

const labels = (pairs: Record<string, string>): string => {
  const entries = Object.entries(pairs);
  return entries.length === 0 ? '' : `{${entries.map(([k, v]) => `${k}="${escapeLabel(v)}"`).join(',')}}`;
};

class Exposition {
  private readonly lines: string[] = [];

  family(name: string, type: 'gauge' | 'counter' | 'histogram', help: string): this {
    this.lines.push(`# HELP ${name} ${help}`, `# TYPE ${name} ${type}`);
    return this;
  }

  sample(name: string, value: number, pairs: Record<string, string> = {}): this {
    this.lines.push(`${name}${labels(pairs)} ${Number.isFinite(value) ? value : value > 0 ? '+Inf' : 'NaN'}`);
    return this;
  }

  text(): string {
    return `${this.lines.join('\n')}\n`;
  }
}

export function renderMetrics(view: { db: Db; registry: PluginRegistry; syslog?: SyslogForwarder }): string {
  const { db } = view;
  const out = new Exposition();

  // Kept up to date by triggers (run-tallies.ts): a scrape costs the same with a million runs as with none.
  const tallies = readRunTallies(db);
  out.family('gridside_runs', 'gauge', 'Runs recorded, by action and current status.');
  for (const row of tallies.byActionAndStatus)
    out.sample('gridside_runs', row.n, { action: row.action, status: row.status });

  // One histogram over all actions: per-action durations would multiply the series by the catalog's size.
  out.family(
    'gridside_run_duration_seconds',
    'histogram',
    'How long finished runs took, plugin start to end.',
  );
  const { durations } = tallies;
  DURATION_BUCKETS.forEach((le, i) => {
    out.sample('gridside_run_duration_seconds_bucket', durations.buckets[i]?.n ?? 0, { le: String(le) });
  });
  out.sample('gridside_run_duration_seconds_bucket', durations.n, { le: '+Inf' });
  out.sample('gridside_run_duration_seconds_sum', durations.totalMs / 1000);
  out.sample('gridside_run_duration_seconds_count', durations.n);

  out.family('gridside_queue_depth', 'gauge', 'Runs waiting for a free slot to start.');
  out.sample('gridside_queue_depth', tallies.inStatus('queued'));
  out.family('gridside_runs_running', 'gauge', 'Plugin processes running now.');
  out.sample('gridside_runs_running', tallies.inStatus('running'));
  out.family('gridside_approvals_waiting', 'gauge', 'Runs waiting for an approver.');
  out.sample('gridside_approvals_waiting', tallies.inStatus('pending_approval'));

  // In the Plugins view's words, so an alert can tell a plugin whose files changed from one an admin
  // disabled. Every status is sampled, 0 included: an alert on `modified` needs the series to exist.
  out.family(
    'gridside_plugins',
    'gauge',
    'Loaded plugins, by status (trusted, unsigned, modified, disabled).',
  );
  const plugins = new Map<string, number>(PluginStatusSchema.options.map((status) => [status, 0]));
  for (const entry of view.registry.list()) {
    const status = pluginStatus(view.registry, entry);
    plugins.set(status, (plugins.get(status) ?? 0) + 1);
  }
  for (const [status, n] of plugins) out.sample('gridside_plugins', n, { status });

  out.family('gridside_audit_records', 'counter', 'Records in the audit trail.');
  out.sample(
    'gridside_audit_records',
    // Records are numbered from 1 without gaps and never deleted (audit.ts): the last number is the count,
    // read from the primary key instead of counting millions of records.
    (db.prepare('SELECT COALESCE(MAX(seq), 0) AS n FROM audit').get() as { n: number }).n,
  );

  if (view.syslog) {
    const health = view.syslog.health();
    out.family('gridside_syslog_backlog', 'gauge', 'Audit records not yet delivered to the syslog receiver.');
    out.sample('gridside_syslog_backlog', health.backlog);
    out.family('gridside_syslog_connected', 'gauge', '1 while connected to the syslog receiver.');
    out.sample('gridside_syslog_connected', health.connected ? 1 : 0);
  }
  return out.text();
}

export function registerMetrics(
  app: FastifyInstance,
  deps: ServiceView & {
    registry: PluginRegistry;
    tokens: TokenBook;
    authenticate: (required: boolean) => (request: FastifyRequest, reply: FastifyReply) => Promise<void>;
    /** Counts the request against its rate limit (per address without a token); 429 once spent. */
    countRequest: (request: FastifyRequest) => Promise<void>;
  },
): void {
  app.get('/metrics', { preHandler: deps.authenticate(false) }, async (request, reply) => {
    const admin = request.caller && hasAnyRole(request.caller, ['admin']);
    const scraper = deps.metricsTokens.identify(request.headers.authorization);
    if (!admin && !scraper) {
      if (request.caller) throw new HttpError(403, 'forbidden', 'metrics need an admin or metrics token');
      // No valid token of either kind: counted per address as on the API (authenticate counts only
      // callers here, since a metrics token is no API caller), so guessing tokens here meets the same
      // 429, audited once a minute, instead of an audit record for every try.
      await deps.countRequest(request);
      throw new HttpError(401, 'unauthorized', 'send Authorization: Bearer <admin or metrics token>');
    }
    return reply.type('text/plain; version=0.0.4; charset=utf-8').send(renderMetrics(deps));
  });
}
