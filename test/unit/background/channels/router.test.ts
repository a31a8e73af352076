import { describe, expect, it, vi } from 'vitest';
import { createRouter, type SenderInfo } from '../../../../src/background/channels/router.ts';
import { sampleContext } from '../fake-orchestrator.ts';
import { CONSOLE, EXT_ID, EXT_ORIGIN, fromConsole, setup } from './router-fixture.ts';

const fromOptions: SenderInfo = { id: EXT_ID, url: `${EXT_ORIGIN}/src/options/index.html`, tab: { id: 9 } };
const catalogRequest = { type: 'catalog.list', context: sampleContext };

/** A router whose content handler fails with `error`. */
function failingWith(error: Error) {
  return createRouter({
    extensionId: EXT_ID,
    extensionOrigin: EXT_ORIGIN,
    isEnabledConsole: async () => true,
    content: async () => {
      throw error;
    },
    options: async () => null,
    popup: async () => null,
    history: async () => null,
  });
}

describe('message router', () => {
  it('hands a valid content request from an enabled console to the content handler', async () => {
    const { route, content } = setup();
    const reply = await route(catalogRequest, fromConsole);
    expect(reply).toEqual({ ok: true, data: 'content-handled' });
    expect(content).toHaveBeenCalledWith(expect.objectContaining({ type: 'catalog.list' }), {
      origin: CONSOLE,
      tab: { tabId: 7, frameId: 0 },
    });
  });

  it.each([
    ['an unknown type', { type: 'run.everything' }],
    ['no type', { context: sampleContext }],
    ['a string', 'catalog.list'],
    ['null', null],
    ['a request with a malformed row', { type: 'catalog.list', context: { ...sampleContext, kind: 'pcap' } }],
    ['a request for another URL', { type: 'fetch', url: 'https://attacker.example/steal' }],
  ])('answers %s with bad_request and handles nothing', async (_name, message) => {
    const { route, content, options } = setup();
    const reply = await route(message, fromConsole);
    expect(reply).toMatchObject({ ok: false, error: { code: 'bad_request' } });
    expect(content).not.toHaveBeenCalled();
    expect(options).not.toHaveBeenCalled();
  });

  it('refuses messages from another extension', async () => {
    const { route, content } = setup();
    const reply = await route(catalogRequest, { ...fromConsole, id: 'someoneelse' });
    expect(reply).toMatchObject({ ok: false, error: { code: 'refused' } });
    expect(content).not.toHaveBeenCalled();
  });

  it('refuses content requests from a console that is not enabled', async () => {
    const { route, content } = setup();
    const other = 'https://evil.example.com';
    const reply = await route(catalogRequest, {
      ...fromConsole,
      url: `${other}/`,
      tab: { id: 7, url: `${other}/` },
    });
    // Its own code, on which the content script stands down.
    expect(reply).toMatchObject({ ok: false, error: { code: 'not_enabled' } });
    expect(content).not.toHaveBeenCalled();
  });

  it('refuses content requests that do not come from a tab', async () => {
    const { route, content } = setup();
    const reply = await route(catalogRequest, { id: EXT_ID, url: `${CONSOLE}/` });
    expect(reply).toMatchObject({ ok: false, error: { code: 'refused' } });
    expect(content).not.toHaveBeenCalled();
  });

  it.each([
    { type: 'settings.save', settings: { orchestrators: [], consoles: ['https://attacker.example'] } },
    { type: 'secret.set', orchestratorId: 'main', secret: 'stolen' },
    { type: 'connection.test', orchestratorId: 'main' },
    { type: 'settings.get' },
  ])('never runs an options request ($type) sent by a content script', async (message) => {
    const { route, options } = setup();
    const reply = await route(message, fromConsole);
    expect(reply).toMatchObject({ ok: false, error: { code: 'bad_request' } });
    expect(options).not.toHaveBeenCalled();
  });

  it('accepts options requests from the extension’s own pages', async () => {
    const { route, options } = setup();
    const reply = await route({ type: 'secret.set', orchestratorId: 'main', secret: 'tok' }, fromOptions);
    expect(reply).toEqual({ ok: true, data: 'options-handled' });
    expect(options).toHaveBeenCalledWith({ type: 'secret.set', orchestratorId: 'main', secret: 'tok' });
  });

  it('does not treat a page URL that merely contains the extension origin as privileged', async () => {
    const { route, options } = setup();
    const sneaky = { ...fromConsole, url: `${CONSOLE}/?next=${EXT_ORIGIN}/` };
    const reply = await route({ type: 'settings.get' }, sneaky);
    expect(reply.ok).toBe(false);
    expect(options).not.toHaveBeenCalled();
  });

  it('turns a handler failure into a plain internal error', async () => {
    const route = failingWith(new TypeError('boom'));
    vi.spyOn(console, 'error').mockImplementation(() => {});
    const reply = await route(catalogRequest, fromConsole);
    expect(reply).toMatchObject({ ok: false, error: { code: 'internal' } });
  });
});

describe('a browser with no room left', () => {
  it('says so in words, with what to do, when a write is refused', async () => {
    // What idb passes on when IndexedDB aborts a transaction that did not fit.
    const route = failingWith(
      new Error('Transaction aborted', {
        cause: new DOMException('The quota has been exceeded.', 'QuotaExceededError'),
      }),
    );
    const reply = await route(catalogRequest, fromConsole);
    expect(reply).toEqual({
      ok: false,
      error: {
        code: 'internal',
        message: expect.stringContaining('no room left for Gridside'),
        hint: expect.stringContaining('Free disk space'),
      },
    });
  });
});

/** Each extension page has a channel of its own, told by the sender's URL (set by the browser). */
describe('extension page channels', () => {
  const page = (path: string): SenderInfo => ({ id: EXT_ID, url: `${EXT_ORIGIN}/${path}`, tab: { id: 9 } });
  const fromPopup = page('src/popup/index.html');
  const fromApprovalWindow = page('src/popup/index.html?runs=main:r1');
  const fromHistory = page('src/history/index.html#job-1');
  const settingsSave = {
    type: 'settings.save',
    settings: { orchestrators: [], consoles: ['https://attacker.example'] },
  };
  const secretSet = { type: 'secret.set', orchestratorId: 'main', secret: 'stolen' };
  const decide = { type: 'approvals.decide', orchestratorId: 'main', runId: 'r1', decision: 'approve' };
  const historyExport = { type: 'history.export', format: 'json' };

  it.each([
    ['settings.save', settingsSave],
    ['secret.set', secretSet],
    ['consoles.sync', { type: 'consoles.sync' }],
    ['history.export', historyExport],
  ])('refuses an options or history request (%s) from the popup', async (_name, message) => {
    const { route, options, popup, history } = setup();
    const reply = await route(message, fromPopup);
    expect(reply).toMatchObject({ ok: false, error: { code: 'bad_request' } });
    expect(options).not.toHaveBeenCalled();
    expect(popup).not.toHaveBeenCalled();
    expect(history).not.toHaveBeenCalled();
  });

  it.each([
    ['the options page', fromOptions],
    ['the history page', fromHistory],
  ])('refuses an approval decision from %s', async (_name, sender) => {
    const { route, options, popup, history } = setup();
    expect(await route(decide, sender)).toMatchObject({ ok: false, error: { code: 'bad_request' } });
    expect(await route({ type: 'site.enable', origin: 'https://evil.example' }, sender)).toMatchObject({
      ok: false,
    });
    expect(options).not.toHaveBeenCalled();
    expect(popup).not.toHaveBeenCalled();
    expect(history).not.toHaveBeenCalled();
  });

  it('refuses history requests from the options page and settings from the history page', async () => {
    const { route, options, history } = setup();
    expect(await route(historyExport, fromOptions)).toMatchObject({
      ok: false,
      error: { code: 'bad_request' },
    });
    expect(await route(secretSet, fromHistory)).toMatchObject({ ok: false, error: { code: 'bad_request' } });
    expect(options).not.toHaveBeenCalled();
    expect(history).not.toHaveBeenCalled();
  });

  it('hands each page its own requests, the approval window included', async () => {
    const { route, popup, history } = setup();
    expect(await route(decide, fromPopup)).toEqual({ ok: true, data: 'popup-handled' });
    expect(await route({ type: 'approvals.list' }, fromApprovalWindow)).toEqual({
      ok: true,
      data: 'popup-handled',
    });
    expect(popup).toHaveBeenCalledWith(expect.objectContaining({ type: 'approvals.decide', runId: 'r1' }));
    expect(await route(historyExport, fromHistory)).toEqual({ ok: true, data: 'history-handled' });
    expect(history).toHaveBeenCalledWith({ type: 'history.export', format: 'json' });
  });

  it('refuses any other page of the extension, whatever it sends', async () => {
    const { route, options, popup, history } = setup();
    const other = page('src/options/other.html');
    for (const message of [{ type: 'settings.get' }, decide, historyExport]) {
      expect(await route(message, other)).toMatchObject({ ok: false, error: { code: 'refused' } });
    }
    expect(options).not.toHaveBeenCalled();
    expect(popup).not.toHaveBeenCalled();
    expect(history).not.toHaveBeenCalled();
  });

  it.each([
    ['approvals.decide', decide],
    ['approvals.list', { type: 'approvals.list' }],
    ['site.enable', { type: 'site.enable', origin: CONSOLE }],
    ['teach.open', { type: 'teach.open', tabId: 7 }],
    ['history.export', historyExport],
    ['history.import', { type: 'history.import', text: '{}' }],
  ])('never runs a popup or history request (%s) sent by a content script', async (_name, message) => {
    const { route, content, options, popup, history } = setup();
    const reply = await route(message, fromConsole);
    expect(reply).toMatchObject({ ok: false, error: { code: 'bad_request' } });
    for (const handler of [content, options, popup, history]) expect(handler).not.toHaveBeenCalled();
  });
});
