import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { type HashCache, hashFile, hashFolder, WALK_SLICE } from '../../../src/orchestrator/integrity.ts';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function folder(files: Record<string, string>): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'gridside-integrity-'));
  dirs.push(dir);
  for (const [name, content] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    writeFileSync(path.join(dir, name), content);
  }
  return dir;
}

/** How many turns of the event loop other work got while `work` ran. */
async function turnsDuring(work: () => Promise<unknown>): Promise<number> {
  let turns = 0;
  let running = true;
  const tick = () => {
    if (!running) return;
    turns += 1;
    setImmediate(tick);
  };
  setImmediate(tick);
  await work();
  running = false;
  return turns;
}

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

describe('hashFolder', () => {
  it('hashes every file under the folder by its /-separated path', async () => {
    const dir = folder({ 'actions.xml': '<a/>', 'lib/run.mjs': 'run()', 'lib/deep/x.json': '{}' });
    const manifest = await hashFolder(dir);
    expect([...manifest.keys()]).toEqual(['actions.xml', 'lib/deep/x.json', 'lib/run.mjs']);
    expect(manifest.get('lib/run.mjs')).toEqual({ sha256: sha256('run()'), size: 5 });
  });

  it('sees a changed file through a warm cache, and a symbolic link is refused', async () => {
    const dir = folder({ 'run.mjs': 'one' });
    const cache: HashCache = new Map();
    expect((await hashFolder(dir, cache)).get('run.mjs')?.sha256).toBe(sha256('one'));
    writeFileSync(path.join(dir, 'run.mjs'), 'two, longer');
    expect((await hashFolder(dir, cache)).get('run.mjs')?.sha256).toBe(sha256('two, longer'));
    symlinkSync('/etc/hostname', path.join(dir, 'elsewhere'));
    await expect(hashFolder(dir, cache)).rejects.toThrow(/elsewhere is a symbolic link/);
  });

  it('gives the event loop a turn between slices of a large folder, and only then', async () => {
    const files = Object.fromEntries(
      Array.from({ length: WALK_SLICE * 3 }, (_, i) => [`m/${String(i).padStart(4, '0')}.js`, `${i}`]),
    );
    const dir = folder(files);
    const cache: HashCache = new Map();
    await hashFolder(dir, cache); // every file read once; the next walks only stat

    const manifest = new Map();
    const turns = await turnsDuring(async () => {
      for (const [k, v] of await hashFolder(dir, cache)) manifest.set(k, v);
    });
    expect(manifest.size).toBe(WALK_SLICE * 3);
    // 769 entries (the folder and its files): three turns, one per slice.
    expect(turns).toBe(3);

    // A small plugin's check takes no turn at all: nothing else runs in the middle of it.
    const small = folder({ 'actions.xml': '<a/>', 'run.mjs': 'run()' });
    await hashFolder(small, cache);
    expect(await turnsDuring(() => hashFolder(small, cache))).toBe(0);
  });
});

describe('hashFile', () => {
  it('answers an unchanged file from the cache, without reading it, and hashes a rewritten one again', async () => {
    const file = path.join(folder({ 'package.lpi': 'first package' }), 'package.lpi');
    const cache: HashCache = new Map();
    expect(await hashFile(file, cache)).toBe(sha256('first package'));
    // Whatever the cache holds for the file as it is stands for its content: nothing reads the file.
    const info = statSync(file);
    const stat = `${info.ino}:${info.size}:${info.mtimeMs}:${info.ctimeMs}`;
    expect(cache.get(file)?.stat).toBe(stat);
    cache.set(file, { stat, sha256: 'from the cache' });
    expect(await hashFile(file, cache)).toBe('from the cache');
    writeFileSync(file, 'second package, swapped in');
    expect(await hashFile(file, cache)).toBe(sha256('second package, swapped in'));
    expect(await hashFile(file)).toBe(sha256('second package, swapped in'));
  });
});
