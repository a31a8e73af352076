import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { detectObservableType } from '../../../src/core/observables.ts';

const searchSample = JSON.parse(
  readFileSync(
    new URL('../../fixtures/logrhythm/search_result_items.google-secops-marketplace.json', import.meta.url),
    'utf8',
  ),
);
const searchItem = searchSample[0].EntityResult[0];

describe('detectObservableType', () => {
  it.each([
    ['10.1.2.3', 'ip'],
    ['255.255.255.255', 'ip'],
    ['2001:db8::1', 'ip'],
    ['::1', 'ip'],
    ['fe80::1%eth0', 'ip'],
    ['[2001:db8:0:0:0:0:0:1]', 'ip'],
    ['::ffff:192.0.2.128', 'ip'],
    ['d41d8cd98f00b204e9800998ecf8427e', 'hash'],
    ['da39a3ee5e6b4b0d3255bfef95601890afd80709', 'hash'],
    ['E3B0C44298FC1C149AFBF4C8996FB92427AE41E4649B934CA495991B7852B855', 'hash'],
    ['https://evil.example.com/path?q=1', 'url'],
    ['hxxp://not-a-scheme-check.example/', 'url'],
    ['alice@example.com', 'email'],
    ['example.co.uk', 'domain'],
    ['win-jsbol5ercqa.demisto.lab', 'domain'],
    ['00:1A:2B:3C:4D:5E', 'mac'],
    ['00-1a-2b-3c-4d-5e', 'mac'],
    ['001a.2b3c.4d5e', 'mac'],
    ['CVE-2021-44228', 'cve'],
    ['2021-08-17T13:36:39.78', 'date'],
    ['2021-05-15T20:43:51.191Z', 'date'],
    ['14042', 'number'],
    ['-1.5', 'number'],
    ['admin5', 'text'],
    ['LogRhythm Agent Heartbeat Missed', 'text'],
    ['', 'text'],
  ])('%s → %s', (value, type) => {
    expect(detectObservableType(value)).toBe(type);
  });

  it('does not mistake near misses for observables', () => {
    expect(detectObservableType('256.1.1.1')).not.toBe('ip');
    expect(detectObservableType('1.2.3')).not.toBe('ip');
    expect(detectObservableType('2001:db8::1::2')).not.toBe('ip');
    expect(detectObservableType('1:2:3:4:5:6:7')).not.toBe('ip');
    expect(detectObservableType('d41d8cd98f00b204e9800998ecf8427')).not.toBe('hash'); // 31 hex digits
    expect(detectObservableType('a@b@example.com')).not.toBe('email');
    expect(detectObservableType('00:1A:2B:3C:4D')).not.toBe('mac');
    expect(detectObservableType('CVE-21-1')).not.toBe('cve');
    expect(detectObservableType('-bad-.example.com')).not.toBe('domain');
  });

  it('trims the cell text first', () => {
    expect(detectObservableType('  10.0.0.1\n')).toBe('ip');
  });

  it('classifies real Search API values', () => {
    expect(detectObservableType(String(searchItem.originIp))).toBe('ip');
    expect(detectObservableType(String(searchItem.url))).toBe('url');
    expect(detectObservableType(String(searchItem.originPort))).toBe('number');
  });

  it('returns on hostile 100 KB values (linear-time patterns; a regression would hang this test)', () => {
    const big = 100_000;
    const hostile = [
      'a'.repeat(big),
      `http://${'a'.repeat(big)}`,
      '1.'.repeat(big / 2),
      `a@${'a.'.repeat(big / 2)}`,
      ':'.repeat(big),
      '0'.repeat(big),
      `${'a-'.repeat(big / 2)}.com`,
    ];
    for (const value of hostile) expect(detectObservableType(value)).toBe('text');
    // Just under the length cap every pattern really runs: still fast, still the right answer.
    const nearCap = 8000;
    expect(detectObservableType(`http://${'a'.repeat(nearCap)} x`)).toBe('text');
    expect(detectObservableType(`${'1'.repeat(nearCap)}.`)).toBe('text');
    expect(detectObservableType(`https://example.com/${'a'.repeat(nearCap)}`)).toBe('url');
    expect(detectObservableType(`${'a.'.repeat(nearCap / 2)}@`)).toBe('text');
  });
});
