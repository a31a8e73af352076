import type { ElementHandle, JSHandle, Page } from 'puppeteer-core';

/**
 * Gridside's UI lives in a CLOSED shadow root, which page scripts cannot reach. WebDriver BiDi can: when it
 * hands back an element, it describes the element's shadow root too, closed or open, with a reference the
 * session may pass back into the page. These helpers take that reference from the overlay host and act on
 * elements inside it with real input, as an analyst would — the Firefox counterpart of
 * test/support/shadow-dom.ts (which uses the DevTools protocol). Nothing in the product opens the root.
 */

const HOST = '[data-gridside]';

/** What puppeteer's BiDi element handles carry (not in its public types). */
interface BidiNodeHandle {
  remoteValue(): { type: string; value?: { shadowRoot?: { type: string; sharedId?: string } | null } };
  realm: unknown;
  constructor: { from(value: unknown, realm: unknown): JSHandle<ShadowRoot> };
}

function isBidiNodeHandle(handle: unknown): handle is BidiNodeHandle {
  const candidate = handle as Partial<BidiNodeHandle>;
  return typeof candidate.remoteValue === 'function' && 'realm' in candidate;
}

/** A handle on Gridside's closed shadow root, or null while the host is not there yet. */
export async function overlayRoot(page: Page): Promise<JSHandle<ShadowRoot> | null> {
  const host = await page.$(HOST);
  if (!host) return null;
  if (!isBidiNodeHandle(host))
    throw new Error('puppeteer no longer exposes the BiDi remote value of an element handle');
  const shadowRoot = host.remoteValue().value?.shadowRoot;
  if (!shadowRoot?.sharedId) return null;
  // Same realm as the host: the page's, where the reference resolves to the live ShadowRoot.
  return host.constructor.from(shadowRoot, host.realm);
}

interface Box {
  top: number;
  bottom: number;
  left: number;
  right: number;
}

interface Found {
  index: number;
  text: string;
  box: Box | null;
}

/** Every match of `selector` in the overlay, with its text and its box (null when not rendered). */
async function findAll(page: Page, selector: string): Promise<Found[]> {
  const root = await overlayRoot(page);
  if (!root) return [];
  return page.evaluate(
    (shadow, css) =>
      [...shadow.querySelectorAll(css)].map((element, index) => {
        const rect = element.getBoundingClientRect();
        const rendered = element.getClientRects().length > 0;
        return {
          index,
          text: element.textContent ?? '',
          box: rendered ? { top: rect.top, bottom: rect.bottom, left: rect.left, right: rect.right } : null,
        };
      }),
    root,
    selector,
  );
}

function matches(text: string, wanted: string | RegExp | undefined): boolean {
  if (wanted === undefined) return true;
  return typeof wanted === 'string' ? text.includes(wanted) : wanted.test(text);
}

/** Waits until an element matching `selector` (and containing `text`, if given) is rendered. */
export async function shadowWaitFor(
  page: Page,
  selector: string,
  options: { text?: string | RegExp; timeoutMs?: number } = {},
): Promise<Found> {
  const deadline = Date.now() + (options.timeoutMs ?? 15_000);
  let seen: string[] = [];
  while (Date.now() < deadline) {
    const found = await findAll(page, selector);
    seen = found.map((f) => f.text.slice(0, 80));
    const hit = found.find((f) => f.box && matches(f.text, options.text));
    if (hit) return hit;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(
    `Gridside UI: no rendered "${selector}"${options.text ? ` with text ${options.text}` : ''}; saw: ${JSON.stringify(seen)}`,
  );
}

/** Clicks the element with a real mouse event at its centre (scrolled into view first, as the analyst would). */
export async function shadowClick(
  page: Page,
  selector: string,
  options: { text?: string | RegExp; timeoutMs?: number } = {},
): Promise<void> {
  const point = await shadowClickPoint(page, selector, options);
  await page.mouse.click(point.x, point.y);
}

/** Where `shadowClick` would click the first match, brought into view: for a press held apart from its release. */
export async function shadowClickPoint(
  page: Page,
  selector: string,
  options: { text?: string | RegExp; timeoutMs?: number } = {},
): Promise<{ x: number; y: number }> {
  const hit = await shadowWaitFor(page, selector, options);
  const root = await overlayRoot(page);
  if (!root) throw new Error('Gridside UI: the overlay disappeared before the click');
  const element = (await page.evaluateHandle(
    (shadow, css, index) => shadow.querySelectorAll(css)[index] as Element,
    root,
    selector,
    hit.index,
  )) as ElementHandle<Element>;
  return element.evaluate((el) => {
    el.scrollIntoView({ block: 'nearest', inline: 'nearest' });
    const rect = el.getBoundingClientRect();
    return { x: rect.left + rect.width / 2, y: rect.top + rect.height / 2 };
  });
}

/** The rendered box (viewport coordinates) of the first match, or null when there is none on screen. */
export async function shadowBox(page: Page, selector: string): Promise<Box | null> {
  const found = await findAll(page, selector);
  return found[0]?.box ?? null;
}

export async function shadowText(page: Page, selector: string): Promise<string[]> {
  const found = await findAll(page, selector);
  return found.map((f) => f.text);
}

/** The value of the first input matching `selector` in the overlay (null when there is none). */
export async function shadowValue(page: Page, selector: string): Promise<string | null> {
  const root = await overlayRoot(page);
  if (!root) return null;
  return page.evaluate(
    (shadow, css) => (shadow.querySelector(css) as HTMLInputElement | null)?.value ?? null,
    root,
    selector,
  );
}

export async function shadowCount(page: Page, selector: string): Promise<number> {
  const found = await findAll(page, selector);
  return found.length;
}

/** The panel summary that demo/test builds publish on the host (src/content/overlay-host.ts). */
export async function panelState<T = Record<string, unknown>>(page: Page): Promise<T | null> {
  const raw = await page.$eval(HOST, (host) => host.getAttribute('data-gridside-state')).catch(() => null);
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
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`panel state never matched; last: ${JSON.stringify(last)?.slice(0, 2000)}`);
}
