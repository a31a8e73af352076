import { openDB } from 'idb';

/**
 * The worker database as each earlier release of Gridside left it, with records in the shapes those
 * releases wrote. Source: the repository's own history of src/background/db.ts, src/core/messages.ts
 * (JobSchema), src/core/api.ts (RunSchema) and src/core/pins.ts (PinSchema) at the release that introduced
 * each version:
 *   version 1: secrets and durable jobs (tokens stored as bare strings, before they were bound to an origin);
 *   version 2: pins, and tokens bound to the origin they were entered for.
 * The records are written as plain objects, never through today's code, so a field today's code expects
 * but an old release never wrote shows up as a failure.
 */

export const CONSOLE = 'https://siem.example.com';
const ORCHESTRATOR = 'main';

function oldRowContext(key: string, sip: string) {
  return {
    console: CONSOLE,
    kind: 'alarm',
    key: { value: key, source: 'column', confidence: 'high' },
    alarmId: key,
    fields: { SIP: sip, AlarmId: key },
    labels: { 'Alarm ID': key, 'Origin IP': sip },
    missing: [],
    truncated: [],
  };
}

/** A finished job as the first release stored it: its run, output and verdict included. */
export function v1FinishedJob(id: string, key: string, sip: string, createdAt: number) {
  return {
    id,
    orchestratorId: ORCHESTRATOR,
    actionId: 'ip-reputation/check',
    actionName: 'IP Reputation : Origin IP',
    params: { IP: sip },
    context: oldRowContext(key, sip),
    runId: `run-${id}`,
    status: 'succeeded',
    run: {
      id: `run-${id}`,
      actionId: 'ip-reputation/check',
      actionName: 'IP Reputation : Origin IP',
      status: 'succeeded',
      requestedBy: 'alice',
      params: { IP: sip },
      alarmId: key,
      rowKey: key,
      approvals: [],
      output: {
        stdout: `reputation of ${sip}: listed on 2 of 9 lists\n`,
        stderr: '',
        exitCode: 0,
        truncated: false,
        taxonomies: [{ level: 'suspicious', namespace: 'IPRep', predicate: 'Lists', value: '2/9' }],
      },
      reason: null,
      timing: {
        createdAt: new Date(createdAt).toISOString(),
        startedAt: new Date(createdAt + 10).toISOString(),
        finishedAt: new Date(createdAt + 900).toISOString(),
        durationMs: 890,
      },
    },
    error: null,
    createdAt,
    updatedAt: createdAt + 900,
    cachedAt: null,
    console: CONSOLE,
    rowKey: key,
    open: 0,
    tab: { tabId: 7, frameId: 0 },
  };
}

/** A job the orchestrator had accepted but not finished when the old release was closed. */
export function v1RunningJob(id: string, key: string, sip: string, createdAt: number) {
  const finished = v1FinishedJob(id, key, sip, createdAt);
  return {
    ...finished,
    status: 'running',
    run: {
      ...finished.run,
      status: 'running',
      output: null,
      timing: { ...finished.run.timing, finishedAt: null, durationMs: null },
    },
    updatedAt: createdAt + 20,
    open: 1,
  };
}

/** A pin as version 2 stored it: the job's result kept beside its alarm. */
export function v2Pin(job: ReturnType<typeof v1FinishedJob>, note: string, pinnedAt: number) {
  return {
    id: `pin:${job.id}`,
    console: CONSOLE,
    rowKey: job.rowKey,
    kind: 'alarm',
    alarmId: job.rowKey,
    jobId: job.id,
    actionId: job.actionId,
    actionName: job.actionName,
    orchestratorId: job.orchestratorId,
    status: 'succeeded',
    verdicts: job.run.output.taxonomies,
    summary: job.run.output.stdout,
    output: job.run.output,
    pinnedBy: 'alice',
    pinnedAt,
    note,
  };
}

/** Creates the version-1 database: the secrets store and the jobs store with its first two indexes. */
export async function writeVersion1(
  name: string,
  records: { jobs: object[]; secret: string },
): Promise<void> {
  const db = await openDB(name, 1, {
    upgrade(d) {
      d.createObjectStore('secrets');
      const jobs = d.createObjectStore('jobs', { keyPath: 'id' });
      jobs.createIndex('byRow', ['console', 'rowKey']);
      jobs.createIndex('byOpen', 'open');
    },
  });
  for (const job of records.jobs) await db.put('jobs', job);
  await db.put('secrets', records.secret, ORCHESTRATOR);
  db.close();
}

/** Creates the version-2 database: version 1 plus the pins store, tokens bound to their origin. */
export async function writeVersion2(
  name: string,
  records: { jobs: object[]; pins: object[]; secret: { secret: string; origin: string } },
): Promise<void> {
  const db = await openDB(name, 2, {
    upgrade(d) {
      d.createObjectStore('secrets');
      const jobs = d.createObjectStore('jobs', { keyPath: 'id' });
      jobs.createIndex('byRow', ['console', 'rowKey']);
      jobs.createIndex('byOpen', 'open');
      const pins = d.createObjectStore('pins', { keyPath: 'id' });
      pins.createIndex('byRow', ['console', 'rowKey']);
    },
  });
  for (const job of records.jobs) await db.put('jobs', job);
  for (const pin of records.pins) await db.put('pins', pin);
  await db.put('secrets', records.secret, ORCHESTRATOR);
  db.close();
}
