import 'fake-indexeddb/auto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  type AutoEnrichService,
  BUSY_RETRY_MS,
  createAutoEnrich,
} from '../../../../src/background/auto-enrich/auto-enrich.ts';
import { type SessionArea, sessionBudgetKeeper } from '../../../../src/background/auto-enrich/budget.ts';
import { type GridsideDatabase, openGridsideDb } from '../../../../src/background/db.ts';
import { createRunCache, type RunCache } from '../../../../src/background/jobs/cache.ts';
import { createJobEngine, type JobEngine } from '../../../../src/background/jobs/job-engine.ts';
import { createJobStore } from '../../../../src/background/jobs/job-store.ts';
import type { Action } from '../../../../src/core/api.ts';
import type { AutoEnrichConsole } from '../../../../src/core/auto-enrich.ts';
import type { RowContext } from '../../../../src/core/row-context.ts';
import { DEFAULT_SETTINGS, type Settings } from '../../../../src/core/settings.ts';
import { sampleAction, sampleContext } from '../fake-orchestrator.ts';
import { type FakeConnector, fakeConnector } from '../history/fake-connector.ts';

/**
 * The worker's bounds on in-grid auto-enrichment, over the real job engine and result cache with an
 * in-memory orchestrator: only public IPs by the rule, one run per distinct value, the cache first, the
 * budget per minute, the cap on runs at once, and actions the catalog does not call read-only refused.
 */

const CONSOLE = sampleContext.console;
const ENTRY = {
  id: 'main',
  kind: 'gridside',
  name: 'Main',
  url: 'https://orch.example',
  enabled: true,
  options: {},
} as const;

let count = 0;
let db: Promise<GridsideDatabase>;
let clock: number;
let connector: FakeConnector;
let engine: JobEngine;
let cache: RunCache;
let catalogAction: Action;
let config: AutoEnrichConsole;
let service: AutoEnrichService;

beforeEach(() => {
  db = openGridsideDb(`gridside-auto-enrich-test-${++count}`);
  clock = Date.UTC(2026, 11, 4, 9);
  catalogAction = sampleAction({ sideEffects: false, cacheTtlSeconds: 300 });
  config = {
    enabled: true,
    rules: [{ field: 'SIP', when: 'public-ip', actionId: catalogAction.id }],
    perMinute: 30,
    concurrency: 4,
  };
  build();
});
afterEach(async () => {
  engine.stop();
  (await db).close();
});

function build(options: { finishAtOnce?: boolean } = {}) {
  connector = fakeConnector(options);
  const store = createJobStore(db);
  engine = createJobEngine({
    store,
    connectorFor: async () => connector,
    push: async () => {},
    now: () => clock,
  });
  cache = createRunCache({ db, store, engine, now: () => clock });
  const settings = async (): Promise<Settings> => ({
    ...DEFAULT_SETTINGS,
    orchestrators: [ENTRY],
    consoles: [CONSOLE],
    autoEnrich: { [CONSOLE]: config },
  });
  sessionStorage = new Map();
  restartWorker = () => {
    service = createAutoEnrich({
      settings,
      defaultEntry: async () => ENTRY,
      action: async (_id, actionId) => (actionId === catalogAction.id ? catalogAction : undefined),
      runs: cache,
      job: (jobId) => engine.get(jobId),
      budgets: sessionBudgetKeeper(sessionArea),
      now: () => clock,
    });
  };
  restartWorker();
}

/** The browser's session storage: it outlives the worker; values go through structured cloning. */
let sessionStorage = new Map<string, unknown>();
const sessionArea: SessionArea = {
  async get(key) {
    return sessionStorage.has(key) ? { [key]: structuredClone(sessionStorage.get(key)) } : {};
  },
  async set(items) {
    for (const [key, value] of Object.entries(items)) sessionStorage.set(key, structuredClone(value));
  },
};
/** A new worker, as the browser starts after stopping an idle one: nothing of the old one's memory. */
let restartWorker: () => void;

function row(key: string, ip: string): RowContext {
  return {
    ...sampleContext,
    kind: 'log',
    key: { value: key, source: 'column', confidence: 'high' },
    alarmId: undefined,
    fields: { SIP: ip },
    labels: {},
  };
}

const sentIps = () => connector.starts.map((start) => start.params.ip);

describe('auto-enrichment in the worker', () => {
  it('runs the rule for public IPs only, once per distinct value, and marks every row that has it', async () => {
    const rows = [
      row('1', '185.220.101.7'),
      row('2', '10.0.0.8'),
      row('3', '185.220.101.7'),
      row('4', '192.168.1.20'),
      row('5', '45.155.205.99'),
    ];
    const answer = await service.propose(CONSOLE, rows);
    expect(sentIps()).toEqual(['185.220.101.7', '45.155.205.99']);
    expect(answer).toMatchObject({ started: 2, shared: 1, waiting: 0, retryAfterMs: null });

    // Proposed again (the next scroll rest): nothing new is sent for rows already enriched.
    expect(await service.propose(CONSOLE, rows)).toMatchObject({ started: 0, shared: 0, waiting: 0 });
    expect(connector.starts).toHaveLength(2);

    const marks = await service.marks(
      CONSOLE,
      rows.map((r) => ({ key: r.key.value, kind: r.kind })),
    );
    expect(Object.keys(marks).sort()).toEqual(['log:1', 'log:3', 'log:5']);
    expect(marks['log:1']?.runId).toBe(marks['log:3']?.runId);
    expect(marks['log:1']?.status).toBe('running');
    expect(marks['log:1']?.rule).toContain('SIP is a public IP → Look up IP owner');
    expect((await service.status(CONSOLE)).spent).toBe(2);
  });

  it("says each rule with its action's name, as the options page does; by id when the catalog cannot say", async () => {
    config = {
      ...config,
      rules: [...config.rules, { field: 'DIP', when: 'present', actionId: 'gone/removed-action' }],
    };
    build();
    expect((await service.status(CONSOLE)).rules).toEqual([
      'SIP is a public IP → Look up IP owner',
      expect.stringMatching(/^DIP .* → gone\/removed-action$/),
    ]);
  });

  it('keeps to the budget per minute, and says when the waiting rows may be proposed again', async () => {
    config = { ...config, perMinute: 2 };
    build({ finishAtOnce: true });
    const rows = [row('1', '8.8.8.8'), row('2', '1.1.1.1'), row('3', '9.9.9.9')];
    const first = await service.propose(CONSOLE, rows);
    expect(first).toMatchObject({ started: 2, waiting: 1 });
    expect(first.retryAfterMs).toBe(60_000);
    expect(sentIps()).toEqual(['8.8.8.8', '1.1.1.1']);
    expect(await service.status(CONSOLE)).toMatchObject({ spent: 2, perMinute: 2 });

    clock += 30_000;
    expect(await service.propose(CONSOLE, rows)).toMatchObject({
      started: 0,
      waiting: 1,
      retryAfterMs: 30_000,
    });
    clock += 30_000;
    expect(await service.propose(CONSOLE, rows)).toMatchObject({ started: 1, waiting: 0 });
    expect(sentIps()).toEqual(['8.8.8.8', '1.1.1.1', '9.9.9.9']);
  });

  it('serves two tabs’ proposals one after another, so together they keep to the budget', async () => {
    config = { ...config, perMinute: 1 };
    build();
    const [a, b] = await Promise.all([
      service.propose(CONSOLE, [row('1', '8.8.8.8')]),
      service.propose(CONSOLE, [row('2', '1.1.1.1')]),
    ]);
    expect(a.started + b.started).toBe(1);
    expect(a.waiting + b.waiting).toBe(1);
    expect(connector.starts).toHaveLength(1);
  });

  it('runs at most `concurrency` at once; a slot freed by a finished run is used at the next proposal', async () => {
    config = { ...config, concurrency: 1 };
    build();
    const rows = [row('1', '8.8.8.8'), row('2', '1.1.1.1')];
    expect(await service.propose(CONSOLE, rows)).toMatchObject({
      started: 1,
      waiting: 1,
      retryAfterMs: BUSY_RETRY_MS,
    });
    expect(await service.propose(CONSOLE, rows)).toMatchObject({ started: 0, waiting: 1 });
    connector.finish('run-1');
    await engine.idle();
    expect(await service.propose(CONSOLE, rows)).toMatchObject({ started: 1, waiting: 0 });
    expect(sentIps()).toEqual(['8.8.8.8', '1.1.1.1']);
  });

  it('keeps the minute’s budget when the browser restarts its worker', async () => {
    config = { ...config, perMinute: 2 };
    build({ finishAtOnce: true });
    const rows = [row('1', '8.8.8.8'), row('2', '1.1.1.1'), row('3', '9.9.9.9')];
    expect(await service.propose(CONSOLE, rows)).toMatchObject({ started: 2, waiting: 1 });

    clock += 20_000;
    restartWorker();
    expect((await service.status(CONSOLE)).spent).toBe(2);
    expect(await service.propose(CONSOLE, [row('3', '9.9.9.9')])).toMatchObject({
      started: 0,
      waiting: 1,
      retryAfterMs: 40_000,
    });
    clock += 40_000;
    expect(await service.propose(CONSOLE, [row('3', '9.9.9.9')])).toMatchObject({ started: 1 });
    expect(sentIps()).toEqual(['8.8.8.8', '1.1.1.1', '9.9.9.9']);
  });

  it('keeps counting the runs still going when the browser restarts its worker', async () => {
    config = { ...config, concurrency: 1 };
    build();
    const rows = [row('1', '8.8.8.8'), row('2', '1.1.1.1')];
    expect(await service.propose(CONSOLE, rows)).toMatchObject({ started: 1, waiting: 1 });

    restartWorker();
    // Row 1 finds its run still going; row 2 waits for it to end.
    expect(await service.propose(CONSOLE, rows)).toMatchObject({ started: 0, shared: 1, waiting: 1 });
    expect((await service.status(CONSOLE)).running).toBe(1);
    connector.finish('run-1');
    await engine.idle();
    expect(await service.propose(CONSOLE, rows)).toMatchObject({ started: 1 });
    expect(sentIps()).toEqual(['8.8.8.8', '1.1.1.1']);
  });

  it('charges nothing for a row proposed again after a restart that joins its run still going', async () => {
    build();
    expect(await service.propose(CONSOLE, [row('1', '8.8.8.8')])).toMatchObject({ started: 1 });

    restartWorker();
    expect(await service.propose(CONSOLE, [row('1', '8.8.8.8')])).toMatchObject({ started: 0, shared: 1 });
    expect(await service.status(CONSOLE)).toMatchObject({ spent: 1, running: 1 });
    expect(connector.starts).toHaveLength(1);
  });

  it('finds the run it made for these values after a restart, for an action with no cache time', async () => {
    catalogAction = { ...catalogAction, cacheTtlSeconds: 0 };
    build({ finishAtOnce: true });
    expect(await service.propose(CONSOLE, [row('1', '8.8.8.8')])).toMatchObject({ started: 1 });

    restartWorker();
    // The same row after a scroll, and another row with the same value: the finished run answers both.
    expect(await service.propose(CONSOLE, [row('1', '8.8.8.8'), row('2', '8.8.8.8')])).toMatchObject({
      started: 0,
      shared: 2,
    });
    expect(sentIps()).toEqual(['8.8.8.8']);
  });

  it('starts a fresh budget when the stored one cannot be read, rather than stopping for good', async () => {
    config = { ...config, perMinute: 1 };
    build({ finishAtOnce: true });
    sessionStorage.set(`autoEnrichBudget:${CONSOLE}`, { sentAt: 'yesterday', going: [42] });
    expect(await service.propose(CONSOLE, [row('1', '8.8.8.8')])).toMatchObject({ started: 1 });
    expect(sessionStorage.get(`autoEnrichBudget:${CONSOLE}`)).toMatchObject({ sentAt: [clock], going: [] });
  });

  it('answers from the result cache first, spending no budget', async () => {
    config = { ...config, perMinute: 1 };
    build({ finishAtOnce: true });
    // The analyst ran it for 8.8.8.8 by hand a minute ago: its answer is in the read-only cache.
    await cache.start({
      orchestratorId: ENTRY.id,
      action: catalogAction,
      params: { ip: '8.8.8.8' },
      context: row('0', '8.8.8.8'),
      tab: null,
    });
    clock += 60_000;
    const answer = await service.propose(CONSOLE, [row('1', '8.8.8.8'), row('2', '1.1.1.1')]);
    expect(answer).toMatchObject({ started: 1, shared: 1, waiting: 0 });
    expect(sentIps()).toEqual(['8.8.8.8', '1.1.1.1']); // the first by hand, the second by the rule
    const marks = await service.marks(CONSOLE, [{ key: '1', kind: 'log' }]);
    expect(marks['log:1']?.status).toBe('succeeded');
    expect((await service.status(CONSOLE)).spent).toBe(1);
  });

  it('refuses an action the catalog does not call read-only, whatever the saved rule says', async () => {
    catalogAction = { ...catalogAction, sideEffects: true };
    const answer = await service.propose(CONSOLE, [row('1', '8.8.8.8')]);
    expect(answer).toMatchObject({ started: 0, shared: 0, waiting: 0 });
    expect(connector.starts).toHaveLength(0);
    expect(await service.marks(CONSOLE, [{ key: '1', kind: 'log' }])).toEqual({});
  });

  it('does nothing when switched off or for another console, and then reads no fields', async () => {
    config = { ...config, enabled: false };
    expect(await service.fields(CONSOLE)).toEqual({ fields: [] });
    expect((await service.propose(CONSOLE, [row('1', '8.8.8.8')])).started).toBe(0);
    config = { ...config, enabled: true };
    expect(await service.fields(CONSOLE)).toEqual({ fields: ['SIP'] });
    const elsewhere = { ...row('2', '1.1.1.1'), console: 'https://other.example' };
    expect((await service.propose(CONSOLE, [elsewhere])).started).toBe(0);
    expect(await service.fields('https://other.example')).toEqual({ fields: [] });
    expect(connector.starts).toHaveLength(0);
  });
});
