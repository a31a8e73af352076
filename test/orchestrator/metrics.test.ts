import Database from 'better-sqlite3';
import parsePrometheusTextFormat, { type PrometheusFamily } from 'parse-prometheus-text-format';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { type OrchestratorHandle, startOrchestrator } from '../support/orchestrator-process.ts';
import { baseConfig, client, PLUGINS, rowContext, sleeperPids, TOKENS } from './setup.ts';

/**
 * `GET /metrics` read the way Prometheus reads it (a Prometheus text-format parser), against a real
 * orchestrator with runs that succeeded, one running, one queued behind it, one waiting for approval and a
 * syslog receiver that is not there.
 */

const SCRAPER = 'prometheus-scraper-token-0123456789';
let orch: OrchestratorHandle;

beforeAll(async () => {
  const config = baseConfig({
    concurrency: 1,
    metrics: { tokens: [{ name: 'prometheus', token: SCRAPER }] },
    // Nothing listens here: the records wait, and the backlog shows.
    syslog: { host: '127.0.0.1', port: 9, maxRetryMs: 200 },
  });
  (config.actions as Record<string, unknown>)['test-sleeper/sleep-with-helper'] = { timeoutSeconds: 120 };
  orch = await startOrchestrator({ plugins: PLUGINS, config });
});
afterAll(async () => {
  await orch.stop();
  orch.cleanup();
});

const scrape = (token?: string) =>
  fetch(`${orch.url}/metrics`, { headers: token ? { authorization: `Bearer ${token}` } : {} });

const family = (families: PrometheusFamily[], name: string): PrometheusFamily => {
  const found = families.find((f) => f.name === name);
  if (!found) throw new Error(`no metric family ${name}`);
  return found;
};
const single = (families: PrometheusFamily[], name: string): number =>
  Number(family(families, name).metrics[0]?.value);

it('exposes runs, durations, queue, approvals, syslog backlog and plugins in the Prometheus text format', async () => {
  const alice = client(orch, TOKENS.alice);
  for (let n = 0; n < 3; n++) {
    const done = await alice.run('test-echo/echo-row', {}, rowContext({ AlarmId: String(n) }));
    expect(done.body.status).toBe('succeeded');
  }
  const needsApproval = await alice.post('/api/v1/runs', {
    actionId: 'test-echo/disable-account',
    params: {},
    context: rowContext({ Login: 'jdoe' }),
  });
  expect(needsApproval.body.status).toBe('pending_approval');
  const slow = await alice.post('/api/v1/runs', {
    actionId: 'test-sleeper/sleep-with-helper',
    params: { seconds: '60' },
    context: rowContext({}),
  });
  await sleeperPids(slow.body.id); // running now, holding the only slot
  const queued = await alice.post('/api/v1/runs', {
    actionId: 'test-echo/echo-row',
    params: {},
    context: rowContext({ AlarmId: 'q' }),
  });
  expect(queued.body.status).toBe('queued');

  const response = await scrape(SCRAPER);
  expect(response.status).toBe(200);
  expect(response.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
  const families = parsePrometheusTextFormat(await response.text());

  const runs = family(families, 'gridside_runs');
  expect(runs.type).toBe('GAUGE');
  const runsOf = (action: string, status: string) =>
    Number(runs.metrics.find((m) => m.labels?.action === action && m.labels.status === status)?.value ?? 0);
  expect(runsOf('test-echo/echo-row', 'succeeded')).toBe(3);
  expect(runsOf('test-echo/echo-row', 'queued')).toBe(1);
  expect(runsOf('test-echo/disable-account', 'pending_approval')).toBe(1);
  expect(runsOf('test-sleeper/sleep-with-helper', 'running')).toBe(1);

  const durations = family(families, 'gridside_run_duration_seconds');
  expect(durations.type).toBe('HISTOGRAM');
  const histogram = durations.metrics[0]!;
  expect(Number(histogram.count)).toBe(3); // the finished runs; running and waiting ones have no duration
  expect(Number(histogram.buckets?.['+Inf'])).toBe(3);
  expect(Number(histogram.sum)).toBeGreaterThan(0);
  // Cumulative buckets never decrease, read in the order of their bounds.
  const counts = Object.entries(histogram.buckets ?? {})
    .sort(([a], [b]) => Number(a === '+Inf' ? Infinity : a) - Number(b === '+Inf' ? Infinity : b))
    .map(([, count]) => Number(count));
  expect(counts).toEqual([...counts].sort((a, b) => a - b));

  expect(single(families, 'gridside_queue_depth')).toBe(1);
  expect(single(families, 'gridside_runs_running')).toBe(1);
  expect(single(families, 'gridside_approvals_waiting')).toBe(1);
  expect(single(families, 'gridside_syslog_connected')).toBe(0);
  const audit = single(families, 'gridside_audit_records');
  expect(single(families, 'gridside_syslog_backlog')).toBe(audit);
  expect(audit).toBeGreaterThan(5);
  const plugins = family(families, 'gridside_plugins').metrics;
  expect(plugins.reduce((sum, m) => sum + Number(m.value), 0)).toBeGreaterThanOrEqual(3);
  expect(plugins.every((m) => typeof m.labels?.status === 'string')).toBe(true);

  await alice.post(`/api/v1/runs/${slow.body.id}/cancel`);
});

it('counts plugins by the status the plugin API gives them, so an alert tells a modified plugin from a disabled one', async () => {
  const admin = client(orch, TOKENS.dave);
  const byStatus = async () => {
    const text = await (await scrape(SCRAPER)).text();
    const samples = family(parsePrometheusTextFormat(text), 'gridside_plugins').metrics;
    return Object.fromEntries(samples.map((m) => [m.labels?.status, Number(m.value)]));
  };
  const listed = async () => {
    const counts: Record<string, number> = { trusted: 0, unsigned: 0, modified: 0, disabled: 0 };
    for (const plugin of (await admin.get('/api/v1/plugins')).body.plugins as { status: string }[])
      counts[plugin.status] = (counts[plugin.status] ?? 0) + 1;
    return counts;
  };
  const before = await byStatus();
  expect(before).toEqual(await listed());
  expect(before.disabled).toBe(0);

  expect((await admin.post('/api/v1/plugins/test-echo/disable')).status).toBe(200);
  try {
    const after = await byStatus();
    expect(after).toEqual(await listed());
    expect(after.disabled).toBe(1);
  } finally {
    await admin.post('/api/v1/plugins/test-echo/enable');
  }
});

it('answers admin and metrics tokens only', async () => {
  expect((await scrape(TOKENS.dave)).status).toBe(200);
  expect((await scrape()).status).toBe(401);
  expect((await scrape(TOKENS.alice)).status).toBe(403);
  // A metrics token reads metrics and nothing else.
  expect((await client(orch, SCRAPER).get('/api/v1/runs')).status).toBe(401);
});

it('counts wrong tokens per address as the API does, and audits the 429s once a minute', async () => {
  const statuses: number[] = [];
  // The limit is 600 a minute per address for requests without a valid token (the tests above spent some).
  for (let n = 0; n < 650; n++) statuses.push((await scrape('not-a-token-0123456789')).status);
  const throttled = statuses.indexOf(429);
  expect(throttled).toBeGreaterThan(500);
  expect(statuses.slice(0, throttled).every((status) => status === 401)).toBe(true);
  expect(statuses.slice(throttled).every((status) => status === 429)).toBe(true);

  const db = new Database(orch.db, { readonly: true });
  try {
    const refusals = db
      .prepare(
        `SELECT outcome FROM audit WHERE event = 'request.refused' AND outcome LIKE '% GET /metrics: %'`,
      )
      .all() as { outcome: string }[];
    expect(refusals.filter((r) => r.outcome.startsWith('429 '))).toHaveLength(1);
  } finally {
    db.close();
  }
  // The scraper's and the admin's own tokens are not strangers': they still read.
  expect((await scrape(SCRAPER)).status).toBe(200);
  expect((await scrape(TOKENS.dave)).status).toBe(200);
});
