// @vitest-environment jsdom
import { afterEach, describe, expect, it, vi } from 'vitest';
import { installFakeRuntime } from './panel/fake-runtime.ts';

/**
 * The content script's start (main.ts) on a page the worker does not count as an enabled console: in
 * Firefox a console enabled at one port gets the registered script on every port of its host.
 */
type Boot = { controller: AbortController } | undefined;
const bootRecord = () => (globalThis as { __gridsideContent?: Boot }).__gridsideContent;

let runtime: ReturnType<typeof installFakeRuntime> | null = null;
afterEach(() => {
  bootRecord()?.controller.abort();
  delete (globalThis as { __gridsideContent?: Boot }).__gridsideContent;
  runtime?.uninstall();
  for (const el of document.documentElement.querySelectorAll('[data-gridside]')) el.remove();
  vi.resetModules();
});

async function bootWith(answer: (request: { type: string }) => unknown): Promise<void> {
  runtime = installFakeRuntime(answer);
  await import('../../../src/content/main.ts');
}

describe('the content script on a page that is not an enabled console', () => {
  it('stands down when the worker says the console is not enabled: nothing of Gridside stays', async () => {
    await bootWith((request) =>
      request.type === 'config.get'
        ? {
            ok: false,
            error: { code: 'not_enabled', message: 'Gridside is not enabled on https://siem:9000.' },
          }
        : { ok: true, data: {} },
    );
    await vi.waitFor(() => expect(bootRecord()?.controller.signal.aborted).toBe(true));
    expect(document.querySelectorAll('[data-gridside]')).toHaveLength(0);
  });

  it('stands down later too, when the analyst disabled the console while its tab stayed open', async () => {
    let enabled = true;
    await bootWith((request) =>
      enabled
        ? { ok: true, data: request.type === 'config.get' ? { gridSelectors: [], fieldOverrides: {} } : {} }
        : { ok: false, error: { code: 'not_enabled', message: 'Gridside is not enabled on this console.' } },
    );
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(bootRecord()?.controller.signal.aborted).toBe(false);
    expect(document.querySelectorAll('[data-gridside]')).toHaveLength(1);

    enabled = false; // options → this console switched off
    const { ask } = await import('../../../src/content/background-channel.ts');
    const reply = await ask({ type: 'pins.forRow', console: location.origin, rowKey: '1' });
    expect(reply).toMatchObject({ ok: false, error: { code: 'not_enabled' } });
    expect(bootRecord()?.controller.signal.aborted).toBe(true);
    expect(document.querySelectorAll('[data-gridside]')).toHaveLength(0);
  });

  it('stays on an enabled console, and on any other refusal (a worker that cannot answer now)', async () => {
    let answered = 0;
    await bootWith((request) => {
      if (request.type !== 'config.get') return { ok: true, data: {} };
      answered += 1;
      return answered === 1
        ? { ok: false, error: { code: 'internal', message: 'The worker restarted.' } }
        : { ok: true, data: { gridSelectors: [], fieldOverrides: {} } };
    });
    await vi.waitFor(() => expect(answered).toBe(1));
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(bootRecord()?.controller.signal.aborted).toBe(false);
    expect(document.querySelectorAll('[data-gridside]')).toHaveLength(1);
  });
});
