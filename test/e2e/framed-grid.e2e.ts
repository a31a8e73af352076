import type { Frame, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { type Stack, startStack } from '../support/e2e-stack.ts';
import type { DomNode } from '../support/shadow-dom.ts';
import { argAfter, ECHO_ROW, echoedArgv, type PanelSummary, runShown } from './analyst.ts';

/**
 * A console whose grid is in a frame of its own origin (test/e2e/pages/framed.html: the demo Analyzer in
 * an <iframe>). Gridside runs in that frame as on a page of its own: the row button on the hovered row,
 * the panel beside it, and the row's values sent to the plugin.
 */

let stack: Stack;
let page: Page;
let frame: Frame;

beforeAll(async () => {
  stack = await startStack({ logs: 200, alarms: 10 });
  page = await stack.openConsole('/test-pages/framed.html', 'iframe#analyzer');
  const found = page.frames().find((f) => f.url().includes('/analyzer.html'));
  if (!found) throw new Error('the framed Analyzer did not load');
  frame = found;
  await frame.waitForSelector('#logs-grid .ag-row[row-index="2"] [col-id]');
  await frame.waitForFunction(() => 'gridApi' in window);
});

afterAll(async () => {
  await stack?.stop();
});

/**
 * The centre, in the page's coordinates, of an element inside the frame's Gridside shadow root (closed:
 * only the DevTools protocol reaches it, as test/support/shadow-dom.ts does for the top page).
 */
async function pointInFrameOverlay(selector: string): Promise<{ x: number; y: number } | null> {
  const cdp = await page.context().newCDPSession(page);
  try {
    const { root } = (await cdp.send('DOM.getDocument', { depth: -1, pierce: true })) as { root: DomNode };
    const framed = (node: DomNode): DomNode | undefined => {
      if (node.nodeName === 'IFRAME' && node.contentDocument) return node.contentDocument;
      for (const child of node.children ?? []) {
        const found = framed(child);
        if (found) return found;
      }
      return undefined;
    };
    const host = (node: DomNode): DomNode | undefined => {
      if (node.attributes?.includes('data-gridside') && node.shadowRoots?.[0]) return node.shadowRoots[0];
      for (const child of node.children ?? []) {
        const found = host(child);
        if (found) return found;
      }
      return undefined;
    };
    const document = framed(root);
    const shadow = document && host(document);
    if (!shadow) return null;
    const { nodeId } = (await cdp.send('DOM.querySelector', { nodeId: shadow.nodeId, selector })) as {
      nodeId: number;
    };
    if (!nodeId) return null;
    const { model } = (await cdp.send('DOM.getBoxModel', { nodeId })) as { model: { content: number[] } };
    const [x1 = 0, y1 = 0, , , x3 = 0, y3 = 0] = model.content;
    return { x: (x1 + x3) / 2, y: (y1 + y3) / 2 };
  } catch {
    return null;
  } finally {
    await cdp.detach();
  }
}

/** The panel summary the demo build publishes on the frame's Gridside host. */
async function framePanel(): Promise<PanelSummary | null> {
  const raw = await frame
    .locator('[data-gridside]')
    .first()
    .getAttribute('data-gridside-state', { timeout: 1000 })
    .catch(() => null);
  return raw ? (JSON.parse(raw) as PanelSummary) : null;
}

async function waitForFramePanel(predicate: (state: PanelSummary) => boolean): Promise<PanelSummary> {
  let last: PanelSummary | null = null;
  for (const deadline = Date.now() + 30_000; Date.now() < deadline; await page.waitForTimeout(100)) {
    last = await framePanel();
    if (last && predicate(last)) return last;
  }
  throw new Error(`the framed panel never matched; last: ${JSON.stringify(last)}`);
}

it('puts the row button on a row of the framed grid, and sends that row’s values', async () => {
  const sip = await frame.evaluate(() => {
    // biome-ignore lint/suspicious/noExplicitAny: the demo console exposes its ag-Grid API for tests
    const api = (window as any).gridApi.logs;
    api.ensureColumnVisible('SIP');
    return String(api.getDisplayedRowAtIndex(2).data.SIP);
  });
  expect(sip).toMatch(/\d+\.\d+\.\d+\.\d+/);
  await page.mouse.move(1, 1);
  await frame.locator('#logs-grid .ag-row[row-index="2"] [col-id="SIP"]').first().hover();
  let button: { x: number; y: number } | null = null;
  for (const deadline = Date.now() + 10_000; !button && Date.now() < deadline; ) {
    button = await pointInFrameOverlay('.row-button[data-shown]');
    if (!button) await page.waitForTimeout(100);
  }
  if (!button) throw new Error('no row button in the framed grid');
  // The button sits on the hovered row, within the frame.
  const row = await frame.locator('#logs-grid .ag-row[row-index="2"]').first().boundingBox();
  expect(button.y).toBeGreaterThanOrEqual(row!.y);
  expect(button.y).toBeLessThanOrEqual(row!.y + row!.height);

  await page.mouse.click(button.x, button.y);
  await waitForFramePanel((s) => s.open && s.catalog === 'ready');
  // The keyboard's way through the panel: focus starts in the action filter.
  await page.keyboard.type(ECHO_ROW);
  await page.keyboard.press('Tab');
  await page.keyboard.press('Enter');
  await waitForFramePanel((s) => s.step === 'form');
  await page.keyboard.press('Enter');
  const shown = await waitForFramePanel(runShown);
  expect(argAfter(echoedArgv(shown), '-sip')).toBe(sip);
});
