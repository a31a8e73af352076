import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { hasAnyRole, type TokenBook } from './auth.ts';
import { HttpError } from './http-error.ts';
import type { PluginRegistry } from './plugins.ts';
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

/** Upper bounds (seconds) of the run duration histogram: a lookup takes a second, a sandbox minutes. */
export const DURATION_BUCKETS = [0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600];

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

/** A plugin's state in the words the Plugins view uses, when the registry knows it; else runnable or not. */
const pluginStatus = (plugin: { available: boolean; status?: string }): string =>
  plugin.status ?? (plugin.available ? 'available' : 'unavailable');

export function renderMetrics(view: { db: Db; registry: PluginRegistry; syslog?: SyslogForwarder }): string {
  const { db } = view;
  const out = new Exposition();

  out.family('gridside_runs', 'gauge', 'Runs recorded, by action and current status.');
  const byStatus = db
    .prepare(
      'SELECT action_id AS action, status, COUNT(*) AS n FROM runs GROUP BY action_id, status ORDER BY 1, 2',
    )
    .all() as { action: string; status: string; n: number }[];
  for (const row of byStatus) out.sample('gridside_runs', row.n, { action: row.action, status: row.status });

  // One histogram over all actions: per-action durations would multiply the series by the catalog's size.
  out.family(
    'gridside_run_duration_seconds',
    'histogram',
    'How long finished runs took, plugin start to end.',
  );
  const bucketColumns = DURATION_BUCKETS.map(
    (le, i) => `COALESCE(SUM(CASE WHEN duration_ms <= ${le * 1000} THEN 1 ELSE 0 END), 0) AS b${i}`,
  ).join(', ');
  const durations = db
    .prepare(
      `SELECT COUNT(*) AS n, COALESCE(SUM(duration_ms), 0) AS total, ${bucketColumns}
       FROM runs WHERE duration_ms IS NOT NULL`,
    )
    .get() as { n: number; total: number } & Record<string, number>;
  DURATION_BUCKETS.forEach((le, i) => {
    out.sample('gridside_run_duration_seconds_bucket', durations[`b${i}`] ?? 0, { le: String(le) });
  });
  out.sample('gridside_run_duration_seconds_bucket', durations.n, { le: '+Inf' });
  out.sample('gridside_run_duration_seconds_sum', durations.total / 1000);
  out.sample('gridside_run_duration_seconds_count', durations.n);

  const count = (status: string): number =>
    (db.prepare('SELECT COUNT(*) AS n FROM runs WHERE status = ?').get(status) as { n: number }).n;
  out.family('gridside_queue_depth', 'gauge', 'Runs waiting for a free slot to start.');
  out.sample('gridside_queue_depth', count('queued'));
  out.family('gridside_runs_running', 'gauge', 'Plugin processes running now.');
  out.sample('gridside_runs_running', count('running'));
  out.family('gridside_approvals_waiting', 'gauge', 'Runs waiting for an approver.');
  out.sample('gridside_approvals_waiting', count('pending_approval'));

  out.family('gridside_plugins', 'gauge', 'Loaded plugins, by status.');
  const plugins = new Map<string, number>();
  for (const plugin of view.registry.list()) {
    const status = pluginStatus(plugin as { available: boolean; status?: string });
    plugins.set(status, (plugins.get(status) ?? 0) + 1);
  }
  for (const [status, n] of [...plugins].sort()) out.sample('gridside_plugins', n, { status });

  out.family('gridside_audit_records', 'counter', 'Records in the audit trail.');
  out.sample(
    'gridside_audit_records',
    (db.prepare('SELECT COUNT(*) AS n FROM audit').get() as { n: number }).n,
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
  },
): void {
  app.get('/metrics', { preHandler: deps.authenticate(false) }, async (request, reply) => {
    const admin = request.caller && hasAnyRole(request.caller, ['admin']);
    const scraper = deps.metricsTokens.identify(request.headers.authorization);
    if (!admin && !scraper) {
      if (request.caller) throw new HttpError(403, 'forbidden', 'metrics need an admin or metrics token');
      throw new HttpError(401, 'unauthorized', 'send Authorization: Bearer <admin or metrics token>');
    }
    return reply.type('text/plain; version=0.0.4; charset=utf-8').send(renderMetrics(deps));
  });
}
