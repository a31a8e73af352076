import { createPluginAdminHandler } from '../../../src/background/orchestrators/plugin-admin.ts';
// @vitest-environment jsdom
import 'fake-indexeddb/auto';
import { render } from 'preact';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createOptionsHandler } from '../../../src/background/channels/options-handlers.ts';
import { createRouter } from '../../../src/background/channels/router.ts';
import { openGridsideDb } from '../../../src/background/db.ts';
import { createCatalog } from '../../../src/background/orchestrators/catalog.ts';
import {
  createOrchestrators,
  enabledOrchestratorOrigins,
} from '../../../src/background/orchestrators/orchestrators.ts';
import { createRestrictedFetch } from '../../../src/background/orchestrators/restricted-fetch.ts';
import { createSecretStore } from '../../../src/background/settings/secret-store.ts';
import { createSettingsStore } from '../../../src/background/settings/settings-store.ts';
import { createFakeBrowser, type FakeBrowser } from '../../support/fake-browser.ts';

/**
 * The options page against the real worker side (router, options handler, stores over fake-indexeddb);
 * only the browser APIs are faked. `webextension-polyfill` is replaced by the fake below.
 */
let fake: FakeBrowser;
vi.mock('webextension-polyfill', () => ({
  default: new Proxy({}, { get: (_t, key) => (fake as unknown as Record<string | symbol, unknown>)[key] }),
}));

const { App } = await import('../../../src/options/app.tsx');
const state = await import('../../../src/options/state.ts');

let n = 0;
let root: HTMLElement;

function wireWorker(): void {
  fake = createFakeBrowser({ id: 'optionstest' });
  const db = openGridsideDb(`gridside-options-test-${++n}`);
  const secrets = createSecretStore(db);
  const settingsStore = createSettingsStore(fake.storage.local, fake.storage.managed);
  const restricted = createRestrictedFetch({
    allowedOrigins: async () => enabledOrchestratorOrigins(await settingsStore.load()),
  });
  const orchestrators = createOrchestrators({
    settings: () => settingsStore.load(),
    secrets,
    fetch: restricted,
  });
  const catalog = createCatalog({
    defaultEntry: orchestrators.defaultEntry,
    connector: orchestrators.connector,
  });
  const router = createRouter({
    extensionId: fake.runtime.id,
    extensionOrigin: `chrome-extension://${fake.runtime.id}`,
    isEnabledConsole: async () => false,
    content: async () => null,
    options: createOptionsHandler({
      settings: settingsStore,
      secrets,
      orchestrators,
      catalog,
      syncConsoles: async () => ({ registered: [], missingPermission: [] }),
      plugins: createPluginAdminHandler({ orchestrators }),
    }),
    popup: async () => null,
    history: async () => null,
  });
  Object.assign(fake.runtime, {
    sendMessage: (message: unknown) =>
      router(structuredClone(message), {
        id: fake.runtime.id,
        url: `chrome-extension://${fake.runtime.id}/src/options/index.html`,
      }),
  });
}

async function until<T>(find: () => T | null | undefined, what: string): Promise<T> {
  for (let i = 0; i < 200; i++) {
    const found = find();
    if (found) return found;
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error(`Timed out waiting for ${what}; page says: ${root.textContent}`);
}

const byText = (text: string | RegExp) =>
  [...root.querySelectorAll<HTMLElement>('button, span, p, li')].find((el) =>
    typeof text === 'string' ? el.textContent?.trim() === text : text.test(el.textContent ?? ''),
  );
const byLabel = <T extends HTMLElement>(label: string) => {
  const el = [...root.querySelectorAll('label')].find((l) => l.textContent?.trim() === label);
  return el ? (root.ownerDocument.getElementById(el.htmlFor) as T | null) : null;
};
const type = (input: HTMLInputElement | HTMLTextAreaElement, value: string) => {
  input.value = value;
  input.dispatchEvent(new Event('input', { bubbles: true }));
};

beforeEach(async () => {
  wireWorker();
  state.settings.value = null;
  state.status.value = null;
  root = document.createElement('div');
  document.body.append(root);
  render(<App />, root);
  await state.loadSettings();
});
afterEach(() => {
  render(null, root);
  root.remove();
});

async function addOrchestrator(url: string): Promise<void> {
  (await until(() => byText('Add orchestrator'), 'the add button')).click();
  const urlInput = await until(() => byLabel<HTMLInputElement>('URL'), 'the URL field');
  type(urlInput, url);
  (await until(() => byText('Save'), 'Save')).click();
  await until(() => state.settings.value?.orchestrators[0]?.url === url || null, 'the saved URL');
}

describe('options page', () => {
  it('takes a token without ever showing it again', async () => {
    await addOrchestrator('https://orchestrator.example.com/');
    await until(() => byText('Token: not set'), 'token state');
    const token = byLabel<HTMLInputElement>('Token')!;
    expect(token.type).toBe('password');
    type(token, 'very-secret-token');
    await until(
      () => (byText('Save token') as HTMLButtonElement | undefined)?.disabled === false || null,
      'enabled',
    );
    byText('Save token')!.click();
    await until(() => byText('Token: set'), 'token set');
    expect(byLabel<HTMLInputElement>('Token')!.value).toBe('');
    expect(root.innerHTML).not.toContain('very-secret-token');
    expect(fake.storage.local.dump()).not.toContain('very-secret-token');
  });

  it('asks the browser for the orchestrator’s origin when saving it', async () => {
    await addOrchestrator('https://orchestrator.example.com/');
    expect(fake.granted.has('https://orchestrator.example.com/*')).toBe(true);
  });

  it('says exactly what failed when the connection test fails', async () => {
    await addOrchestrator('http://127.0.0.1:9/');
    byText('Test connection')!.click();
    const message = await until(() => byText(/could not reach/), 'the failure');
    expect(message.textContent).toContain(
      'Gridside could not reach the orchestrator at http://127.0.0.1:9. Is it running?',
    );
    expect(message.textContent).toContain('Check the URL in Gridside options');
  });

  it('says the test is under way while the orchestrator does not answer', async () => {
    await addOrchestrator('http://127.0.0.1:9/');
    // An orchestrator that accepts the connection and never answers: the worker's answer is long in coming.
    const runtime = fake.runtime as unknown as { sendMessage: (message: unknown) => Promise<unknown> };
    const send = runtime.sendMessage;
    runtime.sendMessage = (message) =>
      (message as { type?: string }).type === 'connection.test' ? new Promise(() => {}) : send(message);
    byText('Test connection')!.click();
    const button = await until(() => byText('Testing…'), 'the button saying so');
    expect(button.tagName).toBe('BUTTON');
    expect((button as HTMLButtonElement).disabled).toBe(true);
    expect(byText('Testing the connection…')?.getAttribute('role')).toBe('status');
  });

  it('enables a console after asking for its origin', async () => {
    const input = await until(() => byLabel<HTMLInputElement>('Console address'), 'the console field');
    type(input, 'https://SIEM.example.com/analyzer');
    input.form!.requestSubmit();
    await until(() => byText('https://siem.example.com') ?? root.querySelector('code'), 'the console');
    await until(() => (state.settings.value?.consoles.length ? true : null), 'saved consoles');
    expect(state.settings.value?.consoles).toEqual(['https://siem.example.com']);
    expect(fake.granted.has('https://siem.example.com/*')).toBe(true);
  });

  it('shows what the organisation set as read-only, labelled as set by it', async () => {
    await fake.storage.managed.set({
      orchestratorUrl: 'https://gridside.corp.example/',
      consoles: ['https://lr.corp.example/'],
    });
    await state.loadSettings();
    const url = await until(() => byLabel<HTMLInputElement>('URL'), 'the managed orchestrator');
    expect(url.value).toBe('https://gridside.corp.example/');
    for (const label of ['Name', 'Engine', 'URL', 'Enabled'])
      expect(byLabel<HTMLInputElement>(label)?.matches(':disabled')).toBe(true);
    const form = url.closest('form')!;
    const buttons = [...form.querySelectorAll('button')];
    const named = (text: string) => buttons.find((b) => b.textContent?.trim() === text);
    expect(named('Save')?.disabled).toBe(true);
    expect(named('Remove')?.disabled).toBe(true);
    // The token stays the analyst's to set.
    expect(byLabel<HTMLInputElement>('Token')?.matches(':disabled')).toBe(false);
    expect(form.textContent).toContain('set by your organisation');

    const console = await until(
      () => root.querySelector<HTMLButtonElement>('[aria-label="Remove https://lr.corp.example"]'),
      'the console',
    );
    expect(console.disabled).toBe(true);
    expect(console.closest('li')?.textContent).toContain('set by your organisation');
  });

  it('shows where a grid selector config is wrong and does not save it', async () => {
    const textarea = await until(
      () => byLabel<HTMLTextAreaElement>('Grid selector configs (JSON)'),
      'the textarea',
    );
    type(
      textarea,
      JSON.stringify([
        { origin: 'https://siem.example.com', root: '.grid', row: '.r', cell: '.c', columnKey: {} },
      ]),
    );
    byText('Save grid selectors')!.click();
    const problem = await until(() => byText(/^\[0\]\.columnKey/), 'the problem');
    expect(problem.textContent).toMatch(/^\[0\]\.columnKey: /);
    expect(state.settings.value?.gridSelectors).toEqual([]);
  });
});
