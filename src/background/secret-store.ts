import type { GridsideDatabase } from './db.ts';

/**
 * Tokens and API keys, kept in the extension origin's IndexedDB, keyed by orchestrator entry id. Never in
 * `storage.local` or `storage.sync` (a content script can read `storage.local`), never in a message to a
 * content script or to the options page: pages only learn whether a secret is set.
 */
export interface SecretStore {
  get(orchestratorId: string): Promise<string | undefined>;
  set(orchestratorId: string, secret: string | null): Promise<void>;
  has(orchestratorIds: readonly string[]): Promise<Record<string, boolean>>;
}

export function createSecretStore(db: Promise<GridsideDatabase>): SecretStore {
  return {
    async get(id) {
      return (await db).get('secrets', id);
    },
    async set(id, secret) {
      const d = await db;
      if (secret === null || secret === '') await d.delete('secrets', id);
      else await d.put('secrets', secret, id);
    },
    async has(ids) {
      const d = await db;
      const out: Record<string, boolean> = {};
      for (const id of ids) out[id] = (await d.getKey('secrets', id)) !== undefined;
      return out;
    },
  };
}
