import { ask } from './background-channel.ts';
import { type ChunkShelf, SHELF_KEY } from './chunk-registry.ts';

/**
 * Lets the content script's `import()`s load their chunk: the build turns each `import()` into a request
 * to the worker (`content.chunk`), which injects the chunk into this frame's isolated world with
 * `scripting.executeScript`. No Gridside file is web-accessible, so the page cannot fetch one to learn that
 * Gridside is installed (chunk-registry.ts). Where there is no shelf (unit tests run the sources as ES
 * modules), nothing is needed.
 */
export function installChunkLoader(): void {
  const shelf = (globalThis as Record<string, unknown>)[SHELF_KEY] as ChunkShelf | undefined;
  if (!shelf) return;
  shelf.inject = async (file) => {
    const reply = await ask({ type: 'content.chunk', file });
    if (!reply.ok) throw new Error(`Gridside could not load part of itself: ${reply.error.message}`);
  };
}
