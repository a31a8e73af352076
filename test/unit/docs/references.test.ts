import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * Every design reference a reader meets must be followable inside the repository: a `*.md` name, a
 * `docs/…` path (with its `#anchor`, for Markdown files) or a "§n" section of docs/architecture.md. A
 * comment citing a document Gridside does not have fails here.
 */

const ROOT = resolve(import.meta.dirname, '../../..');
const SCANNED = ['src', 'test', 'scripts', 'demo', 'docs', 'README.md'];
const TEXT = /\.(ts|tsx|mts|mjs|js|cjs|md|html|css|sh)$/;
const SKIPPED_DIRS = new Set(['node_modules', 'dist', 'dist-firefox']);
const THIS_FILE = relative(ROOT, import.meta.filename);

/** Files of other projects, named as the upstream source of a fixture (test/fixtures/*\/README.md). */
const UPSTREAM_FILES = new Set([
  'api/api-guide.md',
  'Packs/LogRhythmRest/Integrations/LogRhythmRestV2/README.md',
  'docs/source/reference/monitoring.rst',
]);

const MD_NAME = /(?<![\w@/.-])((?:\.{1,2}\/|[\w.-]+\/)*[\w.-]+\.md)(?![\w-])(#[\w-]+)?/g;
const DOCS_PATH = /(?<![\w./-])(docs\/[\w./-]*[\w-])(#[\w-]+)?/g;
const SECTION = /§\s*(\d+(?:\.\d+)*)/g;
const STANDARD_BEFORE = /RFC\s*\d+\s*$/;

function walk(path: string, out: string[]): string[] {
  const full = join(ROOT, path);
  if (!existsSync(full)) return out;
  if (statSync(full).isDirectory()) {
    for (const entry of readdirSync(full)) {
      if (!SKIPPED_DIRS.has(entry)) walk(join(path, entry), out);
    }
  } else if (TEXT.test(path)) out.push(path);
  return out;
}

/** Heading anchors as GitHub makes them: lower case, punctuation dropped, spaces → `-`. */
function anchorsOf(markdown: string): Set<string> {
  const anchors = new Set<string>();
  for (const [, heading] of markdown.matchAll(/^#{1,6} +(.+)$/gm)) {
    anchors.add(
      (heading ?? '')
        .trim()
        .toLowerCase()
        .replace(/[^\p{L}\p{N}\s_-]/gu, '')
        .replace(/ /g, '-'),
    );
  }
  return anchors;
}

/** The `§n` sections docs/architecture.md has (headings `## 4. Grid adapters`, `### 4.1 …`). */
function sectionsOf(markdown: string): Set<string> {
  return new Set([...markdown.matchAll(/^#{2,4} +(\d+(?:\.\d+)*)\.? /gm)].map((m) => m[1] ?? ''));
}

interface Repo {
  files: string[];
  sections: Set<string>;
}

/** What is wrong with the references in `text`, written in file `from` (a repository path). */
function brokenReferences(text: string, from: string, repo: Repo): string[] {
  const problems: string[] = [];
  const names = new Set(repo.files.map((f) => basename(f)));
  const exists = (path: string) => existsSync(join(ROOT, path));
  const checkAnchor = (file: string, anchor: string | undefined, ref: string) => {
    if (!anchor || !file.endsWith('.md')) return;
    if (!anchorsOf(readFileSync(join(ROOT, file), 'utf8')).has(anchor.slice(1))) {
      problems.push(`${ref}: ${file} has no heading ${anchor}`);
    }
  };

  for (const match of text.matchAll(MD_NAME)) {
    const [ref, path = '', anchor] = match;
    if (UPSTREAM_FILES.has(path)) continue;
    if (!path.includes('/')) {
      if (!names.has(path)) problems.push(`${ref}: no file named ${path} in the repository`);
      else if (anchor) {
        const local = join(dirname(from), path);
        checkAnchor(
          exists(local) ? local : (repo.files.find((f) => basename(f) === path) ?? path),
          anchor,
          ref,
        );
      }
      continue;
    }
    const candidates = [join(dirname(from), path), path].map((p) => relative(ROOT, resolve(ROOT, p)));
    const found = candidates.find(exists);
    if (!found) problems.push(`${ref}: ${path} does not exist`);
    else checkAnchor(found, anchor, ref);
  }

  for (const match of text.matchAll(DOCS_PATH)) {
    const [ref, path = '', anchor] = match;
    if (UPSTREAM_FILES.has(path)) continue;
    if (!exists(path)) problems.push(`${ref}: ${path} does not exist`);
    else checkAnchor(path, anchor, ref);
  }

  for (const match of text.matchAll(SECTION)) {
    const [ref, section = ''] = match;
    if (STANDARD_BEFORE.test(text.slice(Math.max(0, match.index - 20), match.index))) continue;
    if (!repo.sections.has(section)) problems.push(`${ref}: docs/architecture.md has no section ${section}`);
  }
  return [...new Set(problems)];
}

const repo: Repo = {
  files: SCANNED.flatMap((path) => walk(path, [])),
  sections: sectionsOf(readFileSync(join(ROOT, 'docs/architecture.md'), 'utf8')),
};

describe('design references', () => {
  it('points only at documents and sections the repository has', () => {
    const problems = repo.files
      .filter((file) => file !== THIS_FILE)
      .flatMap((file) =>
        brokenReferences(readFileSync(join(ROOT, file), 'utf8'), file, repo).map((p) => `${file}: ${p}`),
      );
    expect(problems).toEqual([]);
  });

  it('scans the whole tree, architecture included', () => {
    expect(repo.files).toContain('docs/architecture.md');
    expect(repo.files).toContain('README.md');
    expect(repo.files.some((f) => f.startsWith('src/content/grid/'))).toBe(true);
    expect(repo.sections).toEqual(new Set(['1', '2', '3', '4', '5', '6', '7', '8', '9', '10', '11', '12']));
  });

  it('lists every folder of src/ in the README and in docs/architecture.md §9', () => {
    const folders = repo.files
      .filter((f) => f.startsWith('src/'))
      .map((f) => `${dirname(f)}/`)
      .filter((dir, i, all) => all.indexOf(dir) === i);
    const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
    const layout = readFileSync(join(ROOT, 'docs/architecture.md'), 'utf8').split('## 9. Layout')[1] ?? '';
    const topLevel = folders.map((dir) => `${dir.split('/').slice(0, 2).join('/')}/`);
    expect(topLevel.filter((dir) => !readme.includes(dir))).toEqual([]);
    expect(folders.filter((dir) => !layout.includes(dir))).toEqual([]);
  });

  it('fails on a document the repository does not have, or a section architecture.md lacks', () => {
    const from = 'src/content/grid/example.ts';
    expect(brokenReferences(' * The adapters in order (PLAN.md §4).', from, repo)).toEqual([
      'PLAN.md: no file named PLAN.md in the repository',
    ]);
    expect(brokenReferences(' * ag-Grid, both layouts (table-notes.md §1.3).', from, repo)).toEqual([
      'table-notes.md: no file named table-notes.md in the repository',
      '§1.3: docs/architecture.md has no section 1.3',
    ]);
    expect(brokenReferences('see research/engine-notes.md', from, repo)).toEqual([
      'research/engine-notes.md: research/engine-notes.md does not exist',
    ]);
    expect(brokenReferences('(docs/architecture.md §99)', from, repo)).toEqual([
      '§99: docs/architecture.md has no section 99',
    ]);
    expect(brokenReferences('(see docs/testing.md)', from, repo)).toEqual([
      'docs/testing.md: docs/testing.md does not exist',
    ]);
    expect(brokenReferences('docs/connectors.md#no-such-heading', from, repo)).toContain(
      'docs/connectors.md#no-such-heading: docs/connectors.md has no heading #no-such-heading',
    );
  });

  it('accepts what a reader can follow', () => {
    const from = 'src/background/channels/router.ts';
    const good = [
      '(docs/architecture.md §10)',
      'Shapes: docs/connectors.md#stackstorm.',
      '(docs: src/content/README.md)',
      '[orchestrator.md](orchestrator.md#api)',
      'Retry-After (RFC 9110 §10.2.3)',
      'eicar.md5 and file.md5 are hashes, not documents',
    ];
    for (const text of good) expect(brokenReferences(text, from, repo)).toEqual([]);
  });
});
