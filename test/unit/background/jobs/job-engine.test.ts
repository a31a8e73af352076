import 'fake-indexeddb/auto';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createPush } from '../../../../src/background/channels/push.ts';
import { createGridsideConnector } from '../../../../src/background/connectors/gridside.ts';
import { type GridsideDatabase, openGridsideDb } from '../../../../src/background/db.ts';
import {
  createJobEngine,
  type JobEngine,
  START_ATTEMPTS,
  type StartJob,
} from '../../../../src/background/jobs/job-engine.ts';
import { jobRecord, type StoredJob, type TabRef } from '../../../../src/background/jobs/job-record.ts';
import { createJobStore } from '../../../../src/background/jobs/job-store.ts';
import {
  createRestrictedFetch,
  fetchForOrigin,
} from '../../../../src/background/orchestrators/restricted-fetch.ts';
import { isStorageFull } from '../../../../src/background/storage-full.ts';
import { UserError } from '../../../../src/background/user-error.ts';
import { runSignature } from '../../../../src/core/api.ts';
import type { ContentPush } from '../../../../src/core/messages.ts';
import { createFakeBrowser, type FakeBrowser } from '../../../support/fake-browser.ts';
import {
  type FakeOrchestrator,
  sampleAction,
  sampleContext,
  sampleRun,
  startFakeOrchestrator,
  succeededRun,
} from '../fake-orchestrator.ts';

const TAB: TabRef = { tabId: 12, frameId: 3 };
const FAST = { firstMs: 5, factor: 2, maxMs: 40 };

let server: FakeOrchestrator;
let browser: FakeBrowser;
let dbName: string;
let db: Promise<GridsideDatabase>;
const engines: JobEngine[] = [];
let dbCount = 0;

beforeEach(async () => {
  server = await startFakeOrchestrator();
  browser = createFakeBrowser();
  dbName = `gridside-jobs-test-${++dbCount}`;
  db = openGridsideDb(dbName);
});
afterEach(async () => {
  for (const engine of engines.splice(0)) engine.stop();
  (await db).close();
  await server.close();
});

/** A job engine as the worker builds one, over the shared fake-indexeddb database `dbName`. */
function newEngine(
  options: { longPoll?: boolean; database?: Promise<GridsideDatabase>; backoff?: typeof FAST } = {},
) {
  const engine = createJobEngine({
    ...newEngineDeps(options),
    store: createJobStore(options.database ?? db),
  });
  engines.push(engine);
  return engine;
}

/** What the worker gives a job engine, the store aside. */
function newEngineDeps(options: { longPoll?: boolean; backoff?: typeof FAST } = {}) {
  const restricted = createRestrictedFetch({ allowedOrigins: () => [server.origin] });
  return {
    connectorFor: async () => {
      const connector = createGridsideConnector({
        entry: { id: 'main', kind: 'gridside', name: 'Main', url: server.url, enabled: true, options: {} },
        secret: 'tok',
        fetch: fetchForOrigin(server.origin, restricted),
      });
      if (!options.longPoll) delete connector.waitForRun;
      return connector;
    },
    push: createPush(browser.tabs),
    backoff: options.backoff ?? FAST,
    longPollSeconds: 1,
  };
}

const start = (engine: JobEngine, tab: TabRef | null = TAB, more: Partial<StartJob> = {}) =>
  engine.start({
    orchestratorId: 'main',
    action: sampleAction(),
    params: { ip: '10.1.2.3' },
    context: sampleContext,
    tab,
    ...more,
  });

const pushedJobs = () =>
  browser.sent.map((s) => s.message as ContentPush).flatMap((m) => (m.type === 'job.update' ? [m.job] : []));

/** A start record with no run id: the request was made (or about to be), no answer recorded. */
const unconfirmed = (id: string): StoredJob =>
  jobRecord(
    {
      id,
      orchestratorId: 'main',
      action: { id: 'whois/lookup-ip', name: 'Look up IP owner' },
      params: {},
      context: sampleContext,
      tab: TAB,
    },
    1,
  );

describe('job engine', () => {
  it('saves the job before the start request reaches the orchestrator', async () => {
    const seenAtStart: unknown[] = [];
    server.handle(async (req) => {
      if (req.method === 'POST') {
        seenAtStart.push(...(await (await db).getAll('jobs')));
        return { status: 201, body: succeededRun() };
      }
      return { status: 404 };
    });
    const job = await start(newEngine());
    expect(seenAtStart).toHaveLength(1);
    expect(seenAtStart[0]).toMatchObject({ id: job.id, status: 'submitting', runId: null, open: 1 });
    expect(job.status).toBe('succeeded');
  });

  it('asks for the end of a read-only run the analyst waits for, and of no other', async () => {
    server.handle(() => ({ status: 201, body: succeededRun() }));
    const engine = newEngine();
    const sent = async (request: Partial<StartJob>) => {
      const job = await start(engine, TAB, request);
      expect(job.status).toBe('succeeded');
      return (server.requests.at(-1)?.body as { wait?: number } | undefined)?.wait;
    };
    expect(await sent({ answerAtEnd: true })).toBe(1);
    // Not asked for: auto-enrichment's runs, a trigger's.
    expect(await sent({})).toBeUndefined();
    // An action that changes things: its run id is recorded the moment the orchestrator takes it.
    expect(await sent({ answerAtEnd: true, action: sampleAction({ sideEffects: true }) })).toBeUndefined();
    // A batch's row: waiting on it would hold back the rows submitted after it.
    expect(await sent({ answerAtEnd: true, batch: { id: 'batch-1', order: 0 } })).toBeUndefined();
  });

  it('follows nothing when the start is answered with the run already ended', async () => {
    server.handle((req) => (req.method === 'POST' ? { status: 201, body: succeededRun() } : { status: 500 }));
    const engine = newEngine({ longPoll: true });
    const job = await start(engine, TAB, { answerAtEnd: true });
    expect(job.status).toBe('succeeded');
    expect(await engine.get(job.id)).toMatchObject({ open: 0, status: 'succeeded' });
    await engine.idle();
    expect(server.requests.map((r) => r.method)).toEqual(['POST']);
    expect(pushedJobs().at(-1)).toMatchObject({ id: job.id, status: 'succeeded' });
  });

  it('reads the connector while the start record is being written, and sends only once it is saved', async () => {
    const order: string[] = [];
    server.handle((req) => {
      if (req.method === 'POST') order.push('POST');
      return { status: 201, body: succeededRun() };
    });
    const store = createJobStore(db);
    const deps = newEngineDeps();
    let commit: () => void = () => {};
    const engine = createJobEngine({
      ...deps,
      connectorFor: () => {
        order.push('connector');
        return deps.connectorFor();
      },
      store: {
        ...store,
        put: async (job) => {
          if (job.status === 'submitting') {
            order.push('put');
            await new Promise<void>((resolve) => (commit = resolve));
            order.push('saved');
          }
          await store.put(job);
        },
      },
    });
    engines.push(engine);
    const started = start(engine);
    await expect.poll(() => order).toEqual(['connector', 'put']);
    commit();
    expect(await started).toMatchObject({ status: 'succeeded' });
    expect(order).toEqual(['connector', 'put', 'saved', 'POST']);
  });

  it('records a run it could not send when its orchestrator cannot be read, once the record is saved', async () => {
    const engine = createJobEngine({
      ...newEngineDeps(),
      connectorFor: async () => {
        throw new UserError('not_configured', 'No orchestrator is configured.');
      },
      store: createJobStore(db),
    });
    engines.push(engine);
    const job = await start(engine);
    expect(job).toMatchObject({ status: 'failed', error: { code: 'not_configured' } });
    expect(await engine.get(job.id)).toMatchObject({ status: 'failed', open: 0 });
  });

  it('polls until the run finishes and pushes every change to the tab and frame', async () => {
    let polls = 0;
    server.handle((req) => {
      if (req.method === 'POST') return { status: 201, body: sampleRun({ status: 'queued' }) };
      polls++;
      if (polls === 1) return { body: sampleRun({ status: 'queued' }) };
      if (polls === 2) return { body: sampleRun({ status: 'running' }) };
      return { body: succeededRun() };
    });
    const engine = newEngine();
    const job = await start(engine);
    await engine.idle();

    const stored = await engine.get(job.id);
    expect(stored).toMatchObject({ status: 'succeeded', runId: 'run-1', open: 0 });
    expect(stored?.run?.output?.stdout).toBe('AS64500 Example Net');
    expect(pushedJobs().map((j) => j.status)).toEqual(['queued', 'running', 'succeeded']);
    expect(browser.sent.every((s) => s.tabId === 12 && s.options?.frameId === 3)).toBe(true);
    // Worker-only fields never reach the page.
    expect(pushedJobs()[0]).not.toHaveProperty('tab');
  });

  it('tells the panel of a finished run while its record is still being written', async () => {
    server.handle((req) => {
      if (req.method === 'POST') return { status: 201, body: sampleRun({ status: 'running' }) };
      return { body: succeededRun() };
    });
    const store = createJobStore(db);
    const stalled: (() => void)[] = [];
    const engine = createJobEngine({
      ...newEngineDeps(),
      store: {
        ...store,
        // The finished run's record waits until the test lets it commit.
        put: async (job) => {
          if (job.status === 'succeeded') await new Promise<void>((resolve) => stalled.push(resolve));
          await store.put(job);
        },
        putAll: async (jobs) => {
          if (jobs.some((job) => job.status === 'succeeded'))
            await new Promise<void>((resolve) => stalled.push(resolve));
          await store.putAll(jobs);
        },
      },
    });
    engines.push(engine);
    void start(engine);
    await expect.poll(() => pushedJobs().map((j) => j.status)).toEqual(['running', 'succeeded']);
    expect(stalled).toHaveLength(1); // its write had not committed when the verdict was pushed
    for (const commit of stalled) commit();
    await engine.idle();
    expect(await store.get(pushedJobs()[0]!.id)).toMatchObject({ status: 'succeeded', open: 0 });
  });

  it('asks for the run again without waiting for a slow page to take the last change', async () => {
    let polls = 0;
    server.handle((req) => {
      if (req.method === 'POST') return { status: 201, body: sampleRun({ status: 'queued' }) };
      polls++;
      return { body: polls === 1 ? sampleRun({ status: 'running' }) : succeededRun() };
    });
    const pushed: string[] = [];
    const engine = createJobEngine({
      ...newEngineDeps(),
      store: createJobStore(db),
      // A page that never takes the message (its main thread busy for the whole test).
      push: (_tab, message) => {
        if (message.type === 'job.update') pushed.push(message.job.status);
        return new Promise<void>(() => {});
      },
    });
    engines.push(engine);
    const job = await start(engine);
    await engine.idle();
    expect(await engine.get(job.id)).toMatchObject({ status: 'succeeded', open: 0 });
    expect(pushed).toEqual(['queued', 'running', 'succeeded']);
  });

  it('finishes a job after a restart: a new engine over the same database resumes it', async () => {
    server.handle((req) => {
      if (req.method === 'POST') return { status: 201, body: sampleRun({ status: 'running' }) };
      return { body: sampleRun({ status: 'running' }) };
    });
    const first = newEngine();
    const job = await start(first);
    first.stop(); // the worker is killed mid-run
    await first.idle();
    expect((await first.get(job.id))?.status).toBe('running');

    server.handle(() => ({ body: succeededRun() }));
    const restartedDb = openGridsideDb(dbName);
    const second = newEngine({ database: restartedDb });
    expect(await second.resumeUnfinished('restart')).toBe(1);
    await second.idle();
    expect((await second.get(job.id))?.status).toBe('succeeded');
    expect(pushedJobs().at(-1)).toMatchObject({ id: job.id, status: 'succeeded' });
    (await restartedDb).close();
  });

  it('does not start a run twice when the worker died before the orchestrator answered', async () => {
    server.handle(() => ({ status: 201, body: sampleRun() }));
    const engine = newEngine();
    // What a killed worker leaves: the record, no run id.
    await (await db).put('jobs', unconfirmed('orphan'));
    await engine.resumeUnfinished('restart');
    await engine.idle();
    const job = await engine.get('orphan');
    expect(job).toMatchObject({ status: 'failed', open: 0, error: { code: 'internal' } });
    // Nothing is sent on its own: the analyst may send the same start again (its key keeps it one run).
    expect(job?.error?.sendAgain).toBe(true);
    expect(server.requests.filter((r) => r.method === 'POST')).toHaveLength(0);
  });

  it('leaves a start still waiting for the orchestrator to the worker making it, whatever resume comes meanwhile', async () => {
    let answer = () => {};
    const answered = new Promise<void>((resolve) => {
      answer = resolve;
    });
    server.handle(async (req) => {
      if (req.method !== 'POST') return { body: succeededRun() };
      await answered;
      return { status: 201, body: succeededRun() };
    });
    const engine = newEngine();
    const starting = start(engine);
    await vi.waitFor(() => expect(server.requests.some((r) => r.method === 'POST')).toBe(true));
    // The heartbeat fires while the request is on its way, and so may a resume the worker's start-up
    // scheduled before this start (the click that woke it).
    expect(await engine.resumeUnfinished('heartbeat')).toBe(0);
    expect(await engine.resumeUnfinished('restart')).toBe(0);
    answer();
    const job = await starting;
    await engine.idle();
    expect(job.status).toBe('succeeded');
    expect((await engine.get(job.id))?.status).toBe('succeeded');
    // The panel never heard that the run was lost.
    expect(
      pushedJobs()
        .filter((pushed) => pushed.id === job.id)
        .map((pushed) => pushed.status),
    ).toEqual(['succeeded']);
  });

  it('fails a start saved without a run id only when a new worker resumes it, not on a heartbeat', async () => {
    const engine = newEngine();
    // A batch row taken off its queue, its request not yet made: a record with no run id.
    await (await db).put('jobs', unconfirmed('taken-row'));
    expect(await engine.resumeUnfinished('heartbeat')).toBe(0);
    expect((await engine.get('taken-row'))?.status).toBe('submitting');
    const restarted = newEngine();
    expect(await restarted.resumeUnfinished('restart')).toBe(1);
    await restarted.idle();
    expect((await restarted.get('taken-row'))?.status).toBe('failed');
  });

  it('uses the long-poll when the engine has one, telling it which state the panel already shows', async () => {
    server.handle((req) => {
      if (req.method === 'POST') return { status: 201, body: sampleRun() };
      return { body: succeededRun() };
    });
    const engine = newEngine({ longPoll: true });
    await start(engine);
    await engine.idle();
    const seen = encodeURIComponent(runSignature(sampleRun())).replaceAll('%20', '+');
    expect(server.requests.map((r) => r.path)).toContain(`/api/v1/runs/run-1?wait=1&seen=${seen}`);
  });

  it('asks again at once when the long-poll answers early with a change, so the end shows without a pause', async () => {
    let polls = 0;
    server.handle((req) => {
      if (req.method === 'POST') return { status: 201, body: sampleRun({ status: 'queued' }) };
      polls++;
      return { body: polls === 1 ? sampleRun({ status: 'running' }) : succeededRun() };
    });
    // An interval far beyond the test's timeout: any pause between the two answers would fail the test.
    const engine = newEngine({ longPoll: true, backoff: { firstMs: 600_000, factor: 1, maxMs: 600_000 } });
    const job = await start(engine);
    await engine.idle();
    expect(await engine.get(job.id)).toMatchObject({ status: 'succeeded' });
    expect(pushedJobs().map((j) => j.status)).toEqual(['queued', 'running', 'succeeded']);
  });

  it('keeps a job whose tab was closed, and still finishes it', async () => {
    browser.closedTabs.add(TAB.tabId);
    server.handle((req) =>
      req.method === 'POST' ? { status: 201, body: sampleRun() } : { body: succeededRun() },
    );
    const engine = newEngine();
    const job = await start(engine);
    await engine.idle();
    expect((await engine.get(job.id))?.status).toBe('succeeded');
    expect(browser.sent).toHaveLength(0);
  });

  it('records a refused start as a failed job with the orchestrator’s reason', async () => {
    server.handle(() => ({
      status: 403,
      body: { error: { code: 'forbidden', message: 'analysts may not run this' } },
    }));
    const engine = newEngine();
    const job = await start(engine);
    expect(job).toMatchObject({ status: 'failed', runId: null, error: { code: 'forbidden' } });
    expect(job.error?.message).toContain('analysts may not run this');
    expect(pushedJobs().at(-1)?.status).toBe('failed');
  });

  it('sends nothing when the browser refuses the start record, and says why', async () => {
    let posts = 0;
    server.handle(() => {
      posts += 1;
      return { status: 201, body: succeededRun() };
    });
    const store = createJobStore(db);
    const engine = createJobEngine({
      ...newEngineDeps(),
      store: {
        ...store,
        put: async () => {
          throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
        },
      },
    });
    engines.push(engine);
    const refused = await start(engine).then(
      () => null,
      (error: unknown) => error,
    );
    expect(isStorageFull(refused)).toBe(true);
    expect(posts).toBe(0);
    expect(await (await db).getAll('jobs')).toEqual([]);
  });

  it('says a run was started when the browser cannot record the answer, and keeps the start record', async () => {
    server.handle((req) => {
      if (req.method === 'POST') return { status: 201, body: sampleRun({ id: 'run-77', status: 'running' }) };
      return { body: succeededRun() };
    });
    const store = createJobStore(db);
    const engine = createJobEngine({
      ...newEngineDeps(),
      store: {
        ...store,
        // The start record fits; the browser refuses everything after it, as a full disk does.
        put: async (job) => {
          if (job.status !== 'submitting')
            throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
          await store.put(job);
        },
      },
    });
    engines.push(engine);
    const refused = await start(engine).then(
      () => null,
      (error: unknown) => error,
    );
    expect(refused).toBeInstanceOf(UserError);
    expect((refused as UserError).toPanelError()).toMatchObject({
      code: 'internal',
      message: expect.stringMatching(/started on the orchestrator \(run run-77\).*could not save/),
      hint: expect.stringContaining('run history rather than starting it again'),
    });
    // What a later worker resumes from: a run may exist, so it is never sent again.
    expect(await (await db).getAll('jobs')).toEqual([
      expect.objectContaining({ status: 'submitting', runId: null, open: 1 }),
    ]);
  });

  it('keeps polling through a transient outage and says so meanwhile', async () => {
    let polls = 0;
    server.handle((req) => {
      if (req.method === 'POST') return { status: 201, body: sampleRun() };
      polls++;
      return polls <= 2
        ? { status: 503, body: { error: { code: 'internal', message: 'restarting' } } }
        : { body: succeededRun() };
    });
    const engine = newEngine();
    const job = await start(engine);
    await engine.idle();
    expect(pushedJobs().some((j) => j.error?.code === 'server_error')).toBe(true);
    expect(await engine.get(job.id)).toMatchObject({ status: 'succeeded', error: null });
  });

  it('cancels at the orchestrator', async () => {
    let canceled = false;
    server.handle((req) => {
      if (req.method === 'POST' && req.path === '/api/v1/runs')
        return { status: 201, body: sampleRun({ status: 'pending_approval' }) };
      if (req.path.endsWith('/cancel')) {
        canceled = true;
        return { body: sampleRun({ status: 'canceled' }) };
      }
      return { body: sampleRun({ status: canceled ? 'canceled' : 'pending_approval' }) };
    });
    const engine = newEngine();
    const job = await start(engine);
    const after = await engine.cancel(job.id);
    await engine.idle();
    expect(canceled).toBe(true);
    expect(after.status).toBe('canceled');
    expect(server.requests.some((r) => r.method === 'POST' && r.path === '/api/v1/runs/run-1/cancel')).toBe(
      true,
    );
  });

  it('lists a row’s unfinished and recent jobs, and only that row’s', async () => {
    server.handle((req) => (req.method === 'POST' ? { status: 201, body: succeededRun() } : { status: 404 }));
    const engine = newEngine();
    const mine = await start(engine);
    await engine.start({
      orchestratorId: 'main',
      action: sampleAction(),
      params: {},
      context: { ...sampleContext, key: { value: 'other-row', source: 'column', confidence: 'high' } },
      tab: null,
    });
    const forRow = await engine.forRow(sampleContext.console, sampleContext.key.value);
    expect(forRow.map((j) => j.id)).toEqual([mine.id]);
  });
});

describe('identical runs', () => {
  it('joins a running job instead of starting the plugin twice, and updates the newer tab', async () => {
    server.handle((req) =>
      req.method === 'POST'
        ? { status: 201, body: sampleRun({ status: 'running' }) }
        : { body: sampleRun({ status: 'running' }) },
    );
    const engine = newEngine();
    const first = await start(engine);
    const second = await start(engine, { tabId: 99, frameId: 0 });
    expect(second.id).toBe(first.id);
    expect(server.requests.filter((r) => r.method === 'POST')).toHaveLength(1);

    server.handle(() => ({ body: succeededRun() }));
    await engine.idle();
    expect(browser.sent.at(-1)).toMatchObject({
      tabId: 99,
      message: { job: { id: first.id, status: 'succeeded' } },
    });
  });

  it('starts a new run once the previous one finished', async () => {
    server.handle((req) => (req.method === 'POST' ? { status: 201, body: succeededRun() } : { status: 404 }));
    const engine = newEngine();
    const first = await start(engine);
    const second = await start(engine);
    expect(second.id).not.toBe(first.id);
    expect(server.requests.filter((r) => r.method === 'POST')).toHaveLength(2);
  });
});

describe('a start whose answer is lost', () => {
  const disable = sampleAction({
    id: 'ad/disable',
    name: 'Disable Account and Revoke Sessions',
    sideEffects: true,
    cacheTtlSeconds: 0,
    approval: { levels: 1, quorum: 1, approverRoles: ['approver'] },
  });
  const startDisable = (engine: JobEngine, login: string) =>
    start(engine, TAB, { action: disable, params: { login } });
  const starts = () => server.requests.filter((r) => r.method === 'POST');
  const keyOf = (request: { body: unknown }) => (request.body as { idempotencyKey?: string }).idempotencyKey;

  /**
   * Answers as an orchestrator that keeps start keys: a key it has seen gets the run it started, with the
   * key on it. `lose` says which start requests (counted from 1) arrive but have their answer lost.
   */
  function keepingKeys(lose: (nth: number) => boolean, keyOnRuns = true) {
    const byKey = new Map<string, ReturnType<typeof sampleRun>>();
    let nth = 0;
    const runFor = (start: { idempotencyKey?: string }) => {
      const key = start.idempotencyKey ?? `none-${nth}`;
      let run = byKey.get(key);
      if (!run) {
        run = sampleRun({
          id: `run-${byKey.size + 1}`,
          status: 'pending_approval',
          ...(keyOnRuns && start.idempotencyKey ? { idempotencyKey: key } : {}),
        });
        byKey.set(key, run);
      }
      return run;
    };
    server.handle((req) => {
      if (req.method === 'GET') {
        const run = [...byKey.values()].find((r) => req.path.startsWith(`/api/v1/runs/${r.id}`));
        return run ? { body: run, delayMs: 200 } : { status: 404 };
      }
      const lost = lose(++nth);
      if (req.path === '/api/v1/runs/many') {
        const runs = (req.body as { runs: { idempotencyKey?: string }[] }).runs.map(runFor);
        return lost ? { drop: true } : { body: { results: runs.map((run) => ({ run })) } };
      }
      const run = runFor(req.body as { idempotencyKey?: string });
      return lost ? { drop: true } : { status: 201, body: run };
    });
    return byKey;
  }

  it('sends the job id as the key of every start', async () => {
    keepingKeys(() => false);
    const engine = newEngine();
    const job = await start(engine);
    expect(keyOf(starts()[0]!)).toBe(job.id);
  });

  it('sends a side effect’s start again with the same key, and follows the one run it started', async () => {
    const runs = keepingKeys((nth) => nth === 2);
    const engine = newEngine();
    // An earlier start's answer showed the orchestrator keeps keys.
    await startDisable(engine, 'first');
    const job = await startDisable(engine, 'jdoe');
    expect(job).toMatchObject({ status: 'pending_approval', runId: 'run-2', error: null });
    const mine = starts().filter((r) => keyOf(r) === job.id);
    expect(mine).toHaveLength(2);
    expect(runs.size).toBe(2);
  });

  it('says a side effect may have started when no answer came after its attempts, not a plain failure', async () => {
    keepingKeys((nth) => nth > 1);
    const engine = newEngine();
    await startDisable(engine, 'first');
    const job = await startDisable(engine, 'jdoe');
    expect(starts().filter((r) => keyOf(r) === job.id)).toHaveLength(START_ATTEMPTS);
    expect(job.status).toBe('failed');
    expect(job.error?.message).toMatch(
      /^Disable Account and Revoke Sessions may have started on the orchestrator: its start was sent, but no answer came back\./,
    );
    expect(job.error).toMatchObject({
      sendAgain: true,
      hint: 'Send it again: the orchestrator answers with the run if it started, and starts it once if it did not.',
    });
  });

  it('sends the same start again on the analyst’s word, and follows the one run it made', async () => {
    let answering = false;
    const runs = keepingKeys((nth) => nth > 1 && !answering);
    const engine = newEngine();
    await startDisable(engine, 'first');
    const lost = await startDisable(engine, 'jdoe');
    expect(lost.error?.sendAgain).toBe(true);
    // Every lost attempt reached the orchestrator, which made one run for the key.
    expect(runs.size).toBe(2);
    answering = true;
    const resent = await engine.resend(lost.id, disable, TAB);
    expect(resent).toMatchObject({ id: lost.id, status: 'pending_approval', runId: 'run-2', error: null });
    expect(starts().at(-1)!.body).toMatchObject({ idempotencyKey: lost.id, params: { login: 'jdoe' } });
    expect(runs.size).toBe(2);
    // Sent again once it has its run: refused, so a second click cannot start anything.
    await expect(engine.resend(lost.id, disable, TAB)).rejects.toMatchObject({ code: 'conflict' });
  });

  it('offers to send again a start a restarted worker never heard back about, and sends it under its key', async () => {
    const made = new Map<string, ReturnType<typeof sampleRun>>();
    server.handle((req) => {
      // The catalog says keys are kept: a worker that has just woken learns it there.
      if (req.method === 'GET' && req.path.startsWith('/api/v1/actions')) {
        return { body: { actions: [disable], startKeys: true } };
      }
      if (req.method === 'GET') {
        const run = [...made.values()].find((r) => req.path.startsWith(`/api/v1/runs/${r.id}`));
        return run ? { body: run } : { status: 404 };
      }
      const key = keyOf(req)!;
      const run =
        made.get(key) ??
        sampleRun({ id: `run-${made.size + 1}`, status: 'pending_approval', idempotencyKey: key });
      made.set(key, run);
      return { status: 201, body: run };
    });
    // What a worker killed mid-start leaves: the record, no run id.
    const record = jobRecord(
      {
        id: 'orphan-disable',
        orchestratorId: 'main',
        action: { id: disable.id, name: disable.name },
        params: { login: 'jdoe' },
        context: sampleContext,
        tab: TAB,
      },
      1,
    );
    await (await db).put('jobs', record);
    const engine = newEngine();
    await engine.resumeUnfinished('restart');
    await engine.idle();
    expect(await engine.get('orphan-disable')).toMatchObject({
      status: 'failed',
      error: {
        message: 'Gridside was restarted before the orchestrator confirmed this run.',
        sendAgain: true,
      },
    });
    const resent = await engine.resend('orphan-disable', disable, TAB);
    expect(resent).toMatchObject({ status: 'pending_approval', runId: 'run-1', error: null });
    expect(starts().map(keyOf)).toEqual(['orphan-disable']);
  });

  it('sends a side effect’s start once to an orchestrator not known to keep keys, and says it may have started', async () => {
    // An orchestrator from before keys: its runs never carry the key, so sending again could start another.
    keepingKeys((nth) => nth === 2, false);
    const engine = newEngine();
    await startDisable(engine, 'first');
    const job = await startDisable(engine, 'jdoe');
    expect(starts().filter((r) => keyOf(r) === job.id)).toHaveLength(1);
    expect(job.status).toBe('failed');
    expect(job.error?.message).toContain('may have started');
    expect(job.error?.hint).toBe("Check the orchestrator's run history before running it again.");
    expect(job.error?.sendAgain).toBeUndefined();
    await expect(engine.resend(job.id, disable, TAB)).rejects.toMatchObject({ code: 'conflict' });
    expect(starts().filter((r) => keyOf(r) === job.id)).toHaveLength(1);
  });

  it('leaves a read-only lookup as it was: sent once, its failure said plainly', async () => {
    keepingKeys((nth) => nth === 2);
    const engine = newEngine();
    await startDisable(engine, 'first');
    const job = await start(engine);
    expect(starts().filter((r) => keyOf(r) === job.id)).toHaveLength(1);
    expect(job).toMatchObject({ status: 'failed', error: { code: 'unreachable' } });
    expect(job.error?.message).not.toContain('may have started');
  });

  it('sends a batch’s starts again together, each with its row’s key, and starts each row once', async () => {
    const runs = keepingKeys((nth) => nth === 2);
    const engine = newEngine();
    await startDisable(engine, 'first');
    const rows = ['a', 'b'].map((login, order) => ({
      id: `row-${login}`,
      orchestratorId: 'main',
      action: disable,
      params: { login },
      context: { ...sampleContext, key: { ...sampleContext.key, value: `row-${login}` } },
      tab: TAB,
      batch: { id: 'batch-1', order },
    }));
    const answers = await engine.startMany(rows);
    expect(answers).toMatchObject([
      { id: 'row-a', status: 'pending_approval' },
      { id: 'row-b', status: 'pending_approval' },
    ]);
    const many = starts().filter((r) => r.path === '/api/v1/runs/many');
    expect(many).toHaveLength(2);
    for (const request of many) {
      expect(
        (request.body as { runs: { idempotencyKey?: string }[] }).runs.map((run) => run.idempotencyKey),
      ).toEqual(['row-a', 'row-b']);
    }
    expect(runs.size).toBe(3);
  });
});
