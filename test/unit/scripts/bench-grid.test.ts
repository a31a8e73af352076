import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import { findRegisteredScript, measureInitialScript } from '../../../scripts/bench-grid/initial-script.ts';
import { attributeProfile } from '../../../scripts/bench-grid/script-profile.ts';

/** A dist/ laid out the way the extension build writes it (checked against `vite build --mode demo` output). */
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

const CONTENT_SCRIPT = `(()=>{globalThis.__gridsideChunks??={}})();globalThis.__gridsideChunks.define("content/main.js",function(require,module,exports,__gridsideImport){var t=${JSON.stringify('x'.repeat(4000))};let p=()=>__gridsideImport("./panel-app-FFF.js"),q=()=>__gridsideImport("./teach-app-HHH.js"),r=()=>__gridsideImport("./panel-app-FFF.js")});globalThis.__gridsideChunks.start("content/main.js");`;

const builtLayout = (): Record<string, string> => ({
  'manifest.json': JSON.stringify({ background: { service_worker: 'service-worker-loader.js' } }),
  'service-worker-loader.js': "import './assets/service-worker.ts-AAA.js';\n",
  'assets/service-worker.ts-AAA.js':
    'import{t}from"./fields-CCC.js";var je={script:`content/gridside.js`,chunks:{"content/panel-app-FFF.js":[`content/panel-app-FFF.js`]}};chrome.scripting;',
  'assets/fields-CCC.js': 'export const t=1;',
  'content/gridside.js': CONTENT_SCRIPT,
  'content/panel-app-FFF.js': `globalThis.__gridsideChunks.define("content/panel-app-FFF.js",function(){var a=${JSON.stringify('y'.repeat(9000))}});`,
  'content/teach-app-HHH.js': 'globalThis.__gridsideChunks.define("content/teach-app-HHH.js",function(){});',
});

describe('initial content script size', () => {
  it('finds the content script file the background worker registers', () => {
    const dist = fakeDist(builtLayout());
    dirs.push(dist);
    expect(findRegisteredScript(dist)).toBe('content/gridside.js');
  });

  it('counts the registered file, not the chunks the worker injects on first use', () => {
    const dist = fakeDist(builtLayout());
    dirs.push(dist);
    const result = measureInitialScript(dist);
    expect(result.files.map((f) => f.file)).toEqual(['content/gridside.js']);
    expect(result.gzipTotal).toBe(gzipSync(Buffer.from(CONTENT_SCRIPT), { level: 9 }).length);
    expect(result.lazy).toEqual(['content/panel-app-FFF.js', 'content/teach-app-HHH.js']);
    expect(result.files.map((f) => f.file)).not.toContain('content/panel-app-FFF.js');
  });

  it('says so when the worker names no content script file', () => {
    const layout = builtLayout();
    layout['assets/service-worker.ts-AAA.js'] = 'chrome.scripting;';
    const dist = fakeDist(layout);
    dirs.push(dist);
    expect(() => measureInitialScript(dist)).toThrow(/could not find the content script/);
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
