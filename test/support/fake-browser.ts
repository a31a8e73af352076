/**
 * A small in-memory stand-in for the parts of `browser.*` / `chrome.*` Gridside's worker uses, for node
 * tests. Not a full emulation: each area records what was asked of it so a test can assert on it.
 */

type Listener<A extends unknown[]> = (...args: A) => unknown;

export class FakeEvent<A extends unknown[]> {
  readonly listeners: Listener<A>[] = [];
  addListener(listener: Listener<A>): void {
    this.listeners.push(listener);
  }
  removeListener(listener: Listener<A>): void {
    const i = this.listeners.indexOf(listener);
    if (i >= 0) this.listeners.splice(i, 1);
  }
  hasListener(listener: Listener<A>): boolean {
    return this.listeners.includes(listener);
  }
  /** Calls every listener; resolves with their return values (awaited). */
  async emit(...args: A): Promise<unknown[]> {
    return Promise.all(this.listeners.map((l) => l(...args)));
  }
}

export class FakeStorageArea {
  readonly data = new Map<string, unknown>();
  constructor(
    private readonly onChanged?: FakeEvent<
      [Record<string, { oldValue?: unknown; newValue?: unknown }>, string]
    >,
    private readonly name = 'local',
  ) {}
  async get(keys?: string | string[] | null): Promise<Record<string, unknown>> {
    const wanted = keys == null ? [...this.data.keys()] : Array.isArray(keys) ? keys : [keys];
    const out: Record<string, unknown> = {};
    for (const key of wanted) if (this.data.has(key)) out[key] = structuredClone(this.data.get(key));
    return out;
  }
  async set(items: Record<string, unknown>): Promise<void> {
    const changes: Record<string, { oldValue?: unknown; newValue?: unknown }> = {};
    for (const [key, value] of Object.entries(items)) {
      changes[key] = { oldValue: this.data.get(key), newValue: value };
      this.data.set(key, structuredClone(value));
    }
    await this.onChanged?.emit(changes, this.name);
  }
  async remove(keys: string | string[]): Promise<void> {
    for (const key of Array.isArray(keys) ? keys : [keys]) this.data.delete(key);
  }
  /** Everything stored, serialised: what a content script reading this area could see. */
  dump(): string {
    return JSON.stringify(Object.fromEntries(this.data));
  }
}

export interface SentMessage {
  tabId: number;
  message: unknown;
  options?: { frameId?: number };
}

export function createFakeBrowser(options: { id?: string; granted?: string[] } = {}) {
  const id = options.id ?? 'gridsidetestid';
  const storageChanged = new FakeEvent<
    [Record<string, { oldValue?: unknown; newValue?: unknown }>, string]
  >();
  const granted = new Set(options.granted ?? []);
  const sent: SentMessage[] = [];
  const closedTabs = new Set<number>();
  const openTabs: { id: number; url: string }[] = [];
  const menus = new Map<string, Record<string, unknown>>();
  const registered = new Map<string, { id: string; matches?: string[]; js?: string[] }>();
  const injected: { tabId: number; files: string[]; allFrames?: boolean }[] = [];

  const matchesPattern = (url: string, pattern: string) => {
    const prefix = pattern.endsWith('/*') ? pattern.slice(0, -1) : pattern;
    return url.startsWith(prefix);
  };

  return {
    sent,
    closedTabs,
    openTabs,
    menus,
    registered,
    injected,
    granted,
    runtime: {
      id,
      getURL: (path: string) => `chrome-extension://${id}/${path.replace(/^\//, '')}`,
      onMessage: new FakeEvent<[unknown, unknown]>(),
      onInstalled: new FakeEvent<[{ reason: string }]>(),
    },
    storage: {
      local: new FakeStorageArea(storageChanged, 'local'),
      session: new FakeStorageArea(storageChanged, 'session'),
      managed: new FakeStorageArea(undefined, 'managed'),
      onChanged: storageChanged,
    },
    tabs: {
      async sendMessage(tabId: number, message: unknown, opts?: { frameId?: number }) {
        if (closedTabs.has(tabId))
          throw new Error('Could not establish connection. Receiving end does not exist.');
        sent.push({ tabId, message: structuredClone(message), options: opts });
      },
      async query(query: { url?: string | string[]; active?: boolean }) {
        const patterns =
          query.url === undefined ? undefined : Array.isArray(query.url) ? query.url : [query.url];
        return openTabs.filter((t) => !patterns || patterns.some((p) => matchesPattern(t.url, p)));
      },
    },
    permissions: {
      async contains(p: { origins?: string[] }) {
        return (p.origins ?? []).every((o) => granted.has(o));
      },
      async request(p: { origins?: string[] }) {
        for (const o of p.origins ?? []) granted.add(o);
        return true;
      },
      async remove(p: { origins?: string[] }) {
        for (const o of p.origins ?? []) granted.delete(o);
        return true;
      },
      onAdded: new FakeEvent<[unknown]>(),
      onRemoved: new FakeEvent<[unknown]>(),
    },
    contextMenus: {
      create(props: Record<string, unknown> & { id: string }) {
        if (menus.has(props.id)) throw new Error(`Cannot create item with duplicate id ${props.id}`);
        menus.set(props.id, props);
      },
      async removeAll() {
        menus.clear();
      },
      onClicked: new FakeEvent<[unknown, unknown]>(),
    },
    scripting: {
      async getRegisteredContentScripts(filter?: { ids?: string[] }) {
        return [...registered.values()].filter((s) => !filter?.ids || filter.ids.includes(s.id));
      },
      async registerContentScripts(scripts: { id: string; matches?: string[]; js?: string[] }[]) {
        for (const s of scripts) {
          if (registered.has(s.id)) throw new Error(`Duplicate script ID '${s.id}'`);
          registered.set(s.id, s);
        }
      },
      async unregisterContentScripts(filter?: { ids?: string[] }) {
        for (const id of filter?.ids ?? [...registered.keys()]) registered.delete(id);
      },
      async executeScript(injection: { target: { tabId: number; allFrames?: boolean }; files: string[] }) {
        const { tabId, allFrames } = injection.target;
        injected.push({ tabId, files: injection.files, ...(allFrames ? { allFrames } : {}) });
        return [];
      },
    },
  };
}

export type FakeBrowser = ReturnType<typeof createFakeBrowser>;
