import { describe, expect, it } from 'vitest';
import {
  buildArgv,
  InvalidParameterValueError,
  isPowerShell,
  MissingParameterError,
  powerShellCodeRisk,
  SwitchSyntaxError,
  sortParamsByOrder,
  splitSwitch,
} from '../../../../src/core/srp/argv.ts';
import type { SrpAction, SrpParam } from '../../../../src/core/srp/model.ts';
import { parseActionsXml } from '../../../../src/core/srp/parse.ts';
import {
  DISABLE_AD,
  plugin,
  readSrpFixture,
  SLACK_BASIC,
  SLACK_SUSPICIOUS_IP,
  VIRUSTOTAL,
} from './fixtures.ts';

const constant = (name: string, switchText: string, order: string): SrpParam => ({
  kind: 'constant',
  name,
  switch: switchText,
  order,
  line: 1,
});
const text = (name: string, switchText: string, order: string, extra: Partial<SrpParam> = {}): SrpParam =>
  ({ kind: 'string', name, switch: switchText, order, encrypted: false, line: 1, ...extra }) as SrpParam;
const action = (...params: SrpParam[]): SrpAction => ({
  name: 'A',
  command: 'powershell.exe',
  params,
  line: 1,
});

/** VirusTotal's "Local : Scan Process Name", and the values its other parameters need. */
const vt = parseActionsXml(readSrpFixture(VIRUSTOTAL)).actions[1]!;
const config = {
  'virus-total-api-key': 'k',
  'smtp-server': 's',
  'send-email-to': 't',
  'send-email-from': 'f',
};

describe('splitSwitch', () => {
  it('splits on whitespace and ignores surrounding spaces', () => {
    expect(splitSwitch('-file Disable_Windows_AD_Account.ps1')).toEqual([
      '-file',
      'Disable_Windows_AD_Account.ps1',
    ]);
    expect(splitSwitch('  -hostname \t')).toEqual(['-hostname']);
    expect(splitSwitch('')).toEqual([]);
    expect(splitSwitch('   ')).toEqual([]);
  });

  it('keeps a double-quoted path with spaces as one token, without the quotes', () => {
    expect(splitSwitch('-file "My Script.ps1" -remote')).toEqual(['-file', 'My Script.ps1', '-remote']);
    expect(splitSwitch('-file "C:\\Program Files\\LR\\scan.ps1"')).toEqual([
      '-file',
      'C:\\Program Files\\LR\\scan.ps1',
    ]);
    expect(splitSwitch('-path:"a b"')).toEqual(['-path:a b']);
    expect(splitSwitch('-empty ""')).toEqual(['-empty', '']);
    expect(splitSwitch("-name 'two words'")).toEqual(['-name', "'two", "words'"]);
  });

  it('refuses an unclosed quote', () => {
    expect(() => splitSwitch('-file "My Script.ps1')).toThrow(SwitchSyntaxError);
  });
});

describe('ordering (rule 1)', () => {
  it('puts numeric orders first, ascending, then the rest in document order; ties keep document order', () => {
    const params = [
      text('unsorted-a', '', 'Unsorted'),
      text('ten', '', '10'),
      text('eight-a', '', '8'),
      text('two', '', ' 2 '),
      text('blank', '', ''),
      text('eight-b', '', '8'),
      text('minus', '', '-1'),
      text('unsorted-b', '', 'first'),
    ];
    expect(sortParamsByOrder(params).map((p) => p.name)).toEqual([
      'minus',
      'two',
      'eight-a',
      'eight-b',
      'ten',
      'unsorted-a',
      'blank',
      'unsorted-b',
    ]);
    expect(params[0]!.name).toBe('unsorted-a'); // the input is not reordered
  });

  it('compares numbers as numbers, not text ("10" after "9")', () => {
    expect(sortParamsByOrder([text('ten', '', '10'), text('nine', '', '9')]).map((p) => p.name)).toEqual([
      'nine',
      'ten',
    ]);
  });

  it('puts the Slack plugin\'s Order="Unsorted" MessageClass last', () => {
    const slack = parseActionsXml(readSrpFixture(SLACK_BASIC)).actions[0]!;
    const argv = buildArgv(slack, {
      alarmid: '4711',
      alarmrulename: 'AIE: Brute force',
      messageclass: 'Authentication Failure',
      alarmdate: 'March 10, 2024',
    });
    expect(argv).toEqual({
      command: 'powershell.exe',
      args: [
        '-file',
        'PATH_TO_FILE/basic.ps1',
        '4711',
        'AIE: Brute force',
        'March 10, 2024',
        'Authentication Failure',
      ],
    });
  });

  it('keeps the two Order="8" parameters of the suspicious-IP plugin in document order', () => {
    const slack = parseActionsXml(readSrpFixture(SLACK_SUSPICIOUS_IP)).actions[0]!;
    const values = Object.fromEntries(slack.params.map((p) => [p.name, `<${p.name}>`]));
    const { args } = buildArgv(slack, values);
    expect(args.slice(2)).toEqual(
      ['AlarmId', 'AlarmDate', 'AlarmRuleName', 'Subject', 'Sender', 'Protocol', 'DPort', 'DLocationCountry']
        .concat(['DIP', 'SIP', 'KnownService', 'SLocationCountry', 'MPERule', 'Object'])
        .map((name) => `<${name}>`),
    );
  });
});

describe('buildArgv on real plugins', () => {
  it('builds the VirusTotal remote scan with trailing-space switches as clean tokens', () => {
    const remote = parseActionsXml(readSrpFixture(VIRUSTOTAL)).actions[3]!;
    const { command, args } = buildArgv(remote, {
      'target-host': 'ws-042.corp.example',
      'process-id': '4242',
      'virus-total-api-key': 'k3y',
      'smtp-server': 'smtp.corp.example',
      'send-email-to': 'soc@corp.example',
      'send-email-from': 'lr@corp.example',
      'privileged-username': 'CORP\\svc-lr',
      'privileged-password': 'p@ss word',
    });
    expect(command).toBe('powershell.exe');
    expect(args).toEqual([
      '-file',
      'vt-check.ps1',
      '-remote',
      '-target',
      'ws-042.corp.example',
      '-processID',
      '4242',
      '-VTApiKey',
      'k3y',
      '-smtpServer',
      'smtp.corp.example',
      '-emailTo',
      'soc@corp.example',
      '-emailFrom',
      'lr@corp.example',
      '-username',
      'CORP\\svc-lr',
      '-password',
      'p@ss word',
    ]);
  });

  it('accepts values keyed by SRP name as well as by id', () => {
    const disable = parseActionsXml(readSrpFixture(DISABLE_AD)).actions[0]!;
    expect(buildArgv(disable, { 'Target Account': 'jdoe' }).args).toEqual([
      '-file',
      'Disable_Windows_AD_Account.ps1',
      'jdoe',
    ]);
  });

  it('needs the id for parameters that share a Name', () => {
    const act = action(
      text('Host', '-a ', '1', { default: { static: 'x' } }),
      text('Host', '-b ', '2', { default: { static: 'y' } }),
    );
    expect(buildArgv(act, { Host: 'by-name' }).args).toEqual(['-a', 'x', '-b', 'y']);
    expect(buildArgv(act, { host: '1', 'host-2': '2' }).args).toEqual(['-a', '1', '-b', '2']);
  });
});

describe('hostile values stay exactly one argument', () => {
  const hostile = [
    '; rm -rf / #',
    '$(id)',
    '`id`',
    "'; Stop-Computer; '",
    '"; Stop-Computer; "',
    'line one\nline two\r\n-file evil.ps1',
    '& calc.exe',
    '| Out-File C:\\x',
    '%COMSPEC% /c calc',
    '  padded  ',
    'ünïcödé 𝕏 \u202e',
    'x'.repeat(100 * 1024),
  ];

  it.each(
    hostile.map((value) => [value.length > 40 ? `${value.slice(0, 20)}… (${value.length})` : value, value]),
  )('passes %j as one element equal to the input', (_label, value) => {
    const { args } = buildArgv(vt, { ...config, 'process-name': value });
    const at = args.indexOf('-processName');
    expect(args[at + 1]).toBe(value);
    expect(args).toHaveLength(12);
    expect(args.filter((arg) => arg === value)).toHaveLength(1);
  });

  it('passes a hostile positional value as one element too', () => {
    const disable = parseActionsXml(readSrpFixture(DISABLE_AD)).actions[0]!;
    const value = 'jdoe"; Stop-Computer -Force; "';
    expect(buildArgv(disable, { 'target-account': value }).args).toEqual([
      '-file',
      'Disable_Windows_AD_Account.ps1',
      value,
    ]);
  });

  it('ignores a value sent for a constant and lookups through the prototype', () => {
    const act = action(
      constant('constructor', '-file safe.ps1', '1'),
      text('toString', '-t ', '2', { default: { static: 'd' } }),
    );
    expect(buildArgv(act, { constructor: '-file evil.ps1' } as Record<string, string>).args).toEqual([
      '-file',
      'safe.ps1',
      '-t',
      'd',
    ]);
  });

  it('refuses a value with a NUL character, naming the parameter', () => {
    const error = (() => {
      try {
        buildArgv(vt, { ...config, 'process-name': 'a\0b' });
      } catch (caught) {
        return caught;
      }
    })();
    expect(error).toBeInstanceOf(InvalidParameterValueError);
    expect((error as InvalidParameterValueError).paramName).toBe('Process Name');
  });
});

describe('PowerShell values that begin with a dash (rule 5)', () => {
  it.each([
    '-Force',
    '-file evil.ps1',
    '-WhatIf:$false',
    '--%',
    '\u2013Force', // en dash
    '\u2014Force', // em dash
    '\u2015Force', // horizontal bar
    '-',
  ])('glues %j to its switch as one token the script binds to that parameter', (value) => {
    const { args } = buildArgv(vt, { ...config, 'process-name': value });
    expect(args).toContain(`-processName:${value}`);
    expect(args).not.toContain('-processName');
    expect(args).not.toContain(value);
    expect(args).toHaveLength(11);
  });

  it('leaves values that start otherwise, and other interpreters, as they were', () => {
    expect(buildArgv(vt, { ...config, 'process-name': ' -Force' }).args).toContain(' -Force');
    expect(buildArgv(vt, { ...config, 'process-name': 'a-b' }).args).toContain('a-b');
    const node = { ...vt, command: 'node' };
    const { args } = buildArgv(node, { ...config, 'process-name': '-Force' });
    expect(args.slice(args.indexOf('-processName'), args.indexOf('-processName') + 2)).toEqual([
      '-processName',
      '-Force',
    ]);
  });

  it('knows PowerShell by any path and case, with or without .exe', () => {
    for (const command of [
      'powershell.exe',
      'PowerShell',
      'pwsh',
      '/usr/bin/pwsh',
      'C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\PowerShell.EXE',
      'C:\\Program Files\\PowerShell\\7\\pwsh.exe',
    ]) {
      expect(isPowerShell(command), command).toBe(true);
    }
    for (const command of ['node', 'powershell.ps1', 'cmd.exe', 'pwsh-wrapper', 'python.exe']) {
      expect(isPowerShell(command), command).toBe(false);
    }
  });

  it('refuses a dashed value PowerShell would read as a parameter name, naming the parameter', () => {
    const disable = parseActionsXml(readSrpFixture(DISABLE_AD)).actions[0]!; // positional account
    let error: unknown;
    try {
      buildArgv(disable, { 'target-account': '-Identity:administrator' });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(InvalidParameterValueError);
    expect(error).toMatchObject({ paramId: 'target-account', paramName: 'Target Account' });
    expect((error as Error).message).toMatch(/starts with a dash, which PowerShell would read as the name/);
    // A switch PowerShell does not read as a parameter name cannot carry it either.
    expect(() => buildArgv(action(text('Host', '/h ', '1')), { host: '-Force' })).toThrow(
      InvalidParameterValueError,
    );
    // A lone dash names no parameter: logs write it for an empty field.
    expect(buildArgv(disable, { 'target-account': '-' }).args.at(-1)).toBe('-');
  });

  it('leaves a switch that already glues its value as the author wrote it', () => {
    expect(buildArgv(action(text('Host', '-hostname:', '1')), { host: '-Force' }).args).toEqual([
      '-hostname:-Force',
    ]);
  });
});

describe("PowerShell's own options before the script (rule 6)", () => {
  const host = text('Host', '-hostname ', '9');
  const risk = (switchText: string, command = 'powershell.exe') =>
    powerShellCodeRisk({ command, params: [constant('Script', switchText, '1'), host] });

  it('passes every real package, each starting its script with -file', () => {
    for (const file of [VIRUSTOTAL, DISABLE_AD, SLACK_BASIC, SLACK_SUSPICIOUS_IP]) {
      for (const act of parseActionsXml(readSrpFixture(file)).actions) {
        expect(powerShellCodeRisk(act), `${file}: ${act.name}`).toBeUndefined();
      }
    }
  });

  it.each([
    '-file s.ps1',
    '-File "C:\\Program Files\\LR\\s.ps1"',
    '-f s.ps1',
    '-NoProfile -NonInteractive -ExecutionPolicy Bypass -File s.ps1',
    '-nop -ep bypass -WindowStyle Hidden -file s.ps1',
    '/NoLogo /File s.ps1',
    '-file s.ps1 -Command ActiveScan', // after the script: the script's own -Command parameter
  ])('lets %j through', (switchText) => {
    expect(risk(switchText)).toBeUndefined();
  });

  it.each([
    ['-Command ./s.ps1', /what follows "-Command" as code/],
    ['-NoProfile -c ./s.ps1', /what follows "-c" as code/],
    ['-EncodedCommand ZQBjAGgAbwA=', /as code/],
    ['-e ZQBjAGgAbwA=', /as code/],
    ['-ec ZQBjAGgAbwA=', /as code/],
    ['-CommandWithArgs $args', /as code/],
    ['s.ps1', /read "s.ps1", and what follows it, as code/],
    ['-NoProfile s.ps1', /read "s.ps1"/],
    ['-ExecutionPolicy -File s.ps1', /read "s.ps1"/], // -File taken as the policy's value
    ['-NoProfile', /read the parameter "Host" itself/],
    ['-File', /a script named by the parameter "Host"/],
    ['-Help -File s.ps1', /"-Help" is not an option PowerShell is known to take/],
    ['-File:s.ps1', /"-File:s.ps1" is not an option/],
  ])('refuses %j', (switchText, why) => {
    expect(risk(switchText)).toMatch(why);
  });

  it('refuses a parameter put before the script, and reads every spelling of PowerShell', () => {
    const early = {
      command: 'C:\\Program Files\\PowerShell\\7\\pwsh.exe',
      params: [text('Policy', '-ExecutionPolicy ', '1'), constant('Script', '-File s.ps1', '2')],
    };
    expect(powerShellCodeRisk(early)).toMatch(/read the parameter "Policy" itself/);
    expect(risk('-Command ./s.ps1', 'PWSH')).toMatch(/as code/);
  });

  it('leaves other interpreters, and actions with no parameter from a row, alone', () => {
    expect(risk('-Command ./s.ps1', 'node')).toBeUndefined();
    expect(
      powerShellCodeRisk({
        command: 'powershell.exe',
        params: [constant('Script', '-Command Get-Date', '1')],
      }),
    ).toBeUndefined();
  });
});

describe('switch gluing and empty values (rule 4)', () => {
  it('glues a value to a switch ending in ":" or "="', () => {
    const act = action(
      text('Target', '-Target: ', '1'),
      text('Mode', '--mode=', '2'),
      text('Plain', '-p', '3'),
    );
    expect(buildArgv(act, { target: 'a b', mode: 'x=y', plain: 'v' }).args).toEqual([
      '-Target:a b',
      '--mode=x=y',
      '-p',
      'v',
    ]);
  });

  it('drops an optional switched parameter with an empty value entirely', () => {
    const act = action(
      constant('Script', '-file s.ps1', '1'),
      text('Host', '-hostname ', '2', { default: { field: 'DHostName' } }),
      text('User', '-user ', '3', { default: { field: 'Login' } }),
    );
    expect(buildArgv(act, { host: '', user: '   ' }).args).toEqual(['-file', 's.ps1']);
    expect(buildArgv(act, { user: 'jdoe' }).args).toEqual(['-file', 's.ps1', '-user', 'jdoe']);
  });

  it('keeps the place of an empty optional positional parameter with an empty token', () => {
    const slack = parseActionsXml(readSrpFixture(SLACK_BASIC)).actions[0]!;
    const { args } = buildArgv(slack, {
      alarmid: '1',
      alarmrulename: '',
      alarmdate: 'today',
      messageclass: 'x',
    });
    expect(args).toEqual(['-file', 'PATH_TO_FILE/basic.ps1', '1', '', 'today', 'x']);
  });

  it('uses a static default when no value is given, and an explicit empty value over it', () => {
    const act = action(text('Signal', '-s ', '1', { default: { static: 'kill' } }));
    expect(buildArgv(act, {}).args).toEqual(['-s', 'kill']);
    expect(buildArgv(act, { signal: 'term' }).args).toEqual(['-s', 'term']);
    expect(buildArgv(act, { signal: '' }).args).toEqual([]);
  });

  it('throws MissingParameterError naming a required parameter left empty', () => {
    const disable = parseActionsXml(readSrpFixture(DISABLE_AD)).actions[1]!;
    const values = { 'target-account': 'jdoe', 'target-domain': 'corp', 'domain-controller-ip': '10.0.0.1' };
    let error: unknown;
    try {
      buildArgv(disable, { ...values, 'administrator-account': 'admin' });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(MissingParameterError);
    expect(error).toMatchObject({ paramId: 'administrator-password', paramName: 'Administrator Password' });
    expect(String((error as Error).message)).toBe(
      'the parameter "Administrator Password" is required but has no value',
    );
    expect(() => buildArgv(disable, { ...values, 'administrator-password': 'pw' })).toThrow(
      /"Administrator Account"/,
    );
  });

  it('treats a "*" in the name as required even with a default', () => {
    const act = action(text('Hostname*', '-h ', '1', { default: { field: 'DHostName' } }));
    expect(() => buildArgv(act, { hostname: '' })).toThrow(MissingParameterError);
    expect(buildArgv(act, { hostname: 'ws1' }).args).toEqual(['-h', 'ws1']);
  });

  it('returns the command verbatim for the orchestrator to map', () => {
    const act = { ...action(), command: 'C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe' };
    expect(buildArgv(act, {})).toEqual({ command: act.command, args: [] });
  });

  it('builds from a file parsed with a quoted constant path', () => {
    const xml = plugin(`<remv1:Action Name="A" Command="powershell.exe">
      <remv1:ConstantParameter Name="Script" Switch='-file "My Script.ps1"' Order="1"/>
      <remv1:StringParameter Name="Ip" Switch="-ip " Order="2"><remv1:DefaultInput><remv1:SIP/></remv1:DefaultInput></remv1:StringParameter>
    </remv1:Action>`);
    const act = parseActionsXml(xml).actions[0]!;
    expect(buildArgv(act, { ip: '10.1.2.3' }).args).toEqual(['-file', 'My Script.ps1', '-ip', '10.1.2.3']);
  });
});
