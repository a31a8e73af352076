/**
 * The first code of the content script file, before any of Gridside's modules: a small module registry,
 * because the content script ships as classic scripts (no `import`), so that no file of Gridside has to be
 * web-accessible. A page can fetch a web-accessible file of any installed extension and so learn that
 * Gridside is installed, and which version; files injected by the worker (`scripting.executeScript`) are
 * out of its reach.
 *
 * The build (scripts/support/content-script-bundle.ts) wraps each bundled file ("chunk") in
 * `globalThis.__gridsideChunks.define(id, factory)`; the content script file defines its own chunks, then
 * starts its entry. A chunk loaded later (the panel, teach mode, the row marks' view...) is injected by the
 * worker on request (`content.chunk`, asked by chunk-loader.ts) into this same isolated world, where it
 * defines itself on the same shelf. The shelf is a global of the content script's isolated world: the page
 * cannot see it.
 */

/** A chunk's code, as the build wraps it: CommonJS-shaped, plus `load` for its `import()`s. */
export type ChunkFactory = (
  require: (specifier: string) => unknown,
  module: { exports: unknown },
  exports: unknown,
  load: (specifier: string) => Promise<unknown>,
) => void;

/** What stays in the isolated world across injections of the content script file. */
export interface ChunkShelf {
  factories: Map<string, ChunkFactory>;
  define(id: string, factory: ChunkFactory): void;
  /** Starts an entry chunk with a module cache of its own (every injection boots anew). */
  start(id: string): unknown;
  /** Asks the worker to inject a chunk and the chunks it needs; set by the content script (chunk-loader.ts). */
  inject?: (id: string) => Promise<void>;
}

export const SHELF_KEY = '__gridsideChunks';

/** `./panel-app-X.js` seen from `content/main-Y.js` → `content/panel-app-X.js` (the build emits one folder). */
export function resolveChunk(from: string, specifier: string): string {
  if (!specifier.startsWith('./') || specifier.includes('/', 2)) {
    throw new Error(`Gridside: bad chunk ${specifier}`);
  }
  const slash = from.lastIndexOf('/');
  return from.slice(0, slash + 1) + specifier.slice(2);
}

/** How a chunk names a module of the entry's (the build exports each one the chunks use as `m0`, `m1`...). */
const FROM_ENTRY = '@e/';

/** One boot's modules: each chunk runs once, on first `require`, like a module graph. */
function createModules(shelf: ChunkShelf, entry: string) {
  const cache = new Map<string, { exports: unknown }>();

  function requireFrom(id: string, specifier: string): unknown {
    if (!specifier.startsWith(FROM_ENTRY)) return run(resolveChunk(id, specifier));
    // The entry's own instance: a lazily loaded chunk shares the entry's state (its listeners, its host).
    const entryExports = run(entry) as Record<string, unknown>;
    return entryExports[`m${specifier.slice(FROM_ENTRY.length)}`];
  }

  function run(id: string): unknown {
    const cached = cache.get(id);
    if (cached) return cached.exports;
    const factory = shelf.factories.get(id);
    if (!factory) throw new Error(`Gridside: no chunk ${id}`);
    const module: { exports: unknown } = { exports: {} };
    cache.set(id, module);
    factory(
      (specifier) => requireFrom(id, specifier),
      module,
      module.exports,
      (specifier) => load(resolveChunk(id, specifier)),
    );
    return module.exports;
  }

  async function load(id: string): Promise<unknown> {
    if (!shelf.factories.has(id)) {
      // Without a way to ask the worker yet (before the entry set one), run() says the chunk is missing.
      await shelf.inject?.(id);
    }
    return run(id);
  }

  return { run };
}

export function createShelf(): ChunkShelf {
  const shelf: ChunkShelf = {
    factories: new Map(),
    define(id, factory) {
      shelf.factories.set(id, factory);
    },
    start(id) {
      return createModules(shelf, id).run(id);
    },
  };
  return shelf;
}

/** The shelf of this isolated world: created by the first injection, shared by the later ones. */
export function installShelf(global: Record<string, unknown> = globalThis as never): ChunkShelf {
  global[SHELF_KEY] ??= createShelf();
  return global[SHELF_KEY] as ChunkShelf;
}
