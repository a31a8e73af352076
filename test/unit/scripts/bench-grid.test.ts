import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import { findRegisteredLoader, measureInitialScript } from '../../../scripts/bench-grid/initial-script.ts';
import { attributeProfile } from '../../../scripts/bench-grid/script-profile.ts';

/** A dist/ laid out the way crxjs builds it (checked against `vite build --mode demo` output). */
function fakeDist(files: Record<string, string>): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'gridside-bench-grid-test-'));
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    writeFileSync(path.join(dir, name), text);
  }
  return dir;
}

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

const crxLayout = (): Record<string, string> => ({
  'manifest.json': JSON.stringify({ background: { service_worker: 'service-worker-loader.js' } }),
  'service-worker-loader.js': "import './assets/service-worker.ts-AAA.js';\n",
  'assets/service-worker.ts-AAA.js':
    'import{t}from"./fields-CCC.js";var re="assets/main.ts-loader-BBB.js";chrome.scripting;',
  'assets/main.ts-loader-BBB.js':
    '(function(){(async()=>{const{onExecute}=await import(/* @vite-ignore */chrome.runtime.getURL("assets/main.ts-DDD.js"));onExecute?.({})})()})();',
  'assets/main.ts-DDD.js':
    'import{i as e,n as t}from"./fields-CCC.js";import"./row-limits-EEE.js";const p=()=>__vitePreload(()=>import(`./panel-app-FFF.js`),[]);export{p as onExecute};',
  'assets/fields-CCC.js': `export const t=${JSON.stringify('x'.repeat(4000))};`,
  'assets/row-limits-EEE.js': 'export const n=1;',
  'assets/panel-app-FFF.js':
    'import{a}from"./signals.module-GGG.js";import{n}from"./main.ts-DDD.js";export const big=1;',
  'assets/signals.module-GGG.js': `export const a=${JSON.stringify('y'.repeat(9000))};`,
});

describe('initial content script size', () => {
  it('finds the loader the background worker registers', () => {
    const dist = fakeDist(crxLayout());
    dirs.push(dist);
    expect(findRegisteredLoader(dist)).toBe('assets/main.ts-loader-BBB.js');
  });

  it('counts the loader, the main chunk and their static imports, not the lazily loaded panel', () => {
    const layout = crxLayout();
    const dist = fakeDist(layout);
    dirs.push(dist);
    const result = measureInitialScript(dist);
    const names = result.files.map((f) => f.file).sort();
    expect(names).toEqual([
      'assets/fields-CCC.js',
      'assets/main.ts-DDD.js',
      'assets/main.ts-loader-BBB.js',
      'assets/row-limits-EEE.js',
    ]);
    expect(result.lazy).toEqual(['assets/panel-app-FFF.js']);
    const expected = names.reduce(
      (sum, name) => sum + gzipSync(Buffer.from(layout[name]!), { level: 9 }).length,
      0,
    );
    expect(result.gzipTotal).toBe(expected);
  });

  it('counts a chunk the panel shares with the main chunk once, as initial', () => {
    const layout = crxLayout();
    layout['assets/main.ts-DDD.js'] = `import"./signals.module-GGG.js";${layout['assets/main.ts-DDD.js']}`;
    const dist = fakeDist(layout);
    dirs.push(dist);
    const names = measureInitialScript(dist).files.map((f) => f.file);
    expect(names.filter((n) => n === 'assets/signals.module-GGG.js')).toHaveLength(1);
  });
});

describe('CPU profile attribution', () => {
  const frame = (url: string, functionName = 'f') => ({ url, functionName });
  const profile = {
    nodes: [
      { id: 1, callFrame: frame('', '(root)'), children: [2, 3, 5, 6] },
      { id: 2, callFrame: frame('http://127.0.0.1:1/vendor/ag-grid.js', 'render'), children: [] },
      { id: 3, callFrame: frame('chrome-extension://abc/assets/main.ts-DDD.js', 'place'), children: [4] },
      { id: 4, callFrame: frame('', 'getBoundingClientRect'), children: [] },
      { id: 5, callFrame: frame('', '(idle)'), children: [] },
      { id: 6, callFrame: frame('', '(garbage collector)'), children: [] },
    ],
    samples: [2, 3, 4, 5, 2, 6, 2],
    timeDeltas: [0, 1000, 2000, 3000, 4000, 5000, 6000],
  };

  it("counts the content script's frames and the native work they call as Gridside's", () => {
    const result = attributeProfile(profile);
    // Sample i stands for timeDeltas[i + 1]: node 3 → 2 ms, node 4 (called by node 3) → 3 ms.
    expect(result.extensionMs).toBe(5);
    // Page JS: node 2 (1 + 5 ms, the last sample has no following gap) + the extension's 5 ms; idle and GC left out.
    expect(result.scriptMs).toBe(11);
    // Samples 1 and 2 are consecutive and both Gridside's: one 5 ms stretch.
    expect(result.longestExtensionMs).toBe(5);
    // Where it went: the layout read named after the Gridside function that made it.
    expect(result.topFunctions).toEqual([
      { name: 'place main.ts-DDD.js:1:1 → getBoundingClientRect', ms: 3 },
      { name: 'place main.ts-DDD.js:1:1', ms: 2 },
    ]);
  });

  it('attributes nothing to Gridside in a page without the extension', () => {
    const baseline = {
      ...profile,
      nodes: profile.nodes.map((n) =>
        n.callFrame.url.startsWith('chrome-extension://') ? { ...n, callFrame: frame('', 'other') } : n,
      ),
    };
    expect(attributeProfile(baseline).extensionMs).toBe(0);
  });
});
