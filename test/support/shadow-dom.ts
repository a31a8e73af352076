import type { CDPSession, Frame, Page } from 'playwright-core';
import { FRAME_MAX_HEIGHT } from '../../src/core/output-frame-url.ts';
import { EXTENSION_PAGES } from '../../src/core/page-channel.ts';

/**
 * Gridside's UI lives in a CLOSED shadow root, which Playwright locators cannot enter (they pierce open
 * roots only). The DevTools protocol can: `DOM.getDocument({ pierce: true })` lists shadow roots of any
 * mode. These helpers find an element inside Gridside's overlay and act on it with real input events, as
 * an analyst would (src/content/README.md: never open the root in production for tests).
 */

const HOST = '[data-gridside]';

/** A node as `DOM.getDocument({ pierce: true })` lists it (a frame's document under its element). */
export interface DomNode {
  nodeId: number;
  nodeName: string;
  attributes?: string[];
  children?: DomNode[];
  shadowRoots?: DomNode[];
  contentDocument?: DomNode;
}

const sessions = new WeakMap<Page, CDPSession>();

async function session(page: Page): Promise<CDPSession> {
  let cdp = sessions.get(page);
  if (!cdp) {
    cdp = await page.context().newCDPSession(page);
    sessions.set(page, cdp);
  }
  return cdp;
}

/**
 * Lets the page's memory go of every element these helpers were told about. `DOM.getDocument` below binds
 * the whole document to node ids, and the protocol then keeps each bound element alive, also after the
 * page removed it (a scrolling grid removes rows at every step): a heap measured while these helpers are
 * in use would count those elements. Node ids found before this call are stale after it.
 */
export async function forgetShadowNodes(page: Page): Promise<void> {
  await sessions.get(page)?.send('DOM.disable');
}

async function shadowRootId(page: Page): Promise<number | null> {
  const cdp = await session(page);
  const { root } = (await cdp.send('DOM.getDocument', { depth: -1, pierce: true })) as { root: DomNode };
  const { nodeId } = (await cdp.send('DOM.querySelector', { nodeId: root.nodeId, selector: HOST })) as {
    nodeId: number;
  };
  if (!nodeId) return null;
  const { node } = (await cdp.send('DOM.describeNode', { nodeId, depth: 1, pierce: true })) as {
    node: DomNode;
  };
  const shadow = node.shadowRoots?.[0];
  if (!shadow) return null;
  // describeNode gives backend ids only; resolve the shadow root to a live nodeId through the full tree.
  const find = (n: DomNode): number | null => {
    if (n.nodeId === nodeId) return n.shadowRoots?.[0]?.nodeId ?? null;
    for (const child of [...(n.children ?? []), ...(n.shadowRoots ?? [])]) {
      const hit = find(child);
      if (hit) return hit;
    }
    return null;
  };
  return find(root);
}

/** Node ids of every match of `selector` inside Gridside's shadow root. */
export async function shadowQueryAll(page: Page, selector: string): Promise<number[]> {
  const rootId = await shadowRootId(page);
  if (!rootId) return [];
  const cdp = await session(page);
  const { nodeIds } = (await cdp.send('DOM.querySelectorAll', { nodeId: rootId, selector })) as {
    nodeIds: number[];
  };
  return nodeIds;
}

async function center(page: Page, nodeId: number): Promise<{ x: number; y: number } | null> {
  const cdp = await session(page);
  try {
    const { model } = (await cdp.send('DOM.getBoxModel', { nodeId })) as { model: { content: number[] } };
    const [x1 = 0, y1 = 0, , , x3 = 0, y3 = 0] = model.content;
    return { x: (x1 + x3) / 2, y: (y1 + y3) / 2 };
  } catch {
    return null; // not rendered (display: none)
  }
}

/**
 * The protocol keeps every element it hands out as a remote object alive until released: without the
 * release, each panel a test (or bench:memory) reads through here would stay in the page's memory, closed
 * or not, and show as a leak of Gridside's.
 */
let reads = 0;
async function readOf<T>(page: Page, nodeId: number, functionDeclaration: string): Promise<T> {
  const cdp = await session(page);
  reads += 1;
  // One group per read, so that reads running side by side do not release each other's element.
  const objectGroup = `gridside-shadow-read-${reads}`;
  try {
    const { object } = (await cdp.send('DOM.resolveNode', { nodeId, objectGroup })) as {
      object: { objectId: string };
    };
    const { result } = (await cdp.send('Runtime.callFunctionOn', {
      objectId: object.objectId,
      functionDeclaration,
      returnByValue: true,
    })) as { result: { value: T } };
    return result.value;
  } finally {
    await cdp.send('Runtime.releaseObjectGroup', { objectGroup }).catch(() => undefined);
  }
}

async function textOf(page: Page, nodeId: number): Promise<string> {
  return (await readOf<string | null>(page, nodeId, 'function () { return this.textContent; }')) ?? '';
}

/** Waits until an element matching `selector` (and containing `text`, if given) is rendered; returns it. */
export async function shadowWaitFor(
  page: Page,
  selector: string,
  options: { text?: string | RegExp; timeoutMs?: number } = {},
): Promise<number> {
  const deadline = Date.now() + (options.timeoutMs ?? 15_000);
  let seen: string[] = [];
  while (Date.now() < deadline) {
    seen = [];
    for (const nodeId of await shadowQueryAll(page, selector)) {
      const text = await textOf(page, nodeId);
      seen.push(text.slice(0, 80));
      const matches =
        options.text === undefined ||
        (typeof options.text === 'string' ? text.includes(options.text) : options.text.test(text));
      if (matches && (await center(page, nodeId))) return nodeId;
    }
    await page.waitForTimeout(100);
  }
  throw new Error(
    `Gridside UI: no rendered "${selector}"${options.text ? ` with text ${options.text}` : ''}; saw: ${JSON.stringify(seen)}`,
  );
}

/**
 * Clicks the element with a real mouse event at its centre; `holdMs` keeps the button down that long
 * between press and release, as a hand does (released at once by default).
 */
export async function shadowClick(
  page: Page,
  selector: string,
  options: { text?: string | RegExp; timeoutMs?: number; holdMs?: number } = {},
): Promise<void> {
  const point = await shadowClickPoint(page, selector, options);
  await page.mouse.click(point.x, point.y, options.holdMs ? { delay: options.holdMs } : {});
}

/**
 * Where `shadowClick` would click the first match: brought into view and still for a frame. For a caller
 * that must do something between finding the element and the click (a bench reading the CPU just before it).
 */
export async function shadowClickPoint(
  page: Page,
  selector: string,
  options: { text?: string | RegExp; timeoutMs?: number } = {},
): Promise<{ x: number; y: number }> {
  await shadowWaitFor(page, selector, options);
  await outputFramesSized(page);
  // Found again: counting the frames reread the document, which gives its elements new node ids.
  const nodeId = await shadowWaitFor(page, selector, options);
  // A long action list scrolls inside the panel: bring the element into view, as the analyst would.
  const cdp = await session(page);
  await cdp.send('DOM.scrollIntoViewIfNeeded', { nodeId }).catch(() => undefined);
  const point = await stableCenter(page, nodeId);
  if (!point) throw new Error(`Gridside UI: "${selector}" disappeared before the click`);
  return point;
}

/** The extension page Gridside shows run output in (src/pages/output-frame/), inside its views. */
export const OUTPUT_FRAME_PATH = `/${EXTENSION_PAGES.outputFrame}`;

/**
 * Waits (a few seconds at most) until every output frame in Gridside's views shows its output and is drawn
 * at the height that output asked for. A frame opens one line high and grows when its output arrives,
 * through the worker, moving what is below it in its view: pinned results show a frame above each note. A
 * click aimed just before the frame grew lands in the frame, and the keys typed next go to the output page.
 * The view draws a placeholder of the frame's first height before it creates the `<iframe>`, and the page
 * lists a frame only once it has loaded: the wait counts the view's frames, not the page's.
 */
async function outputFramesSized(page: Page): Promise<void> {
  const deadline = Date.now() + 5_000;
  while (Date.now() < deadline) {
    const drawn = await outputFramesDrawn(page);
    const frames = page.frames().filter((frame) => frame.url().includes(OUTPUT_FRAME_PATH));
    if (frames.length >= drawn && (await Promise.all(frames.map(frameSized))).every(Boolean)) return;
    await page.waitForTimeout(50);
  }
}

/** How many output frames (or their placeholders) Gridside's views draw on screen now. */
async function outputFramesDrawn(page: Page): Promise<number> {
  const cdp = await session(page);
  let drawn = 0;
  for (const nodeId of await shadowQueryAll(page, '.output-frame')) {
    try {
      const { model } = (await cdp.send('DOM.getBoxModel', { nodeId })) as { model: { height: number } };
      if (model.height > 0) drawn += 1;
    } catch {
      // not rendered (its view closed or display: none): moves nothing
    }
  }
  return drawn;
}

async function frameSized(frame: Frame): Promise<boolean> {
  try {
    const content = await frame.evaluate(() => {
      const el = document.querySelector('.content');
      if (!el || el.getAttribute('data-status') === 'loading') return null;
      return Math.ceil(el.getBoundingClientRect().height);
    });
    if (content === null) return false;
    const element = await frame.frameElement();
    const drawn = await element.evaluate((el) => (el as Element).getBoundingClientRect().height);
    await element.dispose();
    // Not drawn (its view hidden) moves nothing.
    return drawn === 0 || Math.abs(drawn - Math.min(content, FRAME_MAX_HEIGHT)) <= 1;
  } catch {
    return true; // gone meanwhile: it moves nothing either
  }
}

/**
 * The element's center once it stays put for a frame, as Playwright waits for a "stable" element before
 * clicking: a panel opened just after the page scrolled is placed again when the page rests, and a click
 * aimed at where it was drawn first lands on the grid behind it.
 */
async function stableCenter(page: Page, nodeId: number): Promise<{ x: number; y: number } | null> {
  let last = await center(page, nodeId);
  for (let frame = 0; frame < 30 && last; frame++) {
    await page.evaluate(
      () => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))),
    );
    const now = await center(page, nodeId);
    if (now && Math.abs(now.x - last.x) < 0.5 && Math.abs(now.y - last.y) < 0.5) return now;
    last = now;
  }
  return last;
}

/**
 * Moves keyboard focus to the first match, as Tab would: for a control the page draws over, where a click
 * would land on the page instead.
 */
export async function shadowFocus(page: Page, selector: string): Promise<void> {
  const nodeId = await shadowWaitFor(page, selector);
  const cdp = await session(page);
  await cdp.send('DOM.focus', { nodeId });
}

/** The rendered box (viewport coordinates) of the first match, or null when there is none on screen. */
export async function shadowBox(
  page: Page,
  selector: string,
): Promise<{ top: number; bottom: number; left: number; right: number } | null> {
  const [nodeId] = await shadowQueryAll(page, selector);
  if (!nodeId) return null;
  const cdp = await session(page);
  try {
    const { model } = (await cdp.send('DOM.getBoxModel', { nodeId })) as { model: { border: number[] } };
    const [left = 0, top = 0, , , right = 0, bottom = 0] = model.border;
    return { top, bottom, left, right };
  } catch {
    return null;
  }
}

export async function shadowText(page: Page, selector: string): Promise<string[]> {
  const texts: string[] = [];
  for (const nodeId of await shadowQueryAll(page, selector)) texts.push(await textOf(page, nodeId));
  return texts;
}

/** How far the first match is scrolled down (its `scrollTop`), or null when there is none. */
export async function shadowScrollTop(page: Page, selector: string): Promise<number | null> {
  const [nodeId] = await shadowQueryAll(page, selector);
  return nodeId ? readOf<number>(page, nodeId, 'function () { return this.scrollTop; }') : null;
}

/** The panel summary that demo/test builds publish on the host (src/content/overlay-host.ts). */
export async function panelState<T = Record<string, unknown>>(page: Page): Promise<T | null> {
  const raw = await page
    .locator(HOST)
    .first()
    .getAttribute('data-gridside-state', { timeout: 1000 })
    .catch(() => null);
  return raw ? (JSON.parse(raw) as T) : null;
}

/** Polls the published panel state until `predicate` holds. */
export async function waitForPanelState<T = Record<string, unknown>>(
  page: Page,
  predicate: (state: T) => boolean,
  timeoutMs = 30_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: T | null = null;
  while (Date.now() < deadline) {
    last = await panelState<T>(page);
    if (last && predicate(last)) return last;
    await page.waitForTimeout(100);
  }
  throw new Error(`panel state never matched; last: ${JSON.stringify(last)?.slice(0, 2000)}`);
}

/**
 * Whether the element matching `selector` inside Gridside's shadow root is what the browser hits at its own
 * centre — nothing of the page drawn over it — the way `elementFromPoint` through the shadow root would
 * say. Answers with a description of what IS there otherwise, for the failure message.
 */
export async function shadowHitTest(
  page: Page,
  selector: string,
  options: { text?: string | RegExp } = {},
): Promise<{ onTop: boolean; point: { x: number; y: number }; hit: string }> {
  const nodeId = await shadowWaitFor(page, selector, options);
  const point = await center(page, nodeId);
  if (!point) throw new Error(`Gridside UI: "${selector}" is not rendered`);
  const cdp = await session(page);
  const describe = async (ref: { nodeId?: number; backendNodeId?: number }) =>
    (
      (await cdp.send('DOM.describeNode', ref)) as {
        node: {
          backendNodeId: number;
          localName: string;
          attributes?: string[];
          pseudoElements?: Array<{ backendNodeId: number }>;
        };
      }
    ).node;
  const target = await describe({ nodeId });
  // The element's own ::before and ::after (an icon drawn in CSS) are the element, for a pointer.
  const own = new Set([target.backendNodeId, ...(target.pseudoElements ?? []).map((p) => p.backendNodeId)]);
  const { backendNodeId } = (await cdp.send('DOM.getNodeForLocation', {
    x: Math.round(point.x),
    y: Math.round(point.y),
    includeUserAgentShadowDOM: false,
  })) as { backendNodeId: number };
  const hit = await describe({ backendNodeId });
  const attrs = hit.attributes ?? [];
  const classIndex = attrs.indexOf('class');
  const label = `<${hit.localName}${classIndex >= 0 ? ` class="${attrs[classIndex + 1]}"` : ''}>`;
  return { onTop: own.has(hit.backendNodeId), point, hit: label };
}
