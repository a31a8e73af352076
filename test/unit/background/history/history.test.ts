import 'fake-indexeddb/auto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type GridsideDatabase, openGridsideDb } from '../../../../src/background/db.ts';
import { createHistory, type HistoryService } from '../../../../src/background/history/history.ts';
import { createJobStore } from '../../../../src/background/jobs/job-store.ts';
import { type HistoryQuery, HistoryQuerySchema } from '../../../../src/core/history.ts';
import { storedJob } from './job-fixtures.ts';

let db: Promise<GridsideDatabase>;
let history: HistoryService;
let count = 0;
const DAY = 24 * 60 * 60 * 1000;
const T0 = Date.UTC(2026, 10, 1);

beforeEach(() => {
  db = openGridsideDb(`gridside-history-test-${++count}`);
  history = createHistory(createJobStore(db));
});
afterEach(async () => (await db).close());

const q = (over: Partial<HistoryQuery> = {}) => HistoryQuerySchema.parse(over);

async function seed() {
  const jobs = [
    storedJob({ id: 'a', createdAt: T0 + 1 * DAY, ip: '203.0.113.9', alarmId: '100' }),
    storedJob({
      id: 'b',
      createdAt: T0 + 2 * DAY,
      actionId: 'users/lookup',
      actionName: 'User lookup',
      ip: '10.0.0.1',
      user: 'jdoe',
    }),
    storedJob({ id: 'c', createdAt: T0 + 3 * DAY, ip: '198.51.100.7', alarmId: '200', status: 'failed' }),
    storedJob({ id: 'd', createdAt: T0 + 4 * DAY, ip: '203.0.113.9' }),
  ];
  for (const job of jobs) await (await db).put('jobs', job);
}

describe('run history search', () => {
  it('lists every run newest first when nothing is asked', async () => {
    await seed();
    const page = await history.search(q(), null, 50);
    expect(page.jobs.map((j) => j.id)).toEqual(['d', 'c', 'b', 'a']);
    expect(page.next).toBeNull();
  });

  it('finds runs by a parameter or row field value, case-insensitively', async () => {
    await seed();
    const byIp = await history.search(q({ text: '203.0.113.9' }), null, 50);
    expect(byIp.jobs.map((j) => j.id)).toEqual(['d', 'a']);
    const byUser = await history.search(q({ text: 'JDOE' }), null, 50);
    expect(byUser.jobs.map((j) => j.id)).toEqual(['b']);
  });

  it('finds runs by action id or name, by alarm id and by status', async () => {
    await seed();
    expect((await history.search(q({ action: 'user look' }), null, 50)).jobs.map((j) => j.id)).toEqual(['b']);
    expect((await history.search(q({ action: 'users/' }), null, 50)).jobs.map((j) => j.id)).toEqual(['b']);
    expect((await history.search(q({ alarmId: '200' }), null, 50)).jobs.map((j) => j.id)).toEqual(['c']);
    expect((await history.search(q({ status: 'failed' }), null, 50)).jobs.map((j) => j.id)).toEqual(['c']);
  });

  it('keeps to the date range: from inclusive, to exclusive', async () => {
    await seed();
    const page = await history.search(q({ from: T0 + 2 * DAY, to: T0 + 4 * DAY }), null, 50);
    expect(page.jobs.map((j) => j.id)).toEqual(['c', 'b']);
    const empty = await history.search(q({ from: T0 + 4 * DAY, to: T0 + 2 * DAY }), null, 50);
    expect(empty.jobs).toEqual([]);
  });

  it('pages through 3,000 runs without skipping or repeating one, even within one millisecond', async () => {
    const database = await db;
    const tx = database.transaction('jobs', 'readwrite');
    // Five runs share each millisecond: the cursor must still continue exactly after the last one shown.
    for (let i = 0; i < 3_000; i++) {
      void tx.store.put(
        storedJob({ id: `j${String(i).padStart(5, '0')}`, createdAt: T0 + Math.floor(i / 5) }),
      );
    }
    await tx.done;
    const seen: string[] = [];
    let after = null;
    let pages = 0;
    do {
      const page = await history.search(q(), after, 200);
      expect(page.jobs.length).toBeLessThanOrEqual(200);
      seen.push(...page.jobs.map((j) => j.id));
      after = page.next;
      pages++;
    } while (after);
    expect(pages).toBe(15);
    expect(seen).toHaveLength(3_000);
    expect(new Set(seen).size).toBe(3_000);
    expect(seen[0]).toBe('j02999');
    expect(seen.at(-1)).toBe('j00000');
  });

  it('pages a filtered search and combines it with the date range', async () => {
    const database = await db;
    for (let i = 0; i < 30; i++) {
      await database.put(
        'jobs',
        storedJob({
          id: `k${String(i).padStart(2, '0')}`,
          createdAt: T0 + i * DAY,
          ip: i % 3 === 0 ? '192.0.2.1' : '10.9.9.9',
        }),
      );
    }
    const query = q({ text: '192.0.2.1', from: T0 + 3 * DAY });
    const first = await history.search(query, null, 4);
    expect(first.jobs.map((j) => j.id)).toEqual(['k27', 'k24', 'k21', 'k18']);
    const second = await history.search(query, first.next, 4);
    expect(second.jobs.map((j) => j.id)).toEqual(['k15', 'k12', 'k09', 'k06']);
    const third = await history.search(query, second.next, 4);
    expect(third.jobs.map((j) => j.id)).toEqual(['k03']);
    expect(third.next).toBeNull();
  });

  it('shows a run in full, and nothing for an unknown id', async () => {
    await seed();
    const job = await history.get('c');
    expect(job?.status).toBe('failed');
    expect(job?.run?.output?.stdout).toContain('AS64500');
    expect(await history.get('nope')).toBeUndefined();
  });
});
