import type { CDPSession, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Stack, startStack } from '../support/e2e-stack.ts';
import { closePanel, ECHO_ROW, openPanelFromRow, runAction, shadowClick, shadowWaitFor } from './analyst.ts';

/**
 * Row marks while the grid scrolls (docs/benchmarks.md "Grid"): Gridside does nothing per scroll step, so a
 * mark cannot follow its row frame by frame. It is hidden while the page moves and placed beside its row
 * again at rest, before it is shown. This proves it frame by frame on the demo console's Alarms tab
 * (ag-Grid 36): after every frame painted during and after a wheel scroll, the page samples the pin mark
 * (resolved into the page's world through the DevTools protocol: it lives in a closed shadow root) and its
 * row. No sample may show the mark away from its row; during the scroll it is hidden; at rest it is shown
 * beside the row, which has moved.
 */

let stack: Stack;
let page: Page;
let cdp: CDPSession;
const INDEX = 6;
const ROW = `#alarms-grid .ag-row[row-index="${INDEX}"]`;

beforeAll(async () => {
  stack = await startStack({ logs: 2_000 });
  page = await stack.openConsole('/analyzer.html#logs', '#logs-grid .ag-row[row-index]');
  await page.waitForFunction(() => 'gridApi' in window, undefined, { timeout: 60_000 });
  cdp = await page.context().newCDPSession(page);
}, 300_000); // an orchestrator, a console and Chromium, on a shared machine

afterAll(async () => {
  await stack?.stop();
});

interface Sample {
  /** The mark is rendered (not hidden by itself or by its layer). */
  shown: boolean;
  markMiddle: number;
  rowTop: number;
  rowBottom: number;
  scrollTop: number;
}

/** Starts sampling after every painted frame, from the page's world; `stop` returns the samples. */
const SAMPLER = `function (rowSelector) {
  const mark = this;
  const samples = [];
  const scroller = document.querySelector('#alarms-grid .ag-grid-viewport, #alarms-grid .ag-body-viewport');
  let on = true;
  const sample = () => {
    if (!on) return;
    const row = document.querySelector(rowSelector);
    const m = mark.getBoundingClientRect();
    const r = row ? row.getBoundingClientRect() : { top: NaN, bottom: NaN };
    samples.push({
      shown: mark.isConnected && mark.checkVisibility(),
      markMiddle: (m.top + m.bottom) / 2,
      rowTop: r.top,
      rowBottom: r.bottom,
      scrollTop: scroller ? scroller.scrollTop : NaN,
    });
    // A task queued from a frame's callbacks runs after that frame is painted: what the analyst saw.
    requestAnimationFrame(() => setTimeout(sample, 0));
  };
  requestAnimationFrame(() => setTimeout(sample, 0));
  window.__gridsideMarkSamples = { stop: () => { on = false; return samples; } };
}`;

interface DomNode {
  backendNodeId: number;
  nodeName: string;
  attributes?: string[];
  children?: DomNode[];
  shadowRoots?: DomNode[];
}

/** The pin mark, found through the closed shadow root with `DOM.getDocument({ pierce: true })`. */
async function pinMark(): Promise<DomNode | null> {
  const { root } = (await cdp.send('DOM.getDocument', { depth: -1, pierce: true })) as { root: DomNode };
  const stack: Array<{ node: DomNode; inOverlay: boolean }> = [{ node: root, inOverlay: false }];
  while (stack.length > 0) {
    const { node, inOverlay } = stack.pop()!;
    const attrs = node.attributes ?? [];
    const cls = attrs[attrs.indexOf('class') + 1] ?? '';
    if (inOverlay && attrs.includes('class') && cls.split(' ').includes('pin-marker')) return node;
    for (const child of [...(node.children ?? []), ...(node.shadowRoots ?? [])])
      stack.push({ node: child, inOverlay: inOverlay || attrs.includes('data-gridside') });
  }
  return null;
}

async function startSampling(): Promise<void> {
  const mark = await pinMark();
  if (!mark) throw new Error('no pin mark on screen');
  const { object } = (await cdp.send('DOM.resolveNode', { backendNodeId: mark.backendNodeId })) as {
    object: { objectId: string };
  };
  await cdp.send('Runtime.callFunctionOn', {
    objectId: object.objectId,
    functionDeclaration: SAMPLER,
    arguments: [{ value: ROW }],
  });
}

const stopSampling = () =>
  page.evaluate(() =>
    (window as unknown as { __gridsideMarkSamples: { stop(): Sample[] } }).__gridsideMarkSamples.stop(),
  );

const beside = (s: Sample) => s.markMiddle > s.rowTop && s.markMiddle < s.rowBottom;

describe('row marks while the grid scrolls', () => {
  it('are hidden while the grid scrolls and shown beside their rows at rest: never painted away from them', {
    timeout: 240_000,
  }, async () => {
    await page.locator('#tab-alarms').click();
    await page.waitForSelector(`${ROW} [col-id="AlarmId"]`, { timeout: 60_000 });
    await openPanelFromRow(page, page.locator(`${ROW} [col-id="AlarmId"]`).first());
    expect((await runAction(page, ECHO_ROW)).status).toBe('succeeded');
    await shadowClick(page, 'button.pin', { text: 'Pin to alarm' });
    await shadowWaitFor(page, '.pinned', { text: 'Pinned' });
    await closePanel(page);
    await shadowWaitFor(page, '.pin-marker[data-shown]', { text: /^1$/, timeoutMs: 20_000 });

    // The pointer over the grid, below the pinned row, scrolling it up a little at a time: the row stays
    // in view the whole time.
    const grid = await page.locator('#alarms-grid').boundingBox();
    if (!grid) throw new Error('the alarms grid is not rendered');
    await page.mouse.move(grid.x + 200, grid.y + grid.height - 40);
    await page.waitForTimeout(500);
    await startSampling();
    for (let step = 0; step < 12; step += 1) {
      await page.mouse.wheel(0, 12);
      await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(resolve)));
    }
    await page.waitForTimeout(1_000); // rest, then the marks are placed and shown again
    const samples = await stopSampling();

    const first = samples[0]!;
    const last = samples.at(-1)!;
    expect(first.shown && beside(first)).toBe(true);
    expect(last.scrollTop).toBeGreaterThan(first.scrollTop); // the grid did scroll
    expect(last.rowTop).toBeLessThan(first.rowTop - 50); // and the row moved well past a mark's height
    // At rest: shown again, beside the row where it is now.
    expect(last.shown).toBe(true);
    expect(beside(last)).toBe(true);
    // Frames painted while the grid was scrolling (between the first and the last scroll position) show no mark.
    const moving = samples.filter((s) => s.scrollTop > first.scrollTop && s.scrollTop < last.scrollTop);
    expect(moving.length).toBeGreaterThan(0);
    expect(moving.filter((s) => s.shown)).toEqual([]);
    // And no painted frame ever shows the mark away from its row.
    expect(samples.filter((s) => s.shown && !beside(s))).toEqual([]);
  });
});
