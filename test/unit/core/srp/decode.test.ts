import { describe, expect, it } from 'vitest';
import { decodeActionsXml } from '../../../../src/core/srp/decode.ts';
import { parseActionsXml, SrpParseError } from '../../../../src/core/srp/parse.ts';
import { readSrpFixture, VIRUSTOTAL } from './fixtures.ts';

const utf16le = (text: string, bom: boolean): Uint8Array => {
  const out = new Uint8Array((bom ? 2 : 0) + text.length * 2);
  if (bom) out.set([0xff, 0xfe]);
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    out[(bom ? 2 : 0) + i * 2] = code & 0xff;
    out[(bom ? 2 : 0) + i * 2 + 1] = code >> 8;
  }
  return out;
};

const xml = (declaration: string, name: string) =>
  `<?xml version="1.0"${declaration}?>\n<Remediation-Plugin Name="${name}"><Action Name="A" Command="c"/></Remediation-Plugin>`;

describe('decodeActionsXml', () => {
  it('reads the real UTF-8-with-BOM VirusTotal file as the same text', () => {
    const text = readSrpFixture(VIRUSTOTAL);
    const decoded = decodeActionsXml(new TextEncoder().encode(text));
    expect(decoded).toBe(text);
    expect(parseActionsXml(decoded).name).toBe('VirusTotal');
  });

  it('reads UTF-16 files with and without a byte-order mark', () => {
    const source = xml(' encoding="utf-16"', 'Überprüfung');
    expect(parseActionsXml(decodeActionsXml(utf16le(source, true))).name).toBe('Überprüfung');
    expect(parseActionsXml(decodeActionsXml(utf16le(source, false))).name).toBe('Überprüfung');
  });

  it('honours a legacy encoding named by the declaration', () => {
    const bytes = new TextEncoder().encode(xml(' encoding="windows-1252"', 'Caf_'));
    bytes[bytes.indexOf(0x5f)] = 0xe9; // "é" in windows-1252
    expect(parseActionsXml(decodeActionsXml(bytes)).name).toBe('Café');
  });

  it('refuses bytes that are not valid UTF-8, and files over 1 MB', () => {
    const bytes = new TextEncoder().encode(xml('', 'Caf_'));
    bytes[bytes.indexOf(0x5f)] = 0xe9;
    expect(() => decodeActionsXml(bytes, 'p/actions.xml')).toThrow(SrpParseError);
    expect(() => decodeActionsXml(bytes)).toThrow(/not valid utf-8 text/);
    expect(() => decodeActionsXml(new Uint8Array(1024 * 1024 + 1))).toThrow(/larger than 1 MB/);
  });
});
