import type { CDPSession, Page } from 'playwright-core';
import { wheelOverGrid } from './console-page.ts';

/**
 * Whose JavaScript runs while the grid scrolls. The page-wide `ScriptDuration` ratio is noisy on a busy
 * machine; a V8 CPU profile of a second, separate scroll pass attributes samples to their script URL, so
 * the content script's own share (its listeners, observer callbacks and the layout reads they force) can
 * be read directly. Run after the unprofiled measurement: the profiler itself slows the page down.
 */

export interface ScriptProfile {
  /** Sampled time in Gridside's frames (chrome-extension:// scripts) and everything they called. */
  extensionMs: number;
  /** Sampled time in all JavaScript (idle, program and GC excluded). */
  scriptMs: number;
  /**
   * The same two as sample counts. A sample's time is the wall-clock gap to the next one, so a renderer
   * descheduled by the machine's other work charges the whole gap to whatever code it was in; counted
   * instead, each sample stands for one interval of code that ran.
   */
  extensionSamples: number;
  scriptSamples: number;
  /**
   * The longest stretch of consecutive samples inside Gridside's frames: an upper bound (to one sample)
   * for the longest single piece of work it did, so whether it alone could make a task longer than 50 ms.
   */
  longestExtensionMs: number;
  /**
   * Where Gridside's samples went: the innermost Gridside function on the stack (name and line), with
   * the native or page function it was in when that was not its own code (a layout read, say).
   */
  topFunctions: Array<{ name: string; ms: number }>;
}

interface ProfileNode {
  id: number;
  callFrame: { url: string; functionName: string; lineNumber?: number; columnNumber?: number };
  children?: number[];
}

interface Profile {
  nodes: ProfileNode[];
  samples?: number[];
  timeDeltas?: number[];
}

const NOT_SCRIPT = new Set(['(idle)', '(program)', '(garbage collector)', '(root)']);

/** `function file:line:column` (a minified build names few functions: build with --minify false to read). */
const frameName = ({ callFrame: f }: ProfileNode): string =>
  `${f.functionName || '(anonymous)'} ${f.url.split('/').pop()}:${(f.lineNumber ?? 0) + 1}:${(f.columnNumber ?? 0) + 1}`;

export function attributeProfile(profile: Profile): ScriptProfile {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);
  const inExtension = new Map<number, boolean>();
  const extensionOwned = (id: number): boolean => {
    const known = inExtension.get(id);
    if (known !== undefined) return known;
    const node = byId.get(id);
    const up = parent.get(id);
    const own = node?.callFrame.url.startsWith('chrome-extension://') ?? false;
    const result = own || (up !== undefined && extensionOwned(up));
    inExtension.set(id, result);
    return result;
  };
  const ownFrame = new Map<number, ProfileNode | undefined>();
  const innermostOwn = (id: number): ProfileNode | undefined => {
    if (ownFrame.has(id)) return ownFrame.get(id);
    const node = byId.get(id);
    const up = parent.get(id);
    const result = node?.callFrame.url.startsWith('chrome-extension://')
      ? node
      : up === undefined
        ? undefined
        : innermostOwn(up);
    ownFrame.set(id, result);
    return result;
  };
  const byFunction = new Map<string, number>();
  const samples = profile.samples ?? [];
  const deltas = profile.timeDeltas ?? [];
  let extensionUs = 0;
  let scriptUs = 0;
  let extensionSamples = 0;
  let scriptSamples = 0;
  let stretchUs = 0;
  let longestUs = 0;
  for (let i = 0; i < samples.length; i += 1) {
    // timeDeltas[i] is the gap before sample i; the gap after it is what the sample stands for.
    const us = deltas[i + 1] ?? 0;
    const node = byId.get(samples[i]!);
    const owned = node !== undefined && extensionOwned(node.id);
    stretchUs = owned ? stretchUs + us : 0;
    longestUs = Math.max(longestUs, stretchUs);
    if (!node || NOT_SCRIPT.has(node.callFrame.functionName)) continue;
    scriptUs += us;
    scriptSamples += 1;
    if (!owned) continue;
    extensionUs += us;
    extensionSamples += 1;
    const own = innermostOwn(node.id);
    const where = own ? frameName(own) : '?';
    const name = own === node ? where : `${where} → ${node.callFrame.functionName || '(native)'}`;
    byFunction.set(name, (byFunction.get(name) ?? 0) + us);
  }
  const topFunctions = [...byFunction]
    .sort((a, b) => b[1] - a[1])
    .slice(0, 12)
    .map(([name, us]) => ({ name, ms: us / 1000 }));
  return {
    extensionMs: extensionUs / 1000,
    scriptMs: scriptUs / 1000,
    extensionSamples,
    scriptSamples,
    longestExtensionMs: longestUs / 1000,
    topFunctions,
  };
}

export async function profileScroll(page: Page, cdp: CDPSession, steps = 120, stepPx = 250) {
  await cdp.send('Profiler.enable');
  await cdp.send('Profiler.setSamplingInterval', { interval: 250 });
  await cdp.send('Profiler.start');
  await wheelOverGrid(page, steps, stepPx);
  const { profile } = (await cdp.send('Profiler.stop')) as { profile: Profile };
  await cdp.send('Profiler.disable');
  return attributeProfile(profile);
}

/** Short scrolls in the rests pass, and how long the page then stays still. */
const REST_STEPS = 3;
const STILL_MS = 900;

/**
 * Gridside's work at rest: `rests` short scrolls of three wheel steps, each followed by 900 ms of
 * stillness, under the CPU profiler. At each rest the row marks read the rows on screen and ask the worker
 * about them, and the row button finds the row under the pointer: work that the scroll pass above, which
 * ends 300 ms after its last step, mostly leaves out. An analyst reading a console scrolls like this far
 * more often than in one long sweep.
 */
export async function profileRests(page: Page, cdp: CDPSession, rests = 20): Promise<ScriptProfile> {
  await cdp.send('Profiler.enable');
  await cdp.send('Profiler.setSamplingInterval', { interval: 250 });
  await cdp.send('Profiler.start');
  for (let i = 0; i < rests; i += 1) {
    await wheelOverGrid(page, REST_STEPS, 250);
    await page.waitForTimeout(STILL_MS);
  }
  const { profile } = (await cdp.send('Profiler.stop')) as { profile: Profile };
  await cdp.send('Profiler.disable');
  return attributeProfile(profile);
}
