import 'fake-indexeddb/auto';
import { openDB } from 'idb';
import { describe, expect, it } from 'vitest';
import { openGridsideDb } from '../../../../src/background/db.ts';
import { createHistory } from '../../../../src/background/history/history.ts';
import { createJobStore } from '../../../../src/background/jobs/job-store.ts';
import { HistoryQuerySchema } from '../../../../src/core/history.ts';
import { storedJob } from './job-fixtures.ts';

describe('the history and cache migration step', () => {
  it('adds the cache store and the start-time index, and the history finds runs saved before the update', async () => {
    // The database as the first release left it: secrets and jobs only.
    const old = await openDB('gridside-migration-history', 1, {
      upgrade(db) {
        db.createObjectStore('secrets');
        const jobs = db.createObjectStore('jobs', { keyPath: 'id' });
        jobs.createIndex('byRow', ['console', 'rowKey']);
        jobs.createIndex('byOpen', 'open');
      },
    });
    await old.put('jobs', storedJob({ id: 'before-update', createdAt: 1_000, ip: '198.51.100.1' }));
    await old.put('secrets', 'tok', 'main');
    old.close();

    const db = openGridsideDb('gridside-migration-history');
    const opened = await db;
    expect(opened.objectStoreNames.contains('cache')).toBe(true);
    expect(opened.transaction('jobs').store.indexNames.contains('byCreated')).toBe(true);
    expect(await opened.get('secrets', 'main')).toBe('tok');
    const page = await createHistory(createJobStore(db)).search(
      HistoryQuerySchema.parse({ text: '198.51.100.1' }),
      null,
      10,
    );
    expect(page.jobs.map((j) => j.id)).toEqual(['before-update']);
    opened.close();
  });
});
