import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { CDPSession, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CONTENT_LINE } from '../../src/core/content-channel.ts';
import { HistoryRequestSchema } from '../../src/core/history.ts';
import { OptionsRequestSchema } from '../../src/core/options-messages.ts';
import { PopupRequestSchema } from '../../src/core/popup-messages.ts';
import { type Stack, startStack } from '../support/e2e-stack.ts';
import { REPO_ROOT } from '../support/orchestrator-process.ts';
import {
  closePanel,
  ECHO_ROW,
  echoedArgv,
  openActionForm,
  openPanelFromRow,
  type PanelSummary,
  panelState,
  runAction,
  shadowClick,
  shadowText,
  waitForPanelState,
} from './analyst.ts';

/**
 * The console page is not trusted (docs/architecture.md §8, docs/security.md): a compromised or hostile console must
 * not be able to read Gridside's token, use its privileged channel, or make it run a SmartResponse action.
 * These tests attack from the two places page-adjacent code can run: the page's main world, and the
 * content script's own isolated world (the worst case: a bug that gives the page code execution there).
 */

const LOGS = 1_000;
const FORGED_IP = '6.6.6.6';
const DEMO_CONFIG = JSON.parse(
  readFileSync(path.join(REPO_ROOT, 'demo', 'orchestrator.config.json'), 'utf8'),
) as {
  tokens: { name: string; roles: string[] }[];
};

let stack: Stack;
let page: Page;
let analystToken: string;
let adminToken: string;

beforeAll(async () => {
  stack = await startStack({ logs: LOGS, alarms: 20 });
  page = await stack.openConsole('/analyzer.html#logs', '#logs-grid .ag-row[row-index]');
  const tokenOf = (role: string): string => {
    const name = DEMO_CONFIG.tokens.find((t) => t.roles.includes(role))?.name ?? '';
    const token = stack.orchestrator.tokens[name];
    if (!token) throw new Error(`the demo config has no ${role} token`);
    return token;
  };
  analystToken = tokenOf('analyst');
  adminToken = tokenOf('admin');
});

afterAll(async () => {
  await stack?.stop();
});

/** Every run the orchestrator knows, as its admin sees them. */
async function orchestratorRuns(): Promise<{ id: string; params: Record<string, string> }[]> {
  const response = await fetch(`${stack.orchestrator.url}/api/v1/runs?limit=500`, {
    headers: { authorization: `Bearer ${adminToken}` },
  });
  expect(response.status).toBe(200);
  return ((await response.json()) as { runs: { id: string; params: Record<string, string> }[] }).runs;
}

/** The content script's isolated world on the console page: Gridside's, found through the DevTools protocol. */
async function gridsideIsolatedWorld(target: Page): Promise<{ cdp: CDPSession; contextId: number }> {
  const cdp = await target.context().newCDPSession(target);
  const contexts: { id: number; origin: string; name: string; auxData?: { type?: string } }[] = [];
  cdp.on('Runtime.executionContextCreated', (event: { context: (typeof contexts)[number] }) => {
    contexts.push(event.context);
  });
  await cdp.send('Runtime.enable');
  const extensionOrigin = `chrome-extension://${stack.browser.extensionId}`;
  const deadline = Date.now() + 10_000;
  while (Date.now() < deadline) {
    const world = contexts.find(
      (c) =>
        c.auxData?.type === 'isolated' && (c.origin === extensionOrigin || c.name.startsWith('Gridside')),
    );
    if (world) return { cdp, contextId: world.id };
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(
    `no Gridside isolated world; saw ${JSON.stringify(contexts.map((c) => [c.name, c.origin]))}`,
  );
}

async function evaluateIn<T>(cdp: CDPSession, contextId: number, expression: string): Promise<T> {
  const answer = (await cdp.send('Runtime.evaluate', {
    contextId,
    expression,
    awaitPromise: true,
    returnByValue: true,
  })) as { result: { value?: T }; exceptionDetails?: { text: string; exception?: { description?: string } } };
  if (answer.exceptionDetails) {
    throw new Error(answer.exceptionDetails.exception?.description ?? answer.exceptionDetails.text);
  }
  return answer.result.value as T;
}

/** What the worker holds: the stored secrets (extension IndexedDB) and storage.local. */
async function workerState(): Promise<{ secrets: string[]; local: string }> {
  const worker = await stack.browser.worker();
  return worker.evaluate(async () => {
    const db = await new Promise<IDBDatabase>((resolve, reject) => {
      const open = indexedDB.open('gridside');
      open.onsuccess = () => resolve(open.result);
      open.onerror = () => reject(open.error);
    });
    // Each record is { secret, origin } (src/background/settings/secret-store.ts).
    const secrets = await new Promise<string[]>((resolve, reject) => {
      const all = db.transaction('secrets').objectStore('secrets').getAll();
      all.onsuccess = () => resolve((all.result as { secret: string }[]).map((record) => record.secret));
      all.onerror = () => reject(all.error);
    });
    db.close();
    return { secrets, local: JSON.stringify(await chrome.storage.local.get(null)) };
  });
}

describe('the production build', () => {
  it('declares no host permissions, only optional ones, and carries no demo token or test hook', () => {
    const outDir = mkdtempSync(path.join(tmpdir(), 'gridside-prod-build-'));
    try {
      const build = spawnSync('npx', ['vite', 'build', '--outDir', outDir, '--emptyOutDir'], {
        cwd: REPO_ROOT,
        encoding: 'utf8',
        shell: false,
      });
      expect(build.status, build.stderr).toBe(0);
      const manifest = JSON.parse(readFileSync(path.join(outDir, 'manifest.json'), 'utf8'));
      expect(manifest.host_permissions ?? []).toEqual([]);
      expect(manifest.optional_host_permissions).toEqual(expect.arrayContaining(['https://*/*']));
      expect(manifest.content_scripts ?? []).toEqual([]); // registered per granted console at runtime
      expect(manifest.externally_connectable).toBeUndefined(); // no web page may message the worker
      expect(manifest.permissions).not.toContain('<all_urls>');
      expect(manifest.permissions).not.toContain('tabs');

      const code = readdirSync(outDir, { recursive: true, encoding: 'utf8' })
        .filter((file) => file.endsWith('.js'))
        .map((file) => readFileSync(path.join(outDir, file), 'utf8'))
        .join('\n');
      expect(code).not.toContain(analystToken);
      expect(code).not.toContain('gridside-demo-');
      expect(code).not.toContain('__gridsideTest');
      expect(code).not.toContain('data-gridside-state');
    } finally {
      rmSync(outDir, { recursive: true, force: true });
    }
  }, 180_000);
});

describe("code in the content script's isolated world", () => {
  it('finds no token in the storage and IndexedDB it can reach', async () => {
    const { cdp, contextId } = await gridsideIsolatedWorld(page);
    const seen = await evaluateIn<{ local: string; session: string; databases: string[]; origin: string }>(
      cdp,
      contextId,
      `(async () => {
        const local = JSON.stringify(await chrome.storage.local.get(null));
        let session;
        try { session = JSON.stringify(await chrome.storage.session.get(null)); }
        catch (error) { session = 'refused: ' + String(error); }
        const databases = (await indexedDB.databases()).map((d) => d.name);
        return { local, session, databases, origin: location.origin };
      })()`,
    );
    await cdp.detach();
    // The world is really Gridside's: it sees Gridside's settings (the orchestrator it is pointed at).
    expect(seen.local).toContain(new URL(stack.orchestrator.url).host);
    expect(seen.local).not.toContain(analystToken);
    expect(seen.session).not.toContain(analystToken);
    // IndexedDB there is the console page's origin, not the extension's: no 'gridside' database.
    expect(seen.origin).toBe(new URL(stack.console.url).origin);
    expect(seen.databases).not.toContain('gridside');
    // …while the worker does hold the token, in the extension origin's database.
    expect((await workerState()).secrets).toContain(analystToken);
  });

  it('is refused every privileged request, and none of them changes anything', async () => {
    const before = await workerState();
    const orchestratorId = (JSON.parse(before.local) as { settings?: { orchestrators?: { id: string }[] } })
      .settings?.orchestrators?.[0]?.id;
    // Well-formed privileged requests (checked against their schemas below), as the options page, the
    // popup and the history page send them: only WHO sends them differs.
    const requests = [
      { type: 'settings.get' },
      { type: 'secret.set', orchestratorId: orchestratorId ?? 'x', secret: 'attacker-token-0123456789' },
      { type: 'secret.set', orchestratorId: orchestratorId ?? 'x', secret: null },
      { type: 'connection.test', orchestratorId: orchestratorId ?? 'x' },
      { type: 'consoles.sync' },
      { type: 'history.search', query: {} },
      { type: 'history.export', format: 'json' },
      { type: 'history.import', text: '{}' },
      { type: 'approvals.list' },
      { type: 'approvals.decide', orchestratorId: orchestratorId ?? 'x', runId: 'r1', decision: 'approve' },
      { type: 'site.get', origin: 'https://evil.example' },
      { type: 'site.enable', origin: 'https://evil.example' },
      { type: 'site.disable', origin: new URL(stack.console.url).origin },
      // A page must not start teach mode in its own (or another) tab: only the popup may.
      { type: 'teach.open', tabId: 1 },
    ];
    for (const request of requests) {
      const privileged =
        OptionsRequestSchema.safeParse(request).success ||
        PopupRequestSchema.safeParse(request).success ||
        HistoryRequestSchema.safeParse(request).success;
      expect(privileged, `${request.type} is a well-formed privileged request`).toBe(true);
    }
    const { cdp, contextId } = await gridsideIsolatedWorld(page);
    const control = { type: 'jobs.forRow', console: new URL(stack.console.url).origin, rowKey: 'log-1' };
    // Each request both ways a content script can reach the worker: one message, and its kept port.
    const { byMessage, byLine } = await evaluateIn<Record<string, Record<string, unknown>[]>>(
      cdp,
      contextId,
      `(async () => {
        const requests = ${JSON.stringify([control, ...requests])};
        const byMessage = [];
        for (const request of requests) {
          byMessage.push(await chrome.runtime.sendMessage(request).catch((error) => ({ thrown: String(error) })));
        }
        const line = chrome.runtime.connect({ name: ${JSON.stringify(CONTENT_LINE)} });
        const byLine = await new Promise((resolve) => {
          const answers = new Map();
          line.onMessage.addListener((answer) => {
            answers.set(answer.id, answer.reply);
            if (answers.size === requests.length) resolve(requests.map((_, id) => answers.get(id)));
          });
          requests.forEach((request, id) => line.postMessage({ id, request }));
        });
        line.disconnect();
        return { byMessage, byLine };
      })()`,
    );
    await cdp.detach();
    for (const [control, ...refusals] of [byMessage!, byLine!]) {
      // Control: the content channel itself works from here, so the refusals are about privilege.
      expect(control, JSON.stringify(control)).toMatchObject({ ok: true });
      refusals.forEach((reply, index) => {
        expect(reply, requests[index]!.type).toMatchObject({ ok: false });
        expect(JSON.stringify(reply)).not.toContain(analystToken);
      });
    }
    // Nothing moved: same token, same settings (no console enabled or disabled, no orchestrator changed).
    expect(await workerState()).toEqual(before);
  });
});

describe("the console page's own scripts", () => {
  it('cannot start a run: no forged message, event, click or fake Gridside element reaches the orchestrator', async () => {
    const runsBefore = await orchestratorRuns();
    const forged = await page.evaluate(
      ({ ip, actionId }) => {
        const context = {
          console: location.origin,
          kind: 'log',
          key: { value: 'log-1', source: 'column', confidence: 'high' },
          fields: { SIP: ip },
          labels: {},
          missing: [],
          truncated: [],
        };
        const run = { type: 'run.start', actionId, params: {}, context, refresh: true };
        // Messages and events a careless content script might listen to.
        window.postMessage(run, '*');
        window.postMessage({ source: 'gridside', ...run }, '*');
        window.postMessage(JSON.stringify(run), '*');
        for (const name of ['gridside', 'gridside:run', 'run.start', 'message']) {
          document.dispatchEvent(new CustomEvent(name, { detail: run, bubbles: true }));
          window.dispatchEvent(new CustomEvent(name, { detail: run }));
        }
        // Synthetic input on a row: hover, click, right-click, the keyboard shortcut (isTrusted is false).
        const cell = document.querySelector('#logs-grid .ag-row[row-index="0"] [col-id]') as HTMLElement;
        const box = cell.getBoundingClientRect();
        const at = { bubbles: true, composed: true, clientX: box.right - 5, clientY: box.top + 5 };
        for (const type of ['pointerover', 'pointermove', 'mouseover', 'mousemove']) {
          cell.dispatchEvent(new PointerEvent(type, at));
        }
        cell.click();
        cell.dispatchEvent(new MouseEvent('contextmenu', { ...at, button: 2 }));
        for (const target of [cell, document.body, document]) {
          target.dispatchEvent(
            new KeyboardEvent('keydown', {
              key: 'R',
              code: 'KeyR',
              altKey: true,
              shiftKey: true,
              bubbles: true,
            }),
          );
          target.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter', bubbles: true }));
        }
        // Whatever sits at the floating button's place (Gridside's host, retargeted) gets a synthetic click.
        (document.elementFromPoint(box.right - 40, box.top + 5) as HTMLElement | null)?.click();
        // A fake Gridside overlay, and clicks on it.
        const fake = document.createElement('div');
        fake.setAttribute('data-gridside', '');
        const fakeButton = document.createElement('button');
        fakeButton.className = 'row-button';
        fakeButton.textContent = 'Run SmartResponse';
        fake.append(fakeButton);
        document.body.append(fake);
        fakeButton.click();
        fake.remove();
        return { cell: Boolean(cell) };
      },
      { ip: FORGED_IP, actionId: 'gridside-demo-disable-account/disable-account-user-impacted' },
    );
    expect(forged.cell).toBe(true);
    // Let anything the forgeries might have set going (a panel chunk load, a message round trip) happen.
    await page.waitForTimeout(1500);
    expect((await panelState<{ open: boolean }>(page))?.open ?? false).toBe(false);

    // Now the analyst really runs one action through the same pipeline: exactly that run arrives.
    const cell = page.locator('#logs-grid .ag-row[row-index="1"] [col-id="SIP"]').first();
    await openPanelFromRow(page, cell);
    const state = await runAction(page, ECHO_ROW);
    expect(echoedArgv(state)).not.toContain(FORGED_IP);

    const runsAfter = await orchestratorRuns();
    const fresh = runsAfter.filter((run) => !runsBefore.some((old) => old.id === run.id));
    expect(fresh).toHaveLength(1);
    expect(JSON.stringify(runsAfter)).not.toContain(FORGED_IP);
  });
});

describe("the content script's isolated world, writing storage", () => {
  // Settings live in chrome.storage.local, which content scripts may WRITE. Code running in the content
  // script's world (a bug there, or a hostile console exploiting one) can repoint an orchestrator entry;
  // the worker must still never send the token there: each secret is bound to the origin it was entered
  // for (src/background/settings/secret-store.ts).
  it('cannot repoint the orchestrator and receive the bearer token', async () => {
    const seen: string[] = [];
    const thief = createServer((request, response) => {
      seen.push(String(request.headers.authorization ?? ''));
      response.writeHead(200, {
        'access-control-allow-origin': '*',
        'access-control-allow-headers': '*',
        'content-type': 'application/json',
      });
      response.end('{}');
    });
    await new Promise<void>((resolve) => thief.listen(0, '127.0.0.1', resolve));
    const thiefUrl = `http://127.0.0.1:${(thief.address() as AddressInfo).port}`;
    const { cdp, contextId } = await gridsideIsolatedWorld(page);
    const original = await evaluateIn<string>(
      cdp,
      contextId,
      'chrome.storage.local.get(null).then(JSON.stringify)',
    );
    try {
      await evaluateIn(
        cdp,
        contextId,
        `(async () => {
          const { settings } = await chrome.storage.local.get('settings');
          for (const entry of settings.orchestrators) entry.url = ${JSON.stringify(thiefUrl)};
          await chrome.storage.local.set({ settings });
          const context = {
            console: location.origin, kind: 'log',
            key: { value: 'log-1', source: 'column', confidence: 'high' },
            fields: { SIP: '10.0.0.1' }, labels: {}, missing: [], truncated: [],
          };
          await chrome.runtime.sendMessage({ type: 'catalog.list', context }).catch(() => undefined);
          await chrome.runtime.sendMessage({
            type: 'run.start', actionId: 'gridside-demo-echo-row/echo-row-fields', params: {}, context,
          }).catch(() => undefined);
        })()`,
      );
      const deadline = Date.now() + 5000;
      while (Date.now() < deadline && !seen.some((header) => header.includes(analystToken))) {
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      expect(seen.join('\n')).not.toContain(analystToken);
    } finally {
      await evaluateIn(
        cdp,
        contextId,
        `chrome.storage.local.clear().then(() => chrome.storage.local.set(${original}))`,
      );
      await cdp.detach();
      thief.close();
    }
  });
});

describe('an action that changes things, checked before it runs', () => {
  const DISABLE = 'Disable Account and Revoke Sessions : User (Origin)';

  // A console page as an analyst opens it: the tests above wrote and restored the extension's storage
  // under this page, and Gridside's script on it may have stood down meanwhile.
  beforeAll(async () => {
    page = await stack.openConsole('/analyzer.html#logs', '#logs-grid .ag-row[row-index]');
    await page.waitForFunction(() => 'gridApi' in window);
  });

  /** A log row with a Login on screen (given `login`, the row's Login is set to it first), and its cell. */
  async function loginRow(skip: number, login?: string) {
    const found = await page.evaluate(
      ([skip, login]) => {
        const api = (window as unknown as { gridApi: { logs: GridApiLike } }).gridApi.logs;
        let seen = 0;
        for (let index = 0; index < 500; index++) {
          const node = api.getDisplayedRowAtIndex(index);
          if (!node?.data?.Login || seen++ < skip) continue;
          if (login) node.setDataValue('Login', login);
          api.ensureIndexVisible(index, 'middle');
          api.ensureColumnVisible('Login');
          return { index, login: String(node.data.Login) };
        }
        return null;
      },
      [skip, login ?? null] as const,
    );
    if (!found) throw new Error('the demo grid has no log with a Login');
    const cell = page.locator(`#logs-grid .ag-row[row-index="${found.index}"] [col-id="Login"]`).first();
    await cell.waitFor();
    return { ...found, cell };
  }

  it('is not confirmed by Enter held down in its form; a press of its own confirms it', async () => {
    const { cell, login } = await loginRow(2);
    await openPanelFromRow(page, cell);
    await openActionForm(page, DISABLE);
    const runsFor = async () =>
      (await orchestratorRuns()).filter((r) => Object.values(r.params).includes(login));
    expect(await runsFor()).toHaveLength(0);
    await shadowClick(page, 'form input[type="text"]');
    await page.keyboard.down('Enter');
    await waitForPanelState<PanelSummary>(page, (s) => s.step === 'confirm');
    // The key still held: the keyboard repeats it (Playwright sends it with `repeat: true`, as Chromium does).
    await page.keyboard.down('Enter');
    await page.keyboard.down('Enter');
    await page.keyboard.up('Enter');
    await page.waitForTimeout(1000);
    expect((await panelState<PanelSummary>(page))?.step).toBe('confirm');
    expect(await runsFor()).toHaveLength(0);

    // The values have the focus; Tab reaches Run, and Enter, pressed anew, confirms.
    await page.keyboard.press('Tab');
    await page.keyboard.press('Enter');
    await waitForPanelState<PanelSummary>(page, (s) => s.step === 'run' && s.status === 'pending_approval');
    expect(await runsFor()).toHaveLength(1);
    await closePanel(page);
  });

  it('shows a value with a right-to-left override as it is sent, not as it reads', async () => {
    const spoofed = '\u202Enimda-niamod'; // reads "domain-admin" on screen
    const { cell } = await loginRow(4, spoofed);
    await openPanelFromRow(page, cell);
    await openActionForm(page, DISABLE);
    expect((await shadowText(page, '.param .hidden-chars')).join('')).toContain('U+202E');
    await shadowClick(page, 'form input[type="text"]');
    await page.keyboard.press('Enter');
    await waitForPanelState<PanelSummary>(page, (s) => s.step === 'confirm');
    expect(await shadowText(page, 'ul.sent li')).toEqual(['Target Account* = ⟨U+202E⟩nimda-niamod']);
    expect((await shadowText(page, 'section.panel p.warning')).join(' ')).toContain('(U+202E)');
    await closePanel(page);
  });
});

interface GridApiLike {
  getDisplayedRowAtIndex(
    index: number,
  ): { data?: { Login?: unknown }; setDataValue(column: string, value: string): void } | undefined;
  ensureIndexVisible(index: number, position: 'middle'): void;
  ensureColumnVisible(column: string): void;
}
