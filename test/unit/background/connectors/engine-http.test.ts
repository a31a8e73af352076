import { describe, expect, it } from 'vitest';
import { ConnectorError } from '../../../../src/background/connectors/connector.ts';
import {
  engineRequest,
  engineUrl,
  parseRetryAfter,
} from '../../../../src/background/connectors/engine-http.ts';
import { createGridsideConnector } from '../../../../src/background/connectors/gridside.ts';

describe('engine HTTP helpers', () => {
  it('reads Retry-After as seconds or as an HTTP date', () => {
    const now = Date.parse('2026-11-27T10:00:00Z');
    expect(parseRetryAfter('120', now)).toBe(120_000);
    expect(parseRetryAfter('Fri, 27 Nov 2026 10:00:30 GMT', now)).toBe(30_000);
    expect(parseRetryAfter('Fri, 27 Nov 2026 09:00:00 GMT', now)).toBe(0);
    expect(parseRetryAfter('soon', now)).toBeUndefined();
    expect(parseRetryAfter(null, now)).toBeUndefined();
  });

  it('keeps a proxy path prefix from the entry URL for relative API paths', () => {
    expect(engineUrl('https://soc.example.com/cortex/', '/api/job/1')).toBe(
      'https://soc.example.com/cortex/api/job/1',
    );
    expect(engineUrl('https://pm.example.com:8501', '/lr-alarm-api/alarms/1')).toBe(
      'https://pm.example.com:8501/lr-alarm-api/alarms/1',
    );
    expect(engineUrl('https://pm.example.com', 'https://pm.example.com/x')).toBe('https://pm.example.com/x');
  });
});

describe('a request the caller aborts', () => {
  const deps = {
    entry: {
      id: 'e',
      kind: 'gridside',
      name: 'Main',
      url: 'https://soc.example.com',
      enabled: true,
      options: {},
    },
    secret: 'tok',
    // Answers only when the signal fires, with the signal's reason, as fetch does.
    fetch: ((_url: string, init?: RequestInit) =>
      new Promise((_resolve, reject) => {
        init?.signal?.addEventListener('abort', () => reject(init.signal?.reason), { once: true });
      })) as typeof fetch,
  } as const;

  it.each([
    [
      'the engines client',
      (signal: AbortSignal) =>
        engineRequest({ engine: { name: 'Cortex' }, doing: 'x', deps, path: '/', signal }),
    ],
    [
      'the Gridside connector',
      (signal: AbortSignal) => createGridsideConnector(deps).getRun('run-1', signal),
    ],
  ])('rejects with the caller’s own AbortError through %s', async (_name, request) => {
    const controller = new AbortController();
    const pending = request(controller.signal);
    controller.abort();
    const error = await pending.then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(DOMException);
    expect((error as DOMException).name).toBe('AbortError');
    expect(error).not.toBeInstanceOf(ConnectorError);
  });

  it('still says a timeout in plain words', async () => {
    const error = await engineRequest({
      engine: { name: 'Cortex' },
      doing: 'listing',
      deps,
      path: '/',
      timeoutMs: 20,
    }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(ConnectorError);
    expect((error as ConnectorError).code).toBe('timeout');
  });
});
