import { describe, expect, it } from 'vitest';
import { ConfigError, parseConfig } from '../../../src/orchestrator/config.ts';

/** The orchestrator config's runAs / allowRootPlugins, as an operator writes them. */

const tokens = [{ name: 'ana', roles: ['analyst'], token: 'ana-analyst-token-0123456789' }];

describe('runAs in the orchestrator config', () => {
  it('is optional, and root plugins are not allowed unless said so', () => {
    const config = parseConfig({ tokens });
    expect(config.runAs).toBeUndefined();
    expect(config.allowRootPlugins).toBe(false);
  });

  it('takes a user name, optionally with numeric ids', () => {
    expect(parseConfig({ tokens, runAs: { user: 'gridside' } }).runAs).toEqual({ user: 'gridside' });
    expect(parseConfig({ tokens, runAs: { user: 'gridside', uid: 990, gid: 990 } }).runAs?.uid).toBe(990);
  });

  it('refuses a malformed runAs, naming the field', () => {
    expect(() => parseConfig({ tokens, runAs: 'nobody' })).toThrow(ConfigError);
    expect(() => parseConfig({ tokens, runAs: { user: 'x', uid: -1 } })).toThrow(/runAs\.uid/);
    expect(() => parseConfig({ tokens, runAs: { user: 'x', shell: '/bin/sh' } })).toThrow(/runAs/);
  });
});
