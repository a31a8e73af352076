import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import { committed, openGridsideDb } from '../../../src/background/db.ts';
import { isStorageFull } from '../../../src/background/storage-full.ts';

const domError = (name: string, message = '') => Object.assign(new Error(message), { name }) as DOMException;

/** A transaction as the browser leaves it once it aborted one: its own error set, `done` rejected. */
function abortedTx(reason: DOMException) {
  const done = Promise.reject(reason);
  done.catch(() => undefined);
  return { done, error: reason };
}

describe('committed', () => {
  it('rejects with the reason the browser aborted the transaction for, not its writes’ AbortError', async () => {
    const full = domError('QuotaExceededError', 'quota exceeded');
    const write = Promise.reject(domError('AbortError', 'The transaction was aborted'));
    write.catch(() => undefined);
    const failed = await committed(abortedTx(full), [write]).catch((error: unknown) => error);
    expect(failed).toBe(full);
    expect(isStorageFull(failed)).toBe(true);
  });

  it('waits for the commit, not only for the writes', async () => {
    let commit: () => void = () => {};
    const tx = { done: new Promise<void>((resolve) => (commit = resolve)), error: null };
    let settled = false;
    const waiting = committed(tx, [Promise.resolve('written')]).then(() => {
      settled = true;
    });
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(settled).toBe(false);
    commit();
    await waiting;
    expect(settled).toBe(true);
  });

  it('answers once a real write is committed, and it can be read back', async () => {
    const db = await openGridsideDb('gridside-committed-test');
    const tx = db.transaction('cache', 'readwrite');
    await committed(tx, [tx.store.put({ key: 'k', jobId: 'job-1', at: 1 })]);
    expect(await db.get('cache', 'k')).toEqual({ key: 'k', jobId: 'job-1', at: 1 });
    db.close();
  });
});
