import { describe, expect, it } from 'vitest';
import {
  type ChunkFactory,
  type ChunkShelf,
  installShelf,
  resolveChunk,
  SHELF_KEY,
} from '../../../src/content/chunk-registry.ts';

/**
 * The content script's module shelf (chunk-registry.ts), driven as the built files drive it: chunks
 * define themselves, the content script file starts its entry, `import()`s ask the worker for more.
 */

function freshShelf(): { shelf: ChunkShelf; world: Record<string, unknown> } {
  const world: Record<string, unknown> = {};
  return { shelf: installShelf(world), world };
}

/** A chunk exporting `values` (CommonJS-shaped, as the build writes them), counting its runs. */
function chunk(values: Record<string, unknown>, runs: { count: number }): ChunkFactory {
  return (_require, own) => {
    runs.count += 1;
    own.exports = values;
  };
}

describe('the content script module shelf', () => {
  it('resolves a chunk reference beside the chunk that makes it, and refuses any other path', () => {
    expect(resolveChunk('content/main.js', './panel-app-X.js')).toBe('content/panel-app-X.js');
    expect(() => resolveChunk('content/main.js', '../assets/x.js')).toThrow(/bad chunk/);
    expect(() => resolveChunk('content/main.js', 'https://example.com/x.js')).toThrow(/bad chunk/);
  });

  it('keeps one shelf per isolated world, so chunks injected later land where the entry looks', () => {
    const { shelf, world } = freshShelf();
    expect(world[SHELF_KEY]).toBe(shelf);
    expect(installShelf(world)).toBe(shelf);
  });

  it('runs each chunk once per boot, dependencies through require', () => {
    const { shelf } = freshShelf();
    const shared = { count: 0 };
    shelf.define('content/shared.js', chunk({ answer: 42 }, shared));
    shelf.define('content/main.js', (require, own) => {
      const a = require('./shared.js') as { answer: number };
      const b = require('./shared.js') as { answer: number };
      own.exports = { sum: a.answer + b.answer };
    });
    expect(shelf.start('content/main.js')).toEqual({ sum: 84 });
    expect(shared.count).toBe(1);
    // A second injection of the content script boots anew: its own module instances.
    shelf.start('content/main.js');
    expect(shared.count).toBe(2);
  });

  it("loads a lazy chunk through the worker on first import(), and hands it the entry's own modules", async () => {
    const { shelf } = freshShelf();
    const asked: string[] = [];
    let lazyImport: ((specifier: string) => Promise<unknown>) | undefined;
    const listeners = new Set<string>();
    shelf.define('content/main.js', (_require, own, _exports, load) => {
      lazyImport = load;
      own.exports = { m0: { listeners } };
    });
    shelf.start('content/main.js');
    shelf.inject = async (id) => {
      asked.push(id);
      // What the worker's executeScript does: the chunk file defines itself on the shelf.
      shelf.define('content/panel-X.js', (require, own) => {
        const entry = require('@e/0') as { listeners: Set<string> };
        entry.listeners.add('panel');
        own.exports = { openPanel: () => 'opened' };
      });
    };
    const panel = (await lazyImport?.('./panel-X.js')) as { openPanel(): string };
    expect(panel.openPanel()).toBe('opened');
    expect(asked).toEqual(['content/panel-X.js']);
    expect([...listeners]).toEqual(['panel']);
    // Loaded once: the next import() asks nobody.
    await lazyImport?.('./panel-X.js');
    expect(asked).toEqual(['content/panel-X.js']);
  });

  it('fails the import() plainly when the worker cannot inject the chunk', async () => {
    const { shelf } = freshShelf();
    let lazyImport: ((specifier: string) => Promise<unknown>) | undefined;
    shelf.define('content/main.js', (_require, _module, _exports, load) => {
      lazyImport = load;
    });
    shelf.start('content/main.js');
    await expect(lazyImport?.('./teach-X.js')).rejects.toThrow(/no chunk content\/teach-X\.js/);
    shelf.inject = async () => {
      throw new Error('Gridside could not load part of itself: the tab closed');
    };
    await expect(lazyImport?.('./teach-X.js')).rejects.toThrow(/the tab closed/);
    // Injected but nothing defined (a stale worker): said so, not a silent undefined.
    shelf.inject = async () => {};
    await expect(lazyImport?.('./teach-X.js')).rejects.toThrow(/no chunk content\/teach-X\.js/);
  });
});
