import { describe, expect, it } from 'vitest';
import { SRP_ALARM_FIELDS, type SrpStringParam } from '../../../../src/core/srp/model.ts';
import { parseActionsXml } from '../../../../src/core/srp/parse.ts';
import {
  DISABLE_AD,
  plugin,
  readSrpFixture,
  SLACK_BASIC,
  SLACK_SUSPICIOUS_IP,
  VIRUSTOTAL,
} from './fixtures.ts';

const summary = (params: { name: string; switch: string; order: string }[]) =>
  params.map((p) => [p.name, p.switch, p.order]);

describe('parseActionsXml on real plugins', () => {
  it('reads the VirusTotal plugin: BOM, comments, field defaults, encrypted keys, trailing-space switches', () => {
    const xml = readSrpFixture(VIRUSTOTAL);
    expect(xml.charCodeAt(0)).toBe(0xfeff); // the fixture really starts with a BOM
    const vt = parseActionsXml(xml);
    expect(vt.name).toBe('VirusTotal');
    expect(vt.version).toBeUndefined();
    expect(vt.guid).toBeUndefined();
    expect(vt.warnings).toEqual([]);
    expect(vt.actions.map((a) => a.name)).toEqual([
      'Local : Scan Process ID : Email Report',
      'Local : Scan Process Name : Email Report',
      'Local : Scan File : Email Report',
      'Remote : Scan Process ID : Email Report',
      'Remote : Scan Process Name : Email Report',
      'Remote : Scan File : Email Report',
    ]);
    const local = vt.actions[0]!;
    expect(local.command).toBe('powershell.exe');
    expect(local.line).toBe(5);
    expect(summary(local.params)).toEqual([
      ['Script', '-file vt-check.ps1', '1'],
      ['Process ID', '-processID ', '2'],
      ['Virus Total API Key', '-VTApiKey ', '3'],
      ['SMTP Server', '-smtpServer ', '4'],
      ['Send Email To', '-emailTo ', '5'],
      ['Send Email From', '-emailFrom ', '6'],
    ]);
    expect(local.params[0]).toMatchObject({ kind: 'constant', line: 6 });
    expect(local.params[1]).toEqual({
      kind: 'string',
      name: 'Process ID',
      switch: '-processID ',
      order: '2',
      encrypted: false,
      default: { field: 'Object' },
      line: 7,
    });
    expect(local.params[2]).toMatchObject({ name: 'Virus Total API Key', encrypted: true, line: 13 });
    expect((local.params[2] as SrpStringParam).default).toBeUndefined();
    expect((vt.actions[1]!.params[1] as SrpStringParam).default).toEqual({ field: 'Process' });

    const remoteFile = vt.actions[5]!;
    expect(remoteFile.params[0]!.switch).toBe('-file vt-check.ps1 -remote');
    expect(remoteFile.params.map((p) => (p.kind === 'string' ? (p.default ?? null) : 'constant'))).toEqual([
      'constant',
      { field: 'DHostName' },
      { field: 'Object' },
      null,
      null,
      null,
      null,
      null,
      null,
    ]);
    expect(remoteFile.params.filter((p) => p.kind === 'string' && p.encrypted).map((p) => p.name)).toEqual([
      'Virus Total API Key',
      'Privileged Password',
    ]);
  });

  it('reads the Slack basic plugin: Order="Unsorted" verbatim and the AlarmDate TimeFormat', () => {
    const slack = parseActionsXml(readSrpFixture(SLACK_BASIC));
    expect(slack.name).toBe('Slack Webhook - Basic Info');
    const [action] = slack.actions;
    expect(summary(action!.params)).toEqual([
      ['Script', '-file PATH_TO_FILE/basic.ps1', '1'],
      ['AlarmId', '', '2'],
      ['AlarmRuleName', '', '3'],
      ['MessageClass', '', 'Unsorted'],
      ['AlarmDate', '', '4'],
    ]);
    expect(action!.params.slice(1).map((p) => (p as SrpStringParam).default)).toEqual([
      { field: 'AlarmId' },
      { field: 'AlarmRuleName' },
      { field: 'MessageClass' },
      {
        field: 'AlarmDate',
        timeFormat: { timeZone: 'Eastern Standard Time', formattingString: 'MMMM dd, yyyy' },
      },
    ]);
    expect(slack.warnings).toEqual([]);
  });

  it('reads the suspicious-IP plugin: 14 field defaults and the repeated Order="8"', () => {
    const slack = parseActionsXml(readSrpFixture(SLACK_SUSPICIOUS_IP));
    const params = slack.actions[0]!.params;
    expect(params).toHaveLength(15);
    const defaults = params.slice(1).map((p) => (p as SrpStringParam).default);
    expect(defaults.map((d) => d && 'field' in d && d.field)).toEqual([
      'AlarmId',
      'AlarmDate',
      'AlarmRuleName',
      'Subject',
      'Sender',
      'Protocol',
      'DPort',
      'DLocationCountry',
      'DIP',
      'SIP',
      'KnownService',
      'SLocationCountry',
      'MPERule',
      'Object',
    ]);
    expect(defaults[1]).toEqual({
      field: 'AlarmDate',
      timeFormat: { timeZone: 'Eastern Standard Time', formattingString: 'MM-dd-yyyy hh:mm:ss' },
    });
    expect(params.filter((p) => p.order === '8').map((p) => [p.name, p.line])).toEqual([
      ['DPort', 11],
      ['DLocationCountry', 12],
    ]);
    expect(params[0]!.switch).toBe('-file PATH_TO_FILE\\suspicious-ip-inbound.ps1');
  });

  it('reads the Disable AD plugin: Login default, positional switches, encrypted password', () => {
    const ad = parseActionsXml(readSrpFixture(DISABLE_AD));
    expect(ad.actions).toHaveLength(2);
    const alternate = ad.actions[1]!;
    expect(summary(alternate.params)).toEqual([
      ['Script', '-file Disable_Windows_AD_Account.ps1', '1'],
      ['Target Account', '', '2'],
      ['Target Domain', '', '3'],
      ['Domain Controller IP', '', '4'],
      ['Administrator Account', '', '5'],
      ['Administrator Password', '', '6'],
    ]);
    expect(alternate.params[1]).toMatchObject({ default: { field: 'Login' } });
    expect(alternate.params[5]).toMatchObject({ kind: 'string', encrypted: true, line: 22 });
  });
});

describe('parseActionsXml leniency', () => {
  const oneAction = `<remv1:Action Name="Look up" Command="powershell.exe">
    <remv1:ConstantParameter Name="Script" Switch="-file lookup.ps1" Order="1" />
    <remv1:StringParameter Name="Host" Switch="-hostname " Order="2">
      <remv1:DefaultInput><remv1:DHostName /></remv1:DefaultInput>
    </remv1:StringParameter>
  </remv1:Action>`;

  it('reads Version, Guid and IsLogRhythmPlugin when present', () => {
    const parsed = parseActionsXml(
      plugin(oneAction, 'Name="CB" Version="3" Guid="0d3a…-guid" IsLogRhythmPlugin="true"'),
    );
    expect(parsed).toMatchObject({ name: 'CB', version: 3, guid: '0d3a…-guid', isLogRhythmPlugin: true });
  });

  it('accepts a file with no prefix and no namespace at all', () => {
    const xml = `<Remediation-Plugin Name="Plain"><Action Name="A" Command="python">
      <StringParameter Name="Ip" Switch="--ip" Order="1"><DefaultInput><SIP/></DefaultInput></StringParameter>
    </Action></Remediation-Plugin>`;
    const parsed = parseActionsXml(xml);
    expect(parsed.actions[0]!.params[0]).toMatchObject({ name: 'Ip', default: { field: 'SIP' } });
    expect(parsed.warnings).toEqual([]);
  });

  it('accepts another prefix bound to RemediationVersion1.xsd, and a default namespace', () => {
    const other = `<lr:Remediation-Plugin xmlns:lr="RemediationVersion1.xsd" Name="P"><lr:Action Name="A" Command="c">
      <lr:ConstantParameter Name="S" Switch="-x" Order="1"/></lr:Action></lr:Remediation-Plugin>`;
    expect(parseActionsXml(other).actions[0]!.params[0]!.switch).toBe('-x');
    const byDefault = `<Remediation-Plugin xmlns="RemediationVersion1.xsd" Name="P"><Action Name="A" Command="c"/></Remediation-Plugin>`;
    expect(parseActionsXml(byDefault).actions[0]!.name).toBe('A');
  });

  it('accepts an unbound remv1: prefix, with a warning', () => {
    const xml = `<remv1:Remediation-Plugin Name="P"><remv1:Action Name="A" Command="c"/></remv1:Remediation-Plugin>`;
    const parsed = parseActionsXml(xml);
    expect(parsed.actions).toHaveLength(1);
    expect(parsed.warnings).toHaveLength(1);
    expect(parsed.warnings[0]!.message).toMatch(/without xmlns:remv1/);
  });

  it('keeps a switch with a trailing space verbatim', () => {
    const parsed = parseActionsXml(plugin(oneAction));
    expect(parsed.actions[0]!.params[1]!.switch).toBe('-hostname ');
  });

  it('ignores BOM and comments anywhere, and reports positions after the BOM as the editor shows them', () => {
    const xml = `\uFEFF${plugin(`<!-- a comment -->\n${oneAction}`)}`.replace('?>', '?>\n<!-- header -->');
    const parsed = parseActionsXml(xml);
    expect(parsed.actions[0]!.line).toBe(5);
    expect(parsed.actions[0]!.params.map((p) => p.line)).toEqual([6, 7]);
  });

  it('ignores unknown attributes and foreign elements, and says so with their line', () => {
    const xml = plugin(
      `<remv1:Action Name="A" Command="c" Timeout="30">
        <x:Note xmlns:x="urn:example">hi</x:Note>
        <remv1:StringParameter name="oops" Name="Host" Switch="" Order="1"/>
      </remv1:Action>
      <remv1:Description>text</remv1:Description>`,
    );
    const parsed = parseActionsXml(xml, 'plugins/demo/actions.xml');
    expect(parsed.actions[0]!.params[0]!.name).toBe('Host');
    expect(parsed.warnings.map((w) => [w.line, w.message])).toEqual([
      [3, 'unknown attribute Timeout="…" on <remv1:Action> ignored'],
      [4, '<x:Note> is not in the SRP namespace; ignored'],
      [
        5,
        'unknown attribute name="…" on <remv1:StringParameter> ignored (attribute names are case-sensitive: did you mean Name?)',
      ],
      [7, 'unknown element <remv1:Description> ignored; expected <Action>'],
    ]);
    expect(parsed.warnings[0]!.file).toBe('plugins/demo/actions.xml');
  });

  it('accepts an AlarmDate without TimeFormat (the XSD wants one) and warns', () => {
    const xml = plugin(`<remv1:Action Name="A" Command="c">
      <remv1:StringParameter Name="When" Switch="" Order="1"><remv1:DefaultInput><remv1:AlarmDate/></remv1:DefaultInput></remv1:StringParameter>
    </remv1:Action>`);
    const parsed = parseActionsXml(xml);
    expect(parsed.actions[0]!.params[0]).toMatchObject({ default: { field: 'AlarmDate' } });
    expect(parsed.warnings.map((w) => [w.line, w.message])).toEqual([
      [4, "<remv1:AlarmDate> has no <TimeFormat>; the date is formatted with Gridside's defaults"],
    ]);
  });

  it('warns about a TimeZone or FormattingString that would fail at run time', () => {
    const xml = plugin(`<remv1:Action Name="A" Command="c">
      <remv1:StringParameter Name="When" Switch="" Order="1"><remv1:DefaultInput><remv1:NormalMessageDate>
        <remv1:TimeFormat TimeZone="Mars Standard Time" FormattingString="yyyy 'unclosed" />
      </remv1:NormalMessageDate></remv1:DefaultInput></remv1:StringParameter>
    </remv1:Action>`);
    const parsed = parseActionsXml(xml);
    expect(parsed.actions[0]!.params[0]).toMatchObject({
      default: { field: 'NormalMessageDate', timeFormat: { timeZone: 'Mars Standard Time' } },
    });
    expect(parsed.warnings.map((w) => w.line)).toEqual([5, 5]);
    expect(parsed.warnings[0]!.message).toMatch(/Mars Standard Time/);
    expect(parsed.warnings[1]!.message).toMatch(/FormattingString/);
  });

  it('warns about a missing or free-text Order, a bad Version or IsLogRhythmPlugin, and an empty constant', () => {
    const xml = plugin(
      `<remv1:Action Name="A" Command="c">
      <remv1:ConstantParameter Name="Nothing" Switch="" Order="1"/>
      <remv1:StringParameter Name="NoOrder" Switch="-a"/>
      <remv1:StringParameter Name="Later" Switch="-b" Order="last"/>
      <remv1:StringParameter Name="Unsorted is known" Switch="-c" Order="Unsorted"/>
    </remv1:Action>`,
      'Name="P" Version="2.1" IsLogRhythmPlugin="yes"',
    );
    const parsed = parseActionsXml(xml);
    expect(parsed.version).toBeUndefined();
    expect(parsed.isLogRhythmPlugin).toBeUndefined();
    expect(parsed.actions[0]!.params.map((p) => p.order)).toEqual(['1', '', 'last', 'Unsorted']);
    expect(parsed.warnings.map((w) => [w.line, w.message])).toEqual([
      [2, 'Version="2.1" is not an integer; ignored'],
      [2, 'IsLogRhythmPlugin="yes" is not true or false; ignored'],
      [4, 'the ConstantParameter "Nothing" has an empty Switch; it adds nothing'],
      [5, '<remv1:StringParameter> "NoOrder" has no Order; placed after the numbered parameters'],
      [6, 'Order="last" is not a number; placed after the numbered parameters'],
    ]);
  });

  it('reads StaticInput values, including an empty one', () => {
    const xml = plugin(`<remv1:Action Name="A" Command="c">
      <remv1:StringParameter Name="Mode" Switch="-mode " Order="1"><remv1:DefaultInput><remv1:StaticInput Value="kill" /></remv1:DefaultInput></remv1:StringParameter>
      <remv1:StringParameter Name="Port" Switch="-port " Order="2"><remv1:DefaultInput><remv1:StaticInput /></remv1:DefaultInput></remv1:StringParameter>
    </remv1:Action>`);
    const params = parseActionsXml(xml).actions[0]!.params;
    expect(params.map((p) => (p as SrpStringParam).default)).toEqual([{ static: 'kill' }, { static: '' }]);
  });

  it('knows every alarm field of the XSD as a default', () => {
    const body = SRP_ALARM_FIELDS.map(
      (field, i) =>
        `<remv1:StringParameter Name="${field}" Switch="" Order="${i}"><remv1:DefaultInput><remv1:${field}>${
          field.endsWith('Date') ? '<remv1:TimeFormat />' : ''
        }</remv1:${field}></remv1:DefaultInput></remv1:StringParameter>`,
    ).join('\n');
    const params = parseActionsXml(plugin(`<remv1:Action Name="A" Command="c">${body}</remv1:Action>`))
      .actions[0]!.params;
    expect(params.map((p) => ((p as SrpStringParam).default as { field: string }).field)).toEqual([
      ...SRP_ALARM_FIELDS,
    ]);
  });
});
