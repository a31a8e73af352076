import 'fake-indexeddb/auto';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { openGridsideDb } from '../../../../src/background/db.ts';
import { createSecretStore } from '../../../../src/background/settings/secret-store.ts';

/** The secret store remembers what it read and wrote (secret-store.ts); it must never answer a stale secret. */

let n = 0;
const ORIGIN = 'https://soar.example:8443';
const fresh = () => {
  const db = openGridsideDb(`gridside-secret-store-test-${++n}`);
  return { db, secrets: createSecretStore(db) };
};
afterEach(() => vi.restoreAllMocks());

describe('the secret store', () => {
  it('reads an entry’s secret from the database once', async () => {
    const { secrets } = fresh();
    await secrets.set('soar', 'token-1', ORIGIN);
    const get = vi.spyOn(IDBObjectStore.prototype, 'get');
    expect(await secrets.get('soar', ORIGIN)).toBe('token-1');
    expect(await secrets.get('soar', ORIGIN)).toBe('token-1');
    expect(await secrets.get('soar', 'https://elsewhere.example')).toBeUndefined();
    expect(get).toHaveBeenCalledTimes(1);
  });

  it('answers a secret set or cleared at once, as the database holds it', async () => {
    const { db, secrets } = fresh();
    await secrets.set('soar', 'token-1', ORIGIN);
    expect(await secrets.get('soar', ORIGIN)).toBe('token-1');
    await secrets.set('soar', 'token-2', ORIGIN);
    expect(await secrets.get('soar', ORIGIN)).toBe('token-2');
    await secrets.set('soar', null);
    expect(await secrets.get('soar', ORIGIN)).toBeUndefined();
    expect(await (await db).get('secrets', 'soar')).toBeUndefined();
  });

  it('does not keep what a read that began before a write found', async () => {
    const { secrets } = fresh();
    await secrets.set('soar', 'old-token', ORIGIN);
    // A restarted worker's store: it knows nothing yet, so its first read goes to the database.
    const restarted = createSecretStore(openGridsideDb(`gridside-secret-store-test-${n}`));
    const early = restarted.get('soar', ORIGIN);
    await restarted.set('soar', 'new-token', ORIGIN);
    expect(await early).toBe('old-token');
    expect(await restarted.get('soar', ORIGIN)).toBe('new-token');
  });
});
