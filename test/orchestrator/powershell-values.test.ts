import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiErrorSchema, RunSchema } from '../../src/core/api.ts';
import { type OrchestratorHandle, startOrchestrator } from '../support/orchestrator-process.ts';
import { client, rowContext, TOKENS } from './setup.ts';

/**
 * Log values that begin with a dash, on their way to a PowerShell plugin. PowerShell's command line reads
 * such an argument as a parameter's name, so the orchestrator glues it to its switch (`-hostname:-Force`)
 * or refuses the run. PowerShell is not installed on the test hosts: `powershell.exe` is mapped to Node,
 * whose script prints the argv it was given, which is what PowerShell would have parsed.
 */

const ECHO = 'process.stdout.write(JSON.stringify({ argv: process.argv.slice(2) }));\n';
const ACTIONS = `<?xml version="1.0" encoding="utf-8"?>
<remv1:Remediation-Plugin xmlns:remv1="RemediationVersion1.xsd" Name="PS Echo" Version="1">
  <remv1:Action Name="Scan Host" Command="powershell.exe">
    <remv1:ConstantParameter Name="Script" Switch="echo.mjs" Order="1" />
    <remv1:StringParameter Name="Host" Switch="-hostname " Order="2">
      <remv1:DefaultInput><remv1:DHostName /></remv1:DefaultInput>
    </remv1:StringParameter>
  </remv1:Action>
  <remv1:Action Name="Disable Account" Command="powershell.exe">
    <remv1:ConstantParameter Name="Script" Switch="echo.mjs" Order="1" />
    <remv1:StringParameter Name="Account" Switch="" Order="2">
      <remv1:DefaultInput><remv1:Login /></remv1:DefaultInput>
    </remv1:StringParameter>
  </remv1:Action>
</remv1:Remediation-Plugin>
`;

let work: string;
let orch: OrchestratorHandle;

beforeAll(async () => {
  work = mkdtempSync(path.join(tmpdir(), 'gridside-powershell-'));
  chmodSync(work, 0o755); // plugins run as an unprivileged user when the tests run as root
  const plugin = path.join(work, 'plugins', 'ps-echo');
  mkdirSync(plugin, { recursive: true });
  writeFileSync(path.join(plugin, 'actions.xml'), ACTIONS);
  writeFileSync(path.join(plugin, 'echo.mjs'), ECHO);
  orch = await startOrchestrator({
    plugins: path.join(work, 'plugins'),
    copyPlugins: false,
    config: {
      tokens: [{ name: 'alice', roles: ['analyst'], token: TOKENS.alice }],
      interpreters: { 'powershell.exe': process.execPath },
      actions: { 'ps-echo/scan-host': { sideEffects: false }, 'ps-echo/disable-account': {} },
    },
  });
});
afterAll(async () => {
  await orch?.stop();
  orch?.cleanup();
  rmSync(work, { recursive: true, force: true });
});

const argvOf = (body: unknown): string[] => {
  const run = RunSchema.parse(body);
  expect(run.status, JSON.stringify(run)).toBe('succeeded');
  return (run.output!.data as { argv: string[] }).argv;
};

describe('a PowerShell plugin given a log value that begins with a dash', () => {
  it('receives it glued to its switch, one argument PowerShell binds to that parameter', async () => {
    const api = client(orch, TOKENS.alice);
    for (const value of ['-Force', '-WhatIf:$false', '\u2013Confirm']) {
      const answer = await api.run('ps-echo/scan-host', {}, rowContext({ DHostName: value }));
      expect(argvOf(answer.body)).toEqual([`-hostname:${value}`]);
    }
    const plain = await api.run('ps-echo/scan-host', {}, rowContext({ DHostName: 'ws-0142' }));
    expect(argvOf(plain.body)).toEqual(['-hostname', 'ws-0142']);
  });

  it('is refused by position, naming the parameter, and starts nothing', async () => {
    const api = client(orch, TOKENS.alice);
    const before = (await api.get('/api/v1/runs')).text;
    const answer = await api.post('/api/v1/runs', {
      actionId: 'ps-echo/disable-account',
      params: {},
      context: rowContext({ Login: '-Identity:administrator' }),
    });
    expect(answer.status).toBe(400);
    const { error } = ApiErrorSchema.parse(answer.body);
    expect(error.field).toBe('params.account');
    expect(error.message).toContain('"Account" starts with a dash, which PowerShell would read');
    expect((await api.get('/api/v1/runs')).text).toBe(before);

    // A lone dash, which some logs write for an empty field, names no parameter and passes.
    const lone = await api.run('ps-echo/disable-account', {}, rowContext({ Login: '-' }));
    expect(argvOf(lone.body)).toEqual(['-']);
  });
});
