import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import { DB_VERSION, openGridsideDb } from '../../../src/background/db.ts';

describe('the worker database', () => {
  it('creates the secrets and jobs stores with their indexes', async () => {
    const db = await openGridsideDb('gridside-db-test-fresh');
    // Later steps add their own stores (pins, cache, …); these two are always there.
    expect([...db.objectStoreNames]).toEqual(expect.arrayContaining(['jobs', 'secrets']));
    const tx = db.transaction('jobs');
    expect([...tx.store.indexNames].sort()).toEqual(['byCreated', 'byOpen', 'byRow']);
    await tx.done;
    expect(db.version).toBe(DB_VERSION);
    db.close();
  });

  it('keeps existing records when opened again (a worker restart or an update)', async () => {
    const first = await openGridsideDb('gridside-db-test-reopen');
    await first.put('secrets', 'tok', 'main');
    first.close();
    const again = await openGridsideDb('gridside-db-test-reopen');
    expect(await again.get('secrets', 'main')).toBe('tok');
    again.close();
  });
});
