import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

/** docs/architecture.md §7: one module reads and writes the `jobs` store, so its indexes stay right. */

const ROOT = resolve(import.meta.dirname, '../../../..');
const OWNERS = ['src/background/jobs/job-store.ts', 'src/background/db.ts'];
/** An idb call naming the store: `db.get('jobs', …)`, `transaction('jobs')`, `objectStore('jobs')`. */
const NAMES_JOBS_STORE = /\(\s*['"`]jobs['"`]/;

function sources(dir: string, out: string[] = []): string[] {
  for (const entry of readdirSync(join(ROOT, dir))) {
    const path = join(dir, entry);
    if (statSync(join(ROOT, path)).isDirectory()) sources(path, out);
    else if (/\.tsx?$/.test(entry)) out.push(relative(ROOT, join(ROOT, path)));
  }
  return out;
}

describe('the jobs store', () => {
  it('is opened only by JobStore (and created by the migrations)', () => {
    const files = sources('src').filter((file) =>
      NAMES_JOBS_STORE.test(readFileSync(join(ROOT, file), 'utf8')),
    );
    expect(files.sort()).toEqual([...OWNERS].sort());
  });

  it('recognises a direct use of the store', () => {
    expect(NAMES_JOBS_STORE.test("await (await db).put('jobs', copy);")).toBe(true);
    expect(NAMES_JOBS_STORE.test("const tx = db.transaction('jobs', 'readwrite');")).toBe(true);
    expect(NAMES_JOBS_STORE.test('/** the jobs of one row */')).toBe(false);
  });
});
