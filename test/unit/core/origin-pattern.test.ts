import { afterEach, describe, expect, it, vi } from 'vitest';
import { originPattern, originPatternFor } from '../../../src/core/origin-pattern.ts';

describe('originPattern', () => {
  afterEach(() => {
    vi.unstubAllGlobals();
  });

  it('keeps the port in Chrome, whose match patterns may name one', () => {
    expect(originPatternFor('https://siem.example.com:8443', false)).toBe('https://siem.example.com:8443/*');
    expect(originPatternFor('http://127.0.0.1:5173/some/page', false)).toBe('http://127.0.0.1:5173/*');
  });

  it('drops the port in Firefox, whose match patterns cannot name one', () => {
    expect(originPatternFor('https://siem.example.com:8443', true)).toBe('https://siem.example.com/*');
    expect(originPatternFor('http://[::1]:8080', true)).toBe('http://[::1]/*');
    expect(originPatternFor('https://siem.example.com', true)).toBe('https://siem.example.com/*');
  });

  it('knows which browser it runs in from the extension’s own origin', () => {
    vi.stubGlobal('location', new URL('moz-extension://6a0f2f4e-5c1d-4b8e-9a57-2f6c1d0b9e31/page.html'));
    expect(originPattern('http://127.0.0.1:8080')).toBe('http://127.0.0.1/*');
    vi.stubGlobal('location', new URL('chrome-extension://abcdefghijklmnopabcdefghijklmnop/page.html'));
    expect(originPattern('http://127.0.0.1:8080')).toBe('http://127.0.0.1:8080/*');
  });
});
