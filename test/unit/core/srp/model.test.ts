import { describe, expect, it } from 'vitest';
import { SRP_ALARM_FIELDS, SRP_DATE_FIELDS } from '../../../../src/core/srp/model.ts';
import { readSrpFixture } from './fixtures.ts';

describe('SRP_ALARM_FIELDS', () => {
  it('lists the AlarmField elements of RemediationVersion1.xsd, in the XSD order', () => {
    const xsd = readSrpFixture('RemediationVersion1.xsd');
    const declared = [...xsd.matchAll(/<xs:element name="([^"]+)" substitutionGroup="AlarmField"/g)].map(
      (m) => m[1],
    );
    expect(declared.length).toBeGreaterThan(50);
    expect([...SRP_ALARM_FIELDS]).toEqual(declared);
  });

  it('marks the fields the XSD gives a TimeFormat as dates', () => {
    const xsd = readSrpFixture('RemediationVersion1.xsd');
    const withTimeFormat = [
      ...xsd.matchAll(
        /<xs:element name="([^"]+)" substitutionGroup="AlarmField">\s*<xs:complexType>\s*<xs:sequence>\s*<xs:element ref="TimeFormat"/g,
      ),
    ].map((m) => m[1]);
    expect([...SRP_DATE_FIELDS]).toEqual(withTimeFormat);
  });
});
