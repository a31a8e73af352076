import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ask, type OnePush, onPush } from '../../../src/content/background-channel.ts';
import { forgetLineForTests, keepWorkerLine, LINE_IDLE_MS } from '../../../src/content/worker-line.ts';
import { CONTENT_LINE, isRepeatable } from '../../../src/core/content-channel.ts';

/** A runtime whose ports the test drives: it sees what is posted and answers (or drops) by hand. */
function portRuntime() {
  const ports: FakePort[] = [];
  const sent: unknown[] = [];
  const runtime = {
    id: 'gridside-test',
    connect: vi.fn((info: { name: string }) => {
      const port = new FakePort(info.name);
      ports.push(port);
      return port;
    }),
    sendMessage: vi.fn(async (request: { type: string }) => {
      sent.push(request);
      return { ok: true, data: `by message: ${request.type}` };
    }),
    onMessage: { addListener() {}, removeListener() {} },
  };
  (globalThis as { chrome?: unknown }).chrome = { runtime };
  return { runtime, ports, sent };
}

class FakePort {
  posted: Array<{ id: number; request: { type: string } }> = [];
  closed = false;
  private heard: Array<(message: unknown) => void> = [];
  private dropped: Array<() => void> = [];
  constructor(readonly name: string) {}
  postMessage(message: { id: number; request: { type: string } }) {
    if (this.closed) throw new Error('Attempting to use a disconnected port object');
    this.posted.push(message);
  }
  disconnect() {
    this.closed = true;
  }
  onMessage = { addListener: (l: (message: unknown) => void) => this.heard.push(l) };
  onDisconnect = { addListener: (l: () => void) => this.dropped.push(l) };
  /** The worker answers request `id`. */
  answer(id: number, reply: unknown) {
    for (const l of this.heard) l({ id, reply });
  }
  /** The worker pushes a message to this frame on the port. */
  push(message: unknown) {
    for (const l of this.heard) l({ push: message });
  }
  /** The worker stopped: the browser closes the port. */
  drop() {
    this.closed = true;
    for (const l of this.dropped) l();
  }
}

const tick = () => new Promise((r) => setTimeout(r, 0));

let fake: ReturnType<typeof portRuntime>;
beforeEach(() => {
  fake = portRuntime();
  keepWorkerLine();
});
afterEach(() => {
  vi.useRealTimers();
  forgetLineForTests();
  delete (globalThis as { chrome?: unknown }).chrome;
});

describe("the content script's line to the worker", () => {
  it('is taken by the panel: until then each request goes by message, and no port is opened', async () => {
    // A fresh copy of the modules, as on a console page where the panel has not opened yet.
    vi.resetModules();
    const channel = await import('../../../src/content/background-channel.ts');
    const lineModule = await import('../../../src/content/worker-line.ts');
    await expect(channel.ask({ type: 'config.get' })).resolves.toEqual({
      ok: true,
      data: 'by message: config.get',
    });
    expect(fake.runtime.connect).not.toHaveBeenCalled();
    lineModule.keepWorkerLine();
    void channel.ask({ type: 'config.get' });
    expect(fake.runtime.connect).toHaveBeenCalledTimes(1);
    expect(fake.ports[0]!.posted.map((m) => m.request)).toEqual([{ type: 'config.get' }]);
    lineModule.forgetLineForTests();
  });

  it('sends every request on one kept port and matches each answer to its request', async () => {
    const first = ask({ type: 'run.get', jobId: 'a' });
    const second = ask({ type: 'run.get', jobId: 'b' });
    expect(fake.runtime.connect).toHaveBeenCalledTimes(1);
    expect(fake.runtime.connect).toHaveBeenCalledWith({ name: CONTENT_LINE });
    const [port] = fake.ports;
    expect(port!.posted.map((m) => m.request)).toEqual([
      { type: 'run.get', jobId: 'a' },
      { type: 'run.get', jobId: 'b' },
    ]);
    // Answered out of order, each reaches its own request; an answer to no request is ignored.
    const [a, b] = port!.posted;
    port!.answer(999, { ok: true, data: 'nobody asked' });
    port!.answer(b!.id, { ok: true, data: 'job b' });
    port!.answer(a!.id, { ok: true, data: 'job a' });
    expect(await first).toEqual({ ok: true, data: 'job a' });
    expect(await second).toEqual({ ok: true, data: 'job b' });
    expect(fake.runtime.sendMessage).not.toHaveBeenCalled();
  });

  it('asks again by message when the worker stopped before answering a read, and never repeats a start', async () => {
    const read = ask({ type: 'catalog.list', context: {} as never });
    const start = ask({ type: 'run.start', actionId: 'x', params: {}, context: {} as never });
    await tick();
    fake.ports[0]!.drop();
    expect(await read).toEqual({ ok: true, data: 'by message: catalog.list' });
    expect(await start).toMatchObject({
      ok: false,
      error: { code: 'unreachable', message: 'Could not reach the Gridside background.' },
    });
    expect(fake.sent).toEqual([{ type: 'catalog.list', context: {} }]);
    // The next request opens a new line.
    const next = ask({ type: 'run.get', jobId: 'c' });
    expect(fake.ports).toHaveLength(2);
    fake.ports[1]!.answer(fake.ports[1]!.posted[0]!.id, { ok: true, data: 'job c' });
    expect(await next).toEqual({ ok: true, data: 'job c' });
  });

  it('sends by message a request whose port closed on this side before it left', async () => {
    ask({ type: 'run.get', jobId: 'a' });
    fake.ports[0]!.closed = true;
    // Nothing left on the closed port, so even a start may go by message.
    const start = ask({ type: 'run.start', actionId: 'x', params: {}, context: {} as never });
    expect(await start).toEqual({ ok: true, data: 'by message: run.start' });
  });

  it('closes the line after a while without requests, before the browser would stop an idle worker', async () => {
    vi.useFakeTimers();
    const first = ask({ type: 'run.get', jobId: 'a' });
    const port = fake.ports[0]!;
    port.answer(port.posted[0]!.id, { ok: true, data: 'job a' });
    await first;
    expect(LINE_IDLE_MS).toBeLessThan(30_000);
    vi.advanceTimersByTime(LINE_IDLE_MS - 1);
    expect(port.closed).toBe(false);
    vi.advanceTimersByTime(1);
    expect(port.closed).toBe(true);
    ask({ type: 'run.get', jobId: 'b' });
    expect(fake.ports).toHaveLength(2);
  });

  it('keeps the line open while a request waits, and forgets one that timed out', async () => {
    vi.useFakeTimers();
    const slow = ask({ type: 'run.get', jobId: 'a' }, 40_000);
    const port = fake.ports[0]!;
    vi.advanceTimersByTime(LINE_IDLE_MS + 1);
    expect(port.closed).toBe(false);
    vi.advanceTimersByTime(40_000);
    expect(await slow).toMatchObject({ ok: false, error: { code: 'timeout' } });
    vi.advanceTimersByTime(LINE_IDLE_MS);
    expect(port.closed).toBe(true);
    // A late answer to the forgotten request changes nothing.
    port.answer(port.posted[0]!.id, { ok: true, data: 'too late' });
  });

  it("hands the worker's pushes on the line to the page's push listeners, checked as any push", async () => {
    const heard: OnePush[] = [];
    const stop = new AbortController();
    onPush((push) => heard.push(push), stop.signal);
    const first = ask({ type: 'run.get', jobId: 'a' });
    const port = fake.ports[0]!;
    const update = { type: 'job.update', job: { id: 'a', status: 'succeeded' } };
    port.answer(port.posted[0]!.id, { ok: true, data: 'job a' });
    port.push(update);
    port.push({ type: 'job.update', job: { id: 7 } });
    port.push({ type: 'something.else' });
    await first;
    expect(heard).toEqual([update]);
    stop.abort();
    port.push(update);
    expect(heard).toHaveLength(1);
  });

  it('uses one message per request in a runtime without ports', async () => {
    delete (fake.runtime as { connect?: unknown }).connect;
    expect(await ask({ type: 'run.get', jobId: 'a' })).toEqual({ ok: true, data: 'by message: run.get' });
  });
});

describe('which requests may be asked again', () => {
  it('reads and keyed starts may; other starts, changes, pins and injections may not; unknown types may not', () => {
    expect(
      ['catalog.list', 'run.get', 'run.resend', 'jobs.forRow', 'config.get', 'pins.forRow'].every(
        isRepeatable,
      ),
    ).toBe(true);
    expect(
      ['run.start', 'batch.start', 'run.cancel', 'pins.add', 'site.teach', 'content.chunk', 'toString'].some(
        isRepeatable,
      ),
    ).toBe(false);
  });
});
