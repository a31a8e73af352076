import { describe, expect, it, vi } from 'vitest';
import { createContentLines, type LinePort } from '../../../../src/background/channels/content-line.ts';
import type { SenderInfo } from '../../../../src/background/channels/router.ts';
import { CONTENT_LINE } from '../../../../src/core/content-channel.ts';
import { sampleContext } from '../fake-orchestrator.ts';
import { CONSOLE, fromConsole, setup } from './router-fixture.ts';

/** A port as the browser hands it to the worker: its sender is the browser's, not the page's. */
function port(sender: SenderInfo | undefined, name = CONTENT_LINE) {
  const heard: Array<(message: unknown) => void> = [];
  const dropped: Array<() => void> = [];
  const posted: unknown[] = [];
  const p: LinePort = {
    name,
    sender,
    postMessage: (message) => posted.push(message),
    onMessage: { addListener: (l) => heard.push(l) },
    onDisconnect: { addListener: (l) => dropped.push(l) },
  };
  return {
    p,
    posted,
    send: (message: unknown) => {
      for (const l of heard) l(message);
    },
    drop: () => {
      for (const l of dropped) l();
    },
  };
}

/** The worker's end as main.ts sets it up: every port the browser hands over is accepted. */
function answerOnLine(p: LinePort, router: Parameters<ReturnType<typeof createContentLines>['accept']>[1]) {
  createContentLines().accept(p, router);
}

describe("the worker's end of the content line", () => {
  it("answers each request on the port by its id, through the router, as the port's sender", async () => {
    const { route: router, content } = setup();
    const line = port(fromConsole);
    answerOnLine(line.p, router);
    line.send({ id: 4, request: { type: 'catalog.list', context: sampleContext } });
    line.send({ id: 5, request: { type: 'no.such.request' } });
    await vi.waitFor(() => expect(line.posted).toHaveLength(2));
    expect(line.posted).toContainEqual({ id: 4, reply: { ok: true, data: 'content-handled' } });
    expect(line.posted).toContainEqual({ id: 5, reply: expect.objectContaining({ ok: false }) });
    expect(content).toHaveBeenCalledWith(expect.objectContaining({ type: 'catalog.list' }), {
      origin: CONSOLE,
      tab: { tabId: 7, frameId: 0 },
    });
  });

  it("gives a page's port no more than its page: a privileged request is refused, a console not enabled too", async () => {
    const { route: router, options } = setup();
    const line = port(fromConsole);
    answerOnLine(line.p, router);
    line.send({ id: 1, request: { type: 'settings.get' } });
    const other = port({
      ...fromConsole,
      url: 'https://evil.example/',
      tab: { id: 8, url: 'https://evil.example/' },
    });
    answerOnLine(other.p, router);
    other.send({ id: 2, request: { type: 'catalog.list', context: sampleContext } });
    const anonymous = port(undefined);
    answerOnLine(anonymous.p, router);
    anonymous.send({ id: 3, request: { type: 'catalog.list', context: sampleContext } });
    await vi.waitFor(() =>
      expect(line.posted.length + other.posted.length + anonymous.posted.length).toBe(3),
    );
    expect(line.posted).toEqual([{ id: 1, reply: expect.objectContaining({ ok: false }) }]);
    expect(other.posted).toEqual([{ id: 2, reply: expect.objectContaining({ ok: false }) }]);
    expect(anonymous.posted).toEqual([{ id: 3, reply: expect.objectContaining({ ok: false }) }]);
    expect(options).not.toHaveBeenCalled();
  });

  it('drops messages without a request id, and ports of any other name', async () => {
    const { route: router, content } = setup();
    const line = port(fromConsole);
    answerOnLine(line.p, router);
    for (const message of [null, 'catalog.list', { request: {} }, { id: '1', request: {} }, { id: 1.5 }])
      line.send(message);
    const stranger = port(fromConsole, 'something-else');
    answerOnLine(stranger.p, router);
    stranger.send({ id: 1, request: { type: 'catalog.list', context: sampleContext } });
    await new Promise((r) => setTimeout(r, 10));
    expect(line.posted).toEqual([]);
    expect(stranger.posted).toEqual([]);
    expect(content).not.toHaveBeenCalled();
  });

  it("carries pushes to the port's own frame while it is open, and says when a frame has none", async () => {
    const { route: router } = setup();
    const lines = createContentLines();
    const top = port(fromConsole);
    const inner = port({ ...fromConsole, frameId: 3 });
    lines.accept(top.p, router);
    lines.accept(inner.p, router);
    const update = { type: 'job.update', job: { id: 'j1' } };
    expect(lines.post({ tabId: 7, frameId: 0 }, update)).toBe(true);
    expect(lines.post({ tabId: 7, frameId: 3 }, update)).toBe(true);
    expect(lines.post({ tabId: 8, frameId: 0 }, update)).toBe(false);
    expect(top.posted).toEqual([{ push: update }]);
    expect(inner.posted).toEqual([{ push: update }]);
    top.drop();
    expect(lines.post({ tabId: 7, frameId: 0 }, update)).toBe(false);
    expect(top.posted).toHaveLength(1);
    // A port that fails to post (its page went away) is forgotten; the push goes by message instead.
    inner.p.postMessage = () => {
      throw new Error('Attempting to use a disconnected port object');
    };
    expect(lines.post({ tabId: 7, frameId: 3 }, update)).toBe(false);
    expect(lines.post({ tabId: 7, frameId: 3 }, update)).toBe(false);
  });
});
