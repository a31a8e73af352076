import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

/**
 * The module graph of src/ (docs/architecture.md §1): no cycle, type-only imports included, and imports
 * that go one way between the parts. Read with TypeScript's own pre-processor, so it runs offline.
 */

const ROOT = resolve(import.meta.dirname, '../../..');

function sources(dir: string, out: string[] = []): string[] {
  for (const entry of readdirSync(join(ROOT, dir))) {
    const path = join(dir, entry);
    if (statSync(join(ROOT, path)).isDirectory()) sources(path, out);
    else if (/\.tsx?$/.test(entry)) out.push(path);
  }
  return out;
}

/** File → the src/ files it imports. `?script` imports are files the build emits, not modules. */
function importGraph(): Map<string, string[]> {
  const graph = new Map<string, string[]>();
  for (const file of sources('src')) {
    const { importedFiles } = ts.preProcessFile(readFileSync(join(ROOT, file), 'utf8'), true, true);
    const imports = importedFiles
      .map((imported) => imported.fileName)
      .filter((name) => name.startsWith('.') && !name.endsWith('?script'))
      .map((name) => relative(ROOT, resolve(ROOT, dirname(file), name)));
    graph.set(file, imports);
  }
  return graph;
}

/** Every cycle's members (strongly connected components larger than one file, or a file importing itself). */
function cycles(graph: Map<string, string[]>): string[][] {
  let counter = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const found: string[][] = [];
  const visit = (file: string): void => {
    index.set(file, counter);
    low.set(file, counter++);
    stack.push(file);
    for (const next of graph.get(file) ?? []) {
      if (!index.has(next)) {
        visit(next);
        low.set(file, Math.min(low.get(file) ?? 0, low.get(next) ?? 0));
      } else if (stack.includes(next)) low.set(file, Math.min(low.get(file) ?? 0, index.get(next) ?? 0));
    }
    if (low.get(file) !== index.get(file)) return;
    const members: string[] = [];
    let member: string | undefined;
    do {
      member = stack.pop();
      if (member) members.push(member);
    } while (member && member !== file);
    if (members.length > 1 || graph.get(file)?.includes(file)) found.push(members.sort());
  };
  for (const file of graph.keys()) if (!index.has(file)) visit(file);
  return found;
}

const graph = importGraph();
const part = (file: string) => file.split('/')[1] ?? '';

describe('the src/ import graph', () => {
  it('reads every source file and resolves every relative import to a file', () => {
    expect(graph.size).toBeGreaterThan(100);
    const dangling = [...graph].flatMap(([file, imports]) =>
      imports.filter((target) => !existsSync(join(ROOT, target))).map((target) => `${file} → ${target}`),
    );
    expect(dangling).toEqual([]);
  });

  it('has no cycle, type-only imports included', () => {
    expect(cycles(graph)).toEqual([]);
  });

  it('finds a cycle when there is one', () => {
    const looped = new Map([
      ['src/a.ts', ['src/b.ts']],
      ['src/b.ts', ['src/c.ts']],
      ['src/c.ts', ['src/a.ts']],
      ['src/d.ts', ['src/a.ts']],
    ]);
    expect(cycles(looped)).toEqual([['src/a.ts', 'src/b.ts', 'src/c.ts']]);
  });

  it('keeps core, the content script, the worker, the pages and the orchestrator apart', () => {
    const allowed: Record<string, string[]> = {
      core: ['core'],
      // ui/: Preact components the panel and the extension pages share.
      ui: ['ui', 'core'],
      content: ['content', 'core', 'ui'],
      background: ['background', 'core'],
      orchestrator: ['orchestrator', 'core'],
      // The extension pages reach the worker by message only: they never import it.
      pages: ['pages', 'core', 'ui'],
      options: ['options', 'pages', 'core', 'ui'],
      popup: ['popup', 'pages', 'core', 'ui'],
      history: ['history', 'pages', 'core', 'ui'],
    };
    const crossings = [...graph].flatMap(([file, imports]) => {
      const may = allowed[part(file)];
      return may ? imports.filter((target) => !may.includes(part(target))).map((t) => `${file} → ${t}`) : [];
    });
    expect(crossings).toEqual([]);
  });
});
