import type { StoredJob } from '../../../../src/background/jobs/job-record.ts';
import type { Taxonomy } from '../../../../src/core/api.ts';
import { sampleContext, succeededRun } from '../fake-orchestrator.ts';

/** A finished job as the worker stores it; every test says what differs. */
export function storedJob(
  over: {
    id: string;
    createdAt?: number;
    actionId?: string;
    actionName?: string;
    ip?: string;
    user?: string;
    alarmId?: string;
    status?: StoredJob['status'];
    stdout?: string;
    taxonomies?: Taxonomy[];
    open?: 0 | 1;
  } = { id: 'job' },
): StoredJob {
  const createdAt = over.createdAt ?? Date.UTC(2026, 10, 20, 12);
  const ip = over.ip ?? '10.1.2.3';
  const fields: Record<string, string> = { SIP: ip };
  if (over.user) fields.Login = over.user;
  const alarmId = over.alarmId;
  const rowKey = alarmId ?? `row-${over.id}`;
  const run = succeededRun(`run-${over.id}`);
  if (run.output) {
    run.output.stdout = over.stdout ?? run.output.stdout;
    if (over.taxonomies) run.output.taxonomies = over.taxonomies;
  }
  const context: StoredJob['context'] = {
    ...sampleContext,
    key: { value: rowKey, source: 'column', confidence: 'high' },
    fields,
    labels: { 'Origin IP': ip, ...(over.user ? { Login: over.user } : {}) },
  };
  if (alarmId) context.alarmId = alarmId;
  else delete context.alarmId;
  return {
    id: over.id,
    orchestratorId: 'main',
    actionId: over.actionId ?? 'whois/lookup-ip',
    actionName: over.actionName ?? 'Look up IP owner',
    params: { ip },
    context,
    runId: run.id,
    status: over.status ?? 'succeeded',
    run: {
      ...run,
      alarmId: alarmId ?? null,
      status: over.status && over.status !== 'submitting' ? over.status : run.status,
    },
    error: null,
    createdAt,
    updatedAt: createdAt + 2000,
    cachedAt: null,
    console: sampleContext.console,
    rowKey,
    open: over.open ?? 0,
    tab: null,
  };
}
