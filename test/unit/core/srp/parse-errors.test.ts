import { describe, expect, it } from 'vitest';
import { parseActionsXml, SRP_MAX_ACTIONS_XML_BYTES, SrpParseError } from '../../../../src/core/srp/parse.ts';
import { plugin } from './fixtures.ts';

/** The error parseActionsXml throws for `xml`; fails the test if it parses. */
function refusal(xml: string, file?: string): SrpParseError {
  try {
    parseActionsXml(xml, file);
  } catch (error) {
    if (error instanceof SrpParseError) return error;
    throw error;
  }
  throw new Error('expected parseActionsXml to refuse the file');
}

const action = (params: string, attributes = 'Name="A" Command="powershell.exe"') =>
  plugin(`  <remv1:Action ${attributes}>\n${params}\n  </remv1:Action>`);

describe('parseActionsXml refuses what could run the wrong thing', () => {
  it('names file, line and column in toString()', () => {
    const error = refusal(
      action('    <remv1:StringParameter Switch="-x" Order="1" />'),
      'plugins/vt/actions.xml',
    );
    expect(error.line).toBe(4);
    expect(error.column).toBe(5);
    expect(String(error)).toBe(
      'plugins/vt/actions.xml:4:5: <remv1:StringParameter> has no Name; expected Name="…" (the parameter label)',
    );
  });

  it('refuses malformed XML with the position of the fault', () => {
    const xml = action('    <remv1:StringParameter Name="x" Switch="" Order="1">\n  ');
    const error = refusal(xml);
    expect(error.problem).toMatch(/^malformed XML: unexpected close tag/);
    expect(error.line).toBe(6);
    expect(refusal('<a><b></a>').problem).toMatch(/malformed XML/);
    expect(refusal('').problem).toMatch(/malformed XML: document must contain a root element/);
    const ampersand = refusal(action('<remv1:StringParameter Name="Scan & Report" Switch="" Order="1"/>'));
    expect([ampersand.line, ampersand.column]).toEqual([4, 35]);
    expect(ampersand.problem).toMatch(/unescaped "&"; expected &amp;/);
  });

  it('accepts & where XML allows it: escaped, in comments and in CDATA', () => {
    const xml = action(`<!-- Scan & Report -->
    <remv1:StringParameter Name="Scan &amp; Report &#38; &#x26;" Switch="" Order="1"/>`);
    expect(parseActionsXml(xml).actions[0]!.params[0]!.name).toBe('Scan & Report & &');
  });

  it('refuses a DOCTYPE, with or without entity declarations (XXE, billion laughs)', () => {
    const laughs = `<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
]>
<Remediation-Plugin Name="&lol2;"><Action Name="A" Command="c"/></Remediation-Plugin>`;
    const error = refusal(laughs);
    expect(error.problem).toMatch(/DOCTYPE declaration is not allowed/);
    expect(error.line).toBe(2);
    const xxe = `<?xml version="1.0"?>\n<!DOCTYPE r SYSTEM "file:///etc/passwd">\n<Remediation-Plugin Name="P"/>`;
    expect(refusal(xxe).line).toBe(2);
  });

  it('refuses a file over 1 MB before parsing it', () => {
    const padding = `<!-- ${'x'.repeat(SRP_MAX_ACTIONS_XML_BYTES)} -->`;
    const error = refusal(action(padding));
    expect(error.problem).toMatch(/larger than 1 MB/);
    // Bytes, not characters: 350 000 three-byte characters are over 1 MB in UTF-8.
    expect(refusal(action(`<!-- ${'€'.repeat(350_000)} -->`)).problem).toMatch(/larger than 1 MB/);
  });

  it('refuses a root other than Remediation-Plugin, or one in another namespace', () => {
    expect(refusal('<Plugin Name="x"/>').problem).toMatch(
      /root element is <Plugin>; expected <Remediation-Plugin>/,
    );
    const foreign = refusal('<o:Remediation-Plugin xmlns:o="urn:other" Name="x"/>');
    expect(foreign.problem).toMatch(/in namespace "urn:other"/);
  });

  it('refuses a plugin without Name or without any Action', () => {
    expect(
      refusal('<Remediation-Plugin><Action Name="A" Command="c"/></Remediation-Plugin>').problem,
    ).toMatch(/<Remediation-Plugin> has no Name/);
    const empty = refusal(plugin('  <!-- nothing -->'));
    expect(empty.problem).toMatch(/has no <Action>; expected at least one/);
    expect(empty.line).toBe(2);
  });

  it('refuses an Action without Name or Command, on its line', () => {
    const noCommand = refusal(plugin('\n\n  <remv1:Action Name="Scan" />'));
    expect([noCommand.line, noCommand.column]).toEqual([5, 3]);
    expect(noCommand.problem).toMatch(/<remv1:Action> has no Command; expected Command="…"/);
    expect(refusal(plugin('<remv1:Action Name="  " Command="c"/>')).problem).toMatch(/has no Name/);
  });

  it('refuses two actions whose ids would collide', () => {
    const error = refusal(
      plugin('<remv1:Action Name="Scan Host" Command="c"/>\n<remv1:Action Name="scan: host" Command="c"/>'),
    );
    expect(error.line).toBe(4);
    expect(error.problem).toMatch(/same id \(test\/scan-host\) as "Scan Host" on line 3/);
  });

  it('refuses an unknown element inside an Action (a misspelt parameter would shift arguments)', () => {
    const error = refusal(action('    <remv1:StringParamter Name="x" Switch="" Order="1"/>'));
    expect(error.line).toBe(4);
    expect(error.problem).toMatch(
      /unknown element <remv1:StringParamter> in an Action; expected ConstantParameter, StringParameter, EncryptedParameter/,
    );
  });

  it('refuses a ConstantParameter without Name and a switch with an unclosed quote', () => {
    expect(refusal(action('    <remv1:ConstantParameter Switch="-file x.ps1" Order="1"/>')).line).toBe(4);
    const quote = refusal(
      action('\n    <remv1:ConstantParameter Name="S" Switch=\'-file "My Script.ps1\' Order="1"/>'),
    );
    expect(quote.line).toBe(5);
    expect(quote.problem).toMatch(/unclosed double quote/);
  });

  it('refuses an EncryptedParameter not holding exactly one StringParameter', () => {
    const empty = refusal(action('    <remv1:EncryptedParameter>\n    </remv1:EncryptedParameter>'));
    expect([empty.line, empty.problem]).toEqual([
      4,
      '<EncryptedParameter> holds nothing; expected exactly one <StringParameter>',
    ]);
    const two = refusal(
      action(`    <remv1:EncryptedParameter>
      <remv1:StringParameter Name="Key" Switch="-k" Order="1"/>
      <remv1:StringParameter Name="Secret" Switch="-s" Order="2"/>
    </remv1:EncryptedParameter>`),
    );
    expect(two.problem).toMatch(/holds <remv1:StringParameter>, <remv1:StringParameter>/);
    const constant = refusal(
      action(
        '    <remv1:EncryptedParameter><remv1:ConstantParameter Name="K" Switch="-k" Order="1"/></remv1:EncryptedParameter>',
      ),
    );
    expect(constant.problem).toMatch(
      /holds <remv1:ConstantParameter>; expected exactly one <StringParameter>/,
    );
  });

  it('refuses a DefaultInput with zero or several inputs, and two DefaultInputs', () => {
    const zero = refusal(
      action(`    <remv1:StringParameter Name="Host" Switch="" Order="1">
      <remv1:DefaultInput>  </remv1:DefaultInput>
    </remv1:StringParameter>`),
    );
    expect([zero.line, zero.problem]).toEqual([
      5,
      '<DefaultInput> holds 0 inputs; expected <StaticInput Value="…"/> or one alarm field such as <remv1:SIP/>',
    ]);
    const two = refusal(
      action(`    <remv1:StringParameter Name="Host" Switch="" Order="1">
      <remv1:DefaultInput><remv1:SIP/><remv1:DIP/></remv1:DefaultInput>
    </remv1:StringParameter>`),
    );
    expect(two.problem).toMatch(/holds 2 inputs/);
    const doubled = refusal(
      action(`    <remv1:StringParameter Name="Host" Switch="" Order="1">
      <remv1:DefaultInput><remv1:SIP/></remv1:DefaultInput>
      <remv1:DefaultInput><remv1:DIP/></remv1:DefaultInput>
    </remv1:StringParameter>`),
    );
    expect([doubled.line, doubled.problem]).toEqual([
      6,
      'the StringParameter "Host" has 2 <DefaultInput>; expected at most one',
    ]);
  });

  it('refuses an unknown alarm field, suggesting the right case when that is the mistake', () => {
    const unknown = refusal(
      action(`    <remv1:StringParameter Name="Thing" Switch="" Order="1">
      <remv1:DefaultInput>
        <remv1:Thingamajig />
      </remv1:DefaultInput>
    </remv1:StringParameter>`),
    );
    expect([unknown.line, unknown.column]).toEqual([6, 9]);
    expect(unknown.problem).toMatch(/unknown alarm field <remv1:Thingamajig>; expected <StaticInput/);
    const wrongCase = refusal(
      action(
        '<remv1:StringParameter Name="Ip" Switch="" Order="1"><remv1:DefaultInput><remv1:Sip/></remv1:DefaultInput></remv1:StringParameter>',
      ),
    );
    expect(wrongCase.problem).toMatch(/did you mean SIP\?/);
  });

  it('accepts a Gridside extension field such as Hash as a default, warning that LogRhythm would not', () => {
    const plugin = parseActionsXml(
      action(`    <remv1:StringParameter Name="File hash" Switch="-hash " Order="1">
      <remv1:DefaultInput><remv1:Hash /></remv1:DefaultInput>
    </remv1:StringParameter>`),
    );
    const param = plugin.actions[0]!.params[0]!;
    expect(param.kind === 'string' && param.default).toEqual({ field: 'Hash' });
    expect(plugin.warnings.map((w) => w.message).join('\n')).toMatch(/Hash.*not in RemediationVersion1\.xsd/);
  });
});
