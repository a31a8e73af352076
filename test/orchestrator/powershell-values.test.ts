import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiErrorSchema, CatalogSchema, RunSchema } from '../../src/core/api.ts';
import { type OrchestratorHandle, startOrchestrator } from '../support/orchestrator-process.ts';
import { client, rowContext, TOKENS } from './setup.ts';

/**
 * PowerShell plugins and the values a row gives them. PowerShell's command line reads an argument that
 * begins with a dash as a parameter's name, so the orchestrator glues such a value to its switch
 * (`-hostname:-Force`) or refuses the run; and an action whose values PowerShell would read as code
 * (`-Command`) is not run at all. PowerShell is not installed on the test hosts: `powershell.exe` is
 * mapped to a stand-in that prints the argv it was given, which is what PowerShell would have parsed.
 */

const STAND_IN = (node: string) =>
  `#!${node}\nprocess.stdout.write(JSON.stringify({ argv: process.argv.slice(2) }));\n`;
/** A PowerShell action: its constant switch (PowerShell's options and the script), then one row field. */
const action = (
  name: string,
  command: string,
  script: string,
  param: string,
  switchText: string,
  field: string,
) => `
  <remv1:Action Name="${name}" Command="${command}">
    <remv1:ConstantParameter Name="Script" Switch="${script}" Order="1" />
    <remv1:StringParameter Name="${param}" Switch="${switchText}" Order="2">
      <remv1:DefaultInput><remv1:${field} /></remv1:DefaultInput>
    </remv1:StringParameter>
  </remv1:Action>`;
const ACTIONS = `<?xml version="1.0" encoding="utf-8"?>
<remv1:Remediation-Plugin xmlns:remv1="RemediationVersion1.xsd" Name="PS Echo" Version="1">${[
  action(
    'Scan Host',
    'powershell.exe',
    '-NoProfile -ExecutionPolicy Bypass -File echo.ps1',
    'Host',
    '-hostname ',
    'DHostName',
  ),
  action('Disable Account', 'powershell.exe', '-file echo.ps1', 'Account', '', 'Login'),
  action('Approved Scan', 'powershell.exe', '-File echo.ps1', 'Host', '-hostname ', 'DHostName'),
  action(
    'Run As Command',
    'C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe',
    '-NoProfile -Command ./echo.ps1',
    'Host',
    '-hostname ',
    'DHostName',
  ),
].join('')}
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
  writeFileSync(path.join(plugin, 'echo.ps1'), 'param($hostname) $hostname\n');
  const standIn = path.join(work, 'pwsh-stand-in');
  writeFileSync(standIn, STAND_IN(process.execPath), { mode: 0o755 });
  orch = await startOrchestrator({
    plugins: path.join(work, 'plugins'),
    copyPlugins: false,
    config: {
      tokens: [
        { name: 'alice', roles: ['analyst'], token: TOKENS.alice },
        { name: 'bob', roles: ['approver'], token: TOKENS.bob },
        { name: 'dave', roles: ['admin'], token: TOKENS.dave },
      ],
      interpreters: { 'powershell.exe': standIn },
      actions: {
        'ps-echo/scan-host': { sideEffects: false },
        'ps-echo/approved-scan': { approval: { levels: 1, quorum: 1, approverRoles: ['approver'] } },
      },
    },
  });
});
afterAll(async () => {
  await orch?.stop();
  orch?.cleanup();
  rmSync(work, { recursive: true, force: true });
});

/** The stand-in's argv for Scan Host, before its parameter: PowerShell's options, then the script. */
const SCAN = ['-NoProfile', '-ExecutionPolicy', 'Bypass', '-File', 'echo.ps1'];

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
      expect(argvOf(answer.body)).toEqual([...SCAN, `-hostname:${value}`]);
    }
    const plain = await api.run('ps-echo/scan-host', {}, rowContext({ DHostName: 'ws-0142' }));
    expect(argvOf(plain.body)).toEqual([...SCAN, '-hostname', 'ws-0142']);
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
    expect(argvOf(lone.body)).toEqual(['-file', 'echo.ps1', '-']);
  });
});

describe('a PowerShell action that would read a row value as code', () => {
  it('is listed as unavailable, saying why, and named on stderr at start', async () => {
    const catalog = CatalogSchema.parse((await client(orch, TOKENS.alice).get('/api/v1/actions')).body);
    const command = catalog.actions.find((action) => action.id === 'ps-echo/run-as-command')!;
    expect(command.available).toBe(false);
    expect(command.unavailableReason).toMatch(/PowerShell would read what follows "-Command" as code/);
    expect(catalog.actions.find((action) => action.id === 'ps-echo/scan-host')?.available).toBe(true);
    expect(orch.output().stderr).toContain('action "ps-echo/run-as-command" will not run: PowerShell would');
  });

  it('is refused with its reason, and nothing starts', async () => {
    const api = client(orch, TOKENS.alice);
    const before = (await api.get('/api/v1/runs')).text;
    const answer = await api.post('/api/v1/runs', {
      actionId: 'ps-echo/run-as-command',
      params: {},
      context: rowContext({ DHostName: 'x; Stop-Computer -Force' }),
    });
    expect(answer.status).toBe(409);
    expect(ApiErrorSchema.parse(answer.body).error.message).toMatch(/as code/);
    expect((await api.get('/api/v1/runs')).text).toBe(before);
  });

  it('does not start a run approved after its package was changed to do so', async () => {
    const alice = client(orch, TOKENS.alice);
    const pending = RunSchema.parse(
      (
        await alice.post('/api/v1/runs', {
          actionId: 'ps-echo/approved-scan',
          params: {},
          context: rowContext({ DHostName: 'ws-0142; Stop-Computer -Force' }),
        })
      ).body,
    );
    expect(pending.status).toBe('pending_approval');
    // An admin updates the package: its script is now started with -Command, and trusted as it is.
    const xml = path.join(work, 'plugins', 'ps-echo', 'actions.xml');
    writeFileSync(xml, ACTIONS.replace('Switch="-File echo.ps1"', 'Switch="-Command ./echo.ps1"'));
    expect((await client(orch, TOKENS.dave).post('/api/v1/plugins/ps-echo/reimport')).status).toBe(200);

    const decided = await client(orch, TOKENS.bob).post(`/api/v1/runs/${pending.id}/approvals`, {
      decision: 'approve',
    });
    expect(decided.status).toBe(200);
    const done = RunSchema.parse((await alice.get(`/api/v1/runs/${pending.id}?wait=20`)).body);
    expect(done.status).toBe('failed');
    expect(done.reason).toMatch(/PowerShell would read what follows "-Command" as code/);
    expect(done.output).toBeNull();
  });
});
