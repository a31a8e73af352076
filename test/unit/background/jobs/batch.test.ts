import 'fake-indexeddb/auto';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { type GridsideDatabase, openGridsideDb } from '../../../../src/background/db.ts';
import {
  BATCH_CONCURRENCY,
  batchFailedRow,
  createBatchRunner,
  createJobEndings,
} from '../../../../src/background/jobs/batch.ts';
import { createRunCache } from '../../../../src/background/jobs/cache.ts';
import { createJobEngine, type JobEngine } from '../../../../src/background/jobs/job-engine.ts';
import { type TabRef, toJob } from '../../../../src/background/jobs/job-record.ts';
import { createJobStore } from '../../../../src/background/jobs/job-store.ts';
import type { ContentPush } from '../../../../src/core/messages.ts';
import type { RowContext } from '../../../../src/core/row-context.ts';
import { sampleAction, sampleContext } from '../fake-orchestrator.ts';
import { type FakeConnector, fakeConnector } from '../history/fake-connector.ts';

let count = 0;
let db: Promise<GridsideDatabase>;
let connector: FakeConnector;
let engine: JobEngine;
const TAB: TabRef = { tabId: 7, frameId: 0 };

beforeEach(() => {
  db = openGridsideDb(`gridside-batch-test-${++count}`);
});
afterEach(async () => {
  engine.stop();
  (await db).close();
});

function rowWith(i: number, ip: string | null): RowContext {
  return {
    ...sampleContext,
    key: { value: `r${i}`, source: 'column', confidence: 'high' },
    fields: ip ? { SIP: ip } : {},
  };
}

/** The worker's wiring, as main.ts builds it: engine → cache → batch, pushes tapped for job endings. */
function build() {
  connector = fakeConnector();
  const pushed: ContentPush[] = [];
  const store = createJobStore(db);
  const endings = createJobEndings(async (id) => {
    const job = await store.get(id);
    return job ? toJob(job) : undefined;
  });
  let fanOut = async (_tab: TabRef, message: ContentPush) => {
    pushed.push(message);
    endings.notice(message);
  };
  engine = createJobEngine({ store, connectorFor: async () => connector, push: (t, m) => fanOut(t, m) });
  const cache = createRunCache({ db, store: createJobStore(db), engine });
  fanOut = ((base) => cache.fanOut(base))(fanOut);
  const batch = createBatchRunner({
    store,
    startJob: (request) => cache.start(request),
    ended: endings.ended,
    failRow: async (request, reason) => {
      const job = batchFailedRow(request, reason, Date.now());
      await store.put(job);
      await fanOut(TAB, { type: 'job.update', job: toJob(job) });
    },
  });
  return { batch, pushed, store };
}

describe('batch runs on selected rows', () => {
  it("runs one action over 20 rows with each row's own values, at most five submitted at a time", async () => {
    const { batch, store } = build();
    const rows = Array.from({ length: 20 }, (_, i) => rowWith(i, `10.0.0.${i}`));
    const { jobIds } = await batch.start({
      orchestratorId: 'main',
      action: sampleAction(),
      rows,
      tab: TAB,
      confirmed: false,
    });
    expect(jobIds).toHaveLength(20);
    expect(new Set(jobIds).size).toBe(20);

    let most = 0;
    for (let finished = 0; finished < 20; ) {
      // Wait until the window is full (five rows submitted, or what is left), however slow the machine.
      const expected = Math.min(5, 20 - finished);
      await vi.waitFor(() => expect(connector.starts.length - finished).toBeGreaterThanOrEqual(expected));
      const running = connector.starts.length - finished;
      most = Math.max(most, running);
      // Finish whatever is running, as the orchestrator would.
      for (let i = finished; i < connector.starts.length; i++) connector.finish(`run-${i + 1}`);
      finished = connector.starts.length;
    }
    await batch.idle();
    await engine.idle();
    expect(most).toBeLessThanOrEqual(BATCH_CONCURRENCY);
    // One more than the orchestrator's default four: a row already waits in its queue when a slot frees,
    // instead of the slot standing idle while the worker learns of the end and sends the next row.
    expect(most).toBe(5);
    expect(connector.starts.map((s) => s.params.ip).sort()).toEqual(rows.map((r) => r.fields.SIP).sort());
    for (const [i, id] of jobIds.entries()) {
      const job = await store.get(id);
      expect(job?.status).toBe('succeeded');
      expect(job?.context.key.value).toBe(`r${i}`);
      expect(job?.params.ip).toBe(`10.0.0.${i}`);
    }
  });

  it('records a row that lacks a required value as failed, saying which, and runs the rest', async () => {
    const { batch, store, pushed } = build();
    const rows = [rowWith(1, '10.0.0.1'), rowWith(2, null)];
    const { jobIds } = await batch.start({
      orchestratorId: 'main',
      action: sampleAction(),
      rows,
      tab: TAB,
      confirmed: false,
    });
    await vi.waitFor(() => expect(connector.starts).toHaveLength(1));
    connector.finish('run-1');
    await batch.idle();
    await engine.idle();
    const lacking = await store.get(jobIds[1] ?? '');
    expect(lacking?.status).toBe('failed');
    expect(lacking?.error?.message).toMatch(/no value for IP address/);
    expect(pushed.some((m) => m.type === 'job.update' && m.job.id === jobIds[1])).toBe(true);
    expect(connector.starts).toHaveLength(1);
  });

  it('answers repeated values in a batch from the cache once the first has run', async () => {
    const { batch } = build();
    connector = fakeConnector({ finishAtOnce: true });
    const rows = Array.from({ length: 8 }, (_, i) => rowWith(i, '192.0.2.1'));
    await batch.start({ orchestratorId: 'main', action: sampleAction(), rows, tab: TAB, confirmed: false });
    await batch.idle();
    await engine.idle();
    // The rows that start together wait for the first; every other row is answered from the cache.
    expect(connector.starts).toHaveLength(1);
  });

  it('refuses an empty or oversized selection and an unconfirmed action with side effects', async () => {
    const { batch } = build();
    const action = sampleAction();
    await expect(
      batch.start({ orchestratorId: 'main', action, rows: [], tab: TAB, confirmed: false }),
    ).rejects.toThrow(/1 to 200/);
    const many = Array.from({ length: 201 }, (_, i) => rowWith(i, '10.0.0.1'));
    await expect(
      batch.start({ orchestratorId: 'main', action, rows: many, tab: TAB, confirmed: false }),
    ).rejects.toThrow(/1 to 200/);
    const disable = sampleAction({ sideEffects: true });
    await expect(
      batch.start({
        orchestratorId: 'main',
        action: disable,
        rows: [rowWith(1, '10.0.0.1')],
        tab: TAB,
        confirmed: false,
      }),
    ).rejects.toThrow(/confirm/);
  });
});
