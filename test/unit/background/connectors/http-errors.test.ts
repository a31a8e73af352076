import { describe, expect, it } from 'vitest';
import { engineUrl, parseRetryAfter } from '../../../../src/background/connectors/http-errors.ts';

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
