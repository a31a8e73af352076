import { describe, expect, it } from 'vitest';
import { parseReport } from '../../src/orchestrator/report.ts';
import { CommandNotAllowedError, resolveCommand, scrubbedEnv } from '../../src/orchestrator/runner.ts';

describe('plugin output', () => {
  it('reads a Cortex-style report printed after progress lines', () => {
    const stdout = `checking...\n${JSON.stringify({
      summary: { taxonomies: [{ level: 'suspicious', namespace: 'VT', predicate: 'Score', value: 12 }] },
      full: { positives: 12 },
    })}\n\n`;
    expect(parseReport(stdout)).toEqual({
      taxonomies: [{ level: 'suspicious', namespace: 'VT', predicate: 'Score', value: '12' }],
      data: { positives: 12 },
    });
  });

  it('keeps other JSON as data and plain text as text only', () => {
    expect(parseReport('{"owner":"jdoe"}')).toEqual({ data: { owner: 'jdoe' } });
    // A taxonomy with an unknown level is not a verdict: the JSON is kept as data, no chips.
    const odd = '{"summary":{"taxonomies":[{"level":"evil","namespace":"x","predicate":"y","value":1}]}}';
    expect(parseReport(odd).taxonomies).toBeUndefined();
    expect(parseReport('User jdoe disabled.\n')).toEqual({});
  });
});

describe('commands', () => {
  const interpreters = { 'powershell.exe': '/usr/bin/pwsh', python: '/usr/bin/python3' };

  it('maps interpreters by basename, case-insensitively, including full Windows paths', () => {
    expect(
      resolveCommand('C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\PowerShell.EXE', interpreters, '/p'),
    ).toBe('/usr/bin/pwsh');
    expect(resolveCommand('python', interpreters, '/p')).toBe('/usr/bin/python3');
    expect(resolveCommand('node', {}, '/p')).toBe(process.execPath);
  });

  it('refuses commands outside the map and outside the plugin folder', () => {
    expect(() => resolveCommand('cmd.exe', interpreters, '/tmp')).toThrow(CommandNotAllowedError);
    expect(() => resolveCommand('../../bin/sh', interpreters, '/tmp/plugin')).toThrow(CommandNotAllowedError);
  });

  it('passes only the base environment and what the config names', () => {
    const env = scrubbedEnv(['HTTPS_PROXY'], {
      PATH: '/bin',
      HOME: '/root',
      AWS_SECRET: 'x',
      HTTPS_PROXY: 'p',
    });
    expect(env).toEqual({ PATH: '/bin', HTTPS_PROXY: 'p' });
  });
});
