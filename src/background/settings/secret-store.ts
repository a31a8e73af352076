import { type BoundSecret, committed, type GridsideDatabase } from '../db.ts';

/**
 * Tokens and API keys, kept in the extension origin's IndexedDB, keyed by orchestrator entry id. Never in
 * `storage.local` or `storage.sync`, never in a message to a content script or to the options page: pages
 * only learn whether a secret is set.
 *
 * Each secret is bound to the origin it was entered for. Settings live in `storage.local`, which a content
 * script can write; binding means that repointing an entry's URL there cannot make the worker send the
 * token to another server: a secret is only handed out for the origin it was set for, and the analyst
 * must enter it again after changing the URL (docs/security.md, "A compromised console page").
 */

export interface SecretStore {
  /** The secret of an entry, only if it was set for `origin` (the entry's current URL origin). */
  get(orchestratorId: string, origin: string): Promise<string | undefined>;
  set(orchestratorId: string, secret: string | null, origin?: string): Promise<void>;
  has(entries: readonly { id: string; url: string }[]): Promise<Record<string, boolean>>;
}

const originOf = (url: string): string | undefined => {
  try {
    return new URL(url).origin;
  } catch {
    return undefined;
  }
};

export function createSecretStore(db: Promise<GridsideDatabase>): SecretStore {
  /**
   * Each entry's record as last read or written here (null: none). Every orchestrator request needs its
   * entry's secret, and a run needed it twice (its start, then following it): a transaction each, in the
   * worker and in the browser's storage process. Only this store writes `secrets`, and only the worker
   * holds it; a restarted worker reads them again. The secret is in this worker's memory for each request
   * anyway.
   */
  const known = new Map<string, BoundSecret | string | null>();
  /** Bumped by every write, so a read that started before it does not put back what it replaced. */
  let writes = 0;
  const record = async (id: string): Promise<BoundSecret | string | null> => {
    const remembered = known.get(id);
    if (remembered !== undefined) return remembered;
    const before = writes;
    const stored = (await (await db).get('secrets', id)) ?? null;
    if (writes === before) known.set(id, stored);
    return stored;
  };
  const read = async (id: string, origin: string | undefined): Promise<string | undefined> => {
    const stored = await record(id);
    // A bare string predates origin binding: its origin is unknown, so it is never handed out.
    if (!stored || typeof stored === 'string' || !origin) return undefined;
    return stored.origin === origin ? stored.secret : undefined;
  };
  return {
    get: (id, origin) => read(id, origin),
    async set(id, secret, origin) {
      const d = await db;
      writes++;
      known.delete(id);
      if (secret === null || secret === '') await d.delete('secrets', id);
      else if (!origin) throw new Error('a secret must be bound to the origin it is for');
      else {
        const tx = d.transaction('secrets', 'readwrite');
        await committed(tx, [tx.store.put({ secret, origin }, id)]);
      }
    },
    async has(entries) {
      const out: Record<string, boolean> = {};
      for (const entry of entries) out[entry.id] = (await read(entry.id, originOf(entry.url))) !== undefined;
      return out;
    },
  };
}
