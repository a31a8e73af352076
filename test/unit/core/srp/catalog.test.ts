import { describe, expect, it } from 'vitest';
import { ActionParamSchema } from '../../../../src/core/api.ts';
import {
  actionId,
  actionParamIds,
  buildArgv,
  marksRequiredWithStar,
  paramId,
  pluginId,
  srpToCatalogParams,
} from '../../../../src/core/srp/argv.ts';
import { parseActionsXml } from '../../../../src/core/srp/parse.ts';
import { DISABLE_AD, plugin, readSrpFixture, SLACK_SUSPICIOUS_IP, VIRUSTOTAL } from './fixtures.ts';

describe('ids', () => {
  it('slugs parameter, plugin and action names', () => {
    expect(paramId('Virus Total API Key')).toBe('virus-total-api-key');
    expect(paramId('Hostname*')).toBe('hostname');
    expect(paramId('Adresse IP (Origine)')).toBe('adresse-ip-origine');
    expect(paramId('Benutzerkonto Größe')).toBe('benutzerkonto-große');
    expect(paramId('***')).toBe('param');
    expect(paramId('x'.repeat(500))).toHaveLength(80);
    expect(pluginId('Slack Webhook - Basic Info')).toBe('slack-webhook-basic-info');
    expect(actionId('VirusTotal', 'Local : Scan Process ID : Email Report')).toBe(
      'virustotal/local-scan-process-id-email-report',
    );
  });

  it('de-duplicates parameter ids within an action, in document order', () => {
    const xml = plugin(`<remv1:Action Name="A" Command="c">
      <remv1:StringParameter Name="Host" Switch="-a" Order="1"/>
      <remv1:StringParameter Name="host" Switch="-b" Order="2"/>
      <remv1:StringParameter Name="Host 2" Switch="-c" Order="3"/>
      <remv1:StringParameter Name="HOST!" Switch="-d" Order="4"/>
    </remv1:Action>`);
    expect(actionParamIds(parseActionsXml(xml).actions[0]!)).toEqual([
      'host',
      'host-2',
      'host-2-2',
      'host-3',
    ]);
  });

  it('gives the same ids when the same file is read again', () => {
    const first = parseActionsXml(readSrpFixture(VIRUSTOTAL));
    const second = parseActionsXml(readSrpFixture(VIRUSTOTAL));
    expect(first.actions.map((a) => actionParamIds(a))).toEqual(second.actions.map((a) => actionParamIds(a)));
  });
});

describe('srpToCatalogParams', () => {
  it('maps the VirusTotal remote action onto valid ActionParams', () => {
    const remote = parseActionsXml(readSrpFixture(VIRUSTOTAL)).actions[3]!;
    const params = srpToCatalogParams(remote);
    for (const param of params) expect(ActionParamSchema.parse(param)).toEqual(param);
    expect(params.map((p) => [p.id, p.kind, p.encrypted, p.required, p.default ?? null])).toEqual([
      ['script', 'constant', false, false, null],
      ['target-host', 'string', false, false, { field: 'DHostName' }],
      ['process-id', 'string', false, false, { field: 'Object' }],
      ['virus-total-api-key', 'string', true, true, null],
      ['smtp-server', 'string', false, true, null],
      ['send-email-to', 'string', false, true, null],
      ['send-email-from', 'string', false, true, null],
      ['privileged-username', 'string', false, true, null],
      ['privileged-password', 'string', true, true, null],
    ]);
    expect(params[1]).toEqual({
      id: 'target-host',
      name: 'Target Host',
      kind: 'string',
      encrypted: false,
      fromConfig: false,
      required: false,
      default: { field: 'DHostName' },
      switch: '-target ',
      order: '2',
    });
  });

  it('carries the AlarmDate TimeFormat and a static default', () => {
    const suspicious = parseActionsXml(readSrpFixture(SLACK_SUSPICIOUS_IP)).actions[0]!;
    expect(srpToCatalogParams(suspicious)[2]).toMatchObject({
      id: 'alarmdate',
      default: {
        field: 'AlarmDate',
        timeFormat: { timeZone: 'Eastern Standard Time', formattingString: 'MM-dd-yyyy hh:mm:ss' },
      },
    });
    const xml = plugin(`<remv1:Action Name="A" Command="c">
      <remv1:StringParameter Name="Signal*" Switch="-s " Order="1"><remv1:DefaultInput><remv1:StaticInput Value="kill"/></remv1:DefaultInput></remv1:StringParameter>
    </remv1:Action>`);
    expect(srpToCatalogParams(parseActionsXml(xml).actions[0]!)).toEqual([
      {
        id: 'signal',
        name: 'Signal*',
        kind: 'string',
        encrypted: false,
        fromConfig: false,
        required: true,
        default: { static: 'kill' },
        switch: '-s ',
        order: '1',
      },
    ]);
  });

  it('marks positional parameters without default required (an omitted one would shift the rest)', () => {
    const alternate = parseActionsXml(readSrpFixture(DISABLE_AD)).actions[1]!;
    expect(srpToCatalogParams(alternate).map((p) => [p.name, p.required])).toEqual([
      ['Script', false],
      ['Target Account', false],
      ['Target Domain', true],
      ['Domain Controller IP', true],
      ['Administrator Account', true],
      ['Administrator Password', true],
    ]);
  });

  it('in a package that marks required parameters with "*", requires only those', () => {
    const xml = plugin(`<remv1:Action Name="Quarantine" Command="c">
      <remv1:StringParameter Name="MAC Address*" Switch="-mac" Order="1"/>
      <remv1:StringParameter Name="Override User Name" Switch="-user" Order="2"/>
    </remv1:Action>
    <remv1:Action Name="Release" Command="c">
      <remv1:StringParameter Name="Reason" Switch="-reason" Order="1"/>
    </remv1:Action>`);
    const { actions } = parseActionsXml(xml);
    const starMarked = marksRequiredWithStar(actions);
    expect(starMarked).toBe(true);
    expect(srpToCatalogParams(actions[0]!, starMarked).map((p) => [p.name, p.required])).toEqual([
      ['MAC Address*', true],
      ['Override User Name', false],
    ]);
    // The package's convention holds in an action that marks nothing itself.
    expect(srpToCatalogParams(actions[1]!, starMarked)[0]?.required).toBe(false);
    expect(srpToCatalogParams(actions[1]!)[0]?.required).toBe(true);
    // And the argv rule agrees: the empty optional value adds nothing.
    expect(buildArgv(actions[0]!, { 'mac-address': 'aa:bb' }, starMarked).args).toEqual(['-mac', 'aa:bb']);
  });
});
