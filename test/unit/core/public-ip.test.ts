import { describe, expect, it } from 'vitest';
import { isPublicIp } from '../../../src/core/public-ip.ts';

describe('isPublicIp', () => {
  it.each(['8.8.8.8', '185.220.101.7', '172.32.0.1', '100.128.0.1', '2a00:1450:4001:82a::200e'])(
    '%s is public',
    (ip) => expect(isPublicIp(ip)).toBe(true),
  );

  it.each([
    '10.1.2.3',
    '172.16.5.4',
    '172.31.255.255',
    '192.168.0.10',
    '127.0.0.1',
    '169.254.10.1',
    '100.64.0.1',
    '198.18.0.1',
    '224.0.0.1',
    '255.255.255.255',
    '0.0.0.0',
    '::1',
    'fd00::1',
    'fe80::1',
    '::ffff:10.0.0.1',
    'not an ip',
    '',
    '999.1.1.1',
  ])('%s is not', (ip) => expect(isPublicIp(ip)).toBe(false));
});
