// @vitest-environment jsdom
import { render } from 'preact';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { PluginInfo, PluginList } from '../../../src/core/plugins-api.ts';
import { SettingsSchema } from '../../../src/core/settings.ts';

/**
 * The Plugins section on its own, with the worker's answers scripted: it shows itself only to a token the
 * orchestrator lets list plugins, and each button sends the request it names.
 */

const asked: { type: string; [key: string]: unknown }[] = [];
let answers: (request: { type: string }) => unknown;
vi.mock('../../../src/options/background.ts', () => ({
  // The real channel parses each reply with the schema the options page's map names for the request.
  askWorker: async (request: { type: string }) => {
    const { OPTIONS_REPLIES } = await import('../../../src/core/options-messages.ts');
    asked.push(request);
    const answer = answers(request);
    if (answer && typeof answer === 'object' && 'error' in answer) return { ok: false, error: answer.error };
    const schema = OPTIONS_REPLIES[request.type as keyof typeof OPTIONS_REPLIES];
    return { ok: true, data: schema.parse(answer) };
  },
}));

const { PluginsSection } = await import('../../../src/options/plugins-section.tsx');
const state = await import('../../../src/options/state.ts');

const plugin = (over: Partial<PluginInfo>): PluginInfo => ({
  id: 'vendor-lookup',
  name: 'Vendor Lookup',
  version: 3,
  kind: 'lpi',
  status: 'trusted',
  runnable: true,
  signer: { name: 'Vendor Inc', keyName: 'Vendor', keyId: '0123456789abcdef' },
  actions: 1,
  importedAt: '2026-12-04T17:00:00.000Z',
  files: [{ path: 'lookup.mjs', sha256: 'a'.repeat(64), size: 10 }],
  ...over,
});

let root: HTMLElement;
/** Waits for the page to get there (effects run after paint, answers arrive asynchronously). */
async function until(check: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 300; i++) {
    if (check()) return;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error(`timed out waiting for ${what}; page says: ${root.textContent}`);
}
const button = (name: string) =>
  [...root.querySelectorAll('button')].find((b) => b.textContent?.trim() === name) as
    | HTMLButtonElement
    | undefined;

beforeEach(() => {
  asked.length = 0;
  root = document.createElement('div');
  document.body.append(root);
  state.settings.value = SettingsSchema.parse({
    orchestrators: [{ id: 'o1', kind: 'gridside', name: 'SOC', url: 'https://orch.example.com/' }],
  });
  state.secretSet.value = { o1: true };
});
afterEach(() => {
  render(null, root);
  root.remove();
});

describe('Plugins section', () => {
  it('stays away for a token without the admin role', async () => {
    answers = () => ({ error: { code: 'forbidden', message: 'this needs one of the roles admin' } });
    render(<PluginsSection />, root);
    await until(() => asked.length === 1, 'the list request');
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(asked).toEqual([{ type: 'plugins.list', orchestratorId: 'o1' }]);
    expect(root.textContent).toBe('');
  });

  it('lists plugins with status, signer and hashes, and disables one', async () => {
    let list: PluginList = { requireSignatures: true, plugins: [plugin({})] };
    answers = (request) => {
      if (request.type === 'plugins.list') return list;
      list = { ...list, plugins: [plugin({ status: 'disabled', runnable: false })] };
      return list.plugins[0];
    };
    render(<PluginsSection />, root);
    await until(() => root.querySelector('tbody tr') !== null, 'the plugin row');
    expect(root.querySelector('h2')?.textContent).toBe('Plugins on SOC');
    const row = root.querySelector('tr[data-plugin-id="vendor-lookup"]');
    expect(row?.getAttribute('data-status')).toBe('trusted');
    expect(row?.textContent).toContain('Vendor Inc');
    expect(row?.textContent).toContain(`sha256:${'a'.repeat(64)}`);

    button('Disable')?.click();
    await until(() => button('Enable') !== undefined, 'the Enable button');
    expect(asked.at(-2)).toEqual({
      type: 'plugins.disable',
      orchestratorId: 'o1',
      pluginId: 'vendor-lookup',
    });
    expect(root.querySelector('tbody tr')?.getAttribute('data-status')).toBe('disabled');
  });

  it('offers to trust a modified plugin and shows which files changed', async () => {
    const modified = plugin({
      status: 'modified',
      runnable: false,
      changed: {
        at: '2026-12-04T17:30:00.000Z',
        files: [{ path: 'lookup.mjs', before: 'b'.repeat(64), after: 'c'.repeat(64) }],
      },
    });
    answers = (request) =>
      request.type === 'plugins.list' ? { requireSignatures: false, plugins: [modified] } : plugin({});
    render(<PluginsSection />, root);
    await until(() => button('Trust files as they are now') !== undefined, 'the Trust button');
    expect(root.textContent).toContain('Modified outside Gridside');
    expect(root.textContent).toContain(`${'b'.repeat(64)} → ${'c'.repeat(64)}`);
    button('Trust files as they are now')?.click();
    await until(() => asked.some((r) => r.type === 'plugins.trust'), 'the trust request');
    expect(asked).toContainEqual({ type: 'plugins.trust', orchestratorId: 'o1', pluginId: 'vendor-lookup' });
  });
});
