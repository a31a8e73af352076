import { Script } from 'node:vm';
import { gzipSync } from 'node:zlib';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  buildContentScript,
  type ContentScriptFiles,
} from '../../../scripts/support/content-script-bundle.ts';

/**
 * The content script as the extension build writes it (scripts/support/content-script-bundle.ts): only
 * classic scripts, which the worker can register and inject, so no file has to be web-accessible.
 */

/** 15 KB, as bench:grid prints it (1 KB = 1,024 bytes). */
const INITIAL_SCRIPT_BUDGET = 15 * 1024;

let built: ContentScriptFiles;
beforeAll(async () => {
  built = await buildContentScript('production');
}, 60_000);

describe('the built content script', () => {
  it('is classic scripts only: each file parses as a script, with no import or export left', () => {
    expect(built.files.size).toBeGreaterThan(3);
    for (const [file, code] of built.files) {
      expect(() => new Script(code, { filename: file }), file).not.toThrow();
      expect(code, file).not.toMatch(/\bimport\s*\(/);
    }
  });

  it('registers one file that starts the entry, and names every part it loads later', () => {
    const script = built.files.get(built.build.script) ?? '';
    expect(built.build.script).toBe('content/gridside.js');
    expect(script).toMatch(/globalThis\.__gridsideChunks\.start\(["'`]content\/main\.js["'`]\);?\n$/);
    // Every import() names a part (the minifier may rename the function it calls, never the file name).
    const asked = [...built.files.values()].flatMap((code) =>
      [...code.matchAll(/(?<!require)\(["'`]\.\/([\w-]+\.js)["'`]\)/g)].map((m) => `content/${m[1]}`),
    );
    const parts = Object.keys(built.build.chunks);
    expect(asked.length).toBeGreaterThanOrEqual(3);
    for (const part of ['panel-app', 'teach-app', 'row-marks-view']) {
      expect(
        parts.some((id) => id.startsWith(`content/${part}-`)),
        part,
      ).toBe(true);
    }
    // Every import() names a part the worker will inject, and every file to inject is built.
    for (const id of asked) expect(parts).toContain(id);
    for (const files of Object.values(built.build.chunks)) {
      for (const file of files) expect(built.files.has(file), file).toBe(true);
    }
  });

  it('keeps the file every console page loads within its 15 KB gzip budget', async () => {
    // The budget docs/benchmarks.md measures against (bench:grid), for the build analysts install and for
    // the demo build the benches load.
    const gzip = (files: ContentScriptFiles) =>
      gzipSync(Buffer.from(files.files.get(files.build.script) ?? ''), { level: 9 }).length;
    expect(gzip(built)).toBeLessThanOrEqual(INITIAL_SCRIPT_BUDGET);
    expect(gzip(await buildContentScript('demo'))).toBeLessThanOrEqual(INITIAL_SCRIPT_BUDGET);
  }, 60_000);

  it('drops the test-build hooks from a production build', () => {
    const all = [...built.files.values()].join('\n');
    expect(all).not.toContain('data-gridside-state');
    expect(all).not.toContain('data-gridside-teach');
  });
});
