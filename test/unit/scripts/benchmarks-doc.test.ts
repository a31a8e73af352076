import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { writeBenchmarkSection } from '../../../scripts/support/benchmarks-doc.ts';

/** How every benchmark script puts its figures into docs/benchmarks.md. */

const DOC = [
  '# Benchmarks',
  '',
  '## Orchestrator',
  '',
  'old orchestrator figures',
  '',
  '## Grid',
  '',
  'grid figures',
  '',
  '## Orchestrator at scale',
  '',
  'old scale figures',
  '',
].join('\n');

const folders: string[] = [];

/** A path for benchmarks.md in a folder of its own, removed after the test. */
function docPath(): string {
  const folder = mkdtempSync(path.join(tmpdir(), 'gridside-bench-doc-'));
  folders.push(folder);
  return path.join(folder, 'benchmarks.md');
}

function docWith(text: string): string {
  const file = docPath();
  writeFileSync(file, text);
  return file;
}

afterEach(() => {
  for (const folder of folders.splice(0)) rmSync(folder, { recursive: true, force: true });
});

describe('writeBenchmarkSection', () => {
  it('replaces only the section with exactly that heading, not one whose heading begins the same', () => {
    const file = docWith(DOC);
    writeBenchmarkSection(
      '## Orchestrator at scale',
      '## Orchestrator at scale\n\nnew scale figures\n',
      file,
    );
    writeBenchmarkSection('## Orchestrator', '## Orchestrator\n\nnew orchestrator figures\n', file);
    const text = readFileSync(file, 'utf8');
    expect(text).toBe(
      [
        '# Benchmarks',
        '',
        '## Orchestrator',
        '',
        'new orchestrator figures',
        '',
        '## Grid',
        '',
        'grid figures',
        '',
        '## Orchestrator at scale',
        '',
        'new scale figures',
        '',
      ].join('\n'),
    );
  });

  it('appends a section the document does not have yet, and starts a missing document', () => {
    const file = docWith(DOC);
    writeBenchmarkSection('## Memory', '## Memory\n\nheap figures\n', file);
    expect(readFileSync(file, 'utf8')).toBe(`${DOC.trimEnd()}\n\n## Memory\n\nheap figures\n`);
    const fresh = docPath();
    writeBenchmarkSection('## Pins', '## Pins\n\npin figures\n', fresh);
    expect(readFileSync(fresh, 'utf8')).toMatch(/^# Benchmarks\n[\s\S]*\n\n## Pins\n\npin figures\n$/);
  });
});
