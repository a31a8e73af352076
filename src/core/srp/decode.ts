import { SrpParseError } from './errors.ts';
import { SRP_MAX_ACTIONS_XML_BYTES } from './xml-tree.ts';

/**
 * The bytes of an actions.xml → text for `parseActionsXml`. Windows tools save XML as UTF-8 with or
 * without a byte-order mark, as UTF-16 ("Unicode" in Visual Studio and Notepad), or in a legacy code
 * page named by the XML declaration (`encoding="windows-1252"`). Reading every file as UTF-8 would
 * turn the last two into "malformed XML" with no hint why.
 */
export function decodeActionsXml(bytes: Uint8Array, file = 'actions.xml'): string {
  if (bytes.length > SRP_MAX_ACTIONS_XML_BYTES) {
    throw new SrpParseError(
      { file, line: 1, column: 1 },
      `the file is larger than ${SRP_MAX_ACTIONS_XML_BYTES / 1024 / 1024} MB; an actions.xml is a few KB, expected a much smaller file`,
    );
  }
  const encoding = detectEncoding(bytes);
  try {
    // ignoreBOM: keep the mark so parseActionsXml sees the same text an editor shows (it drops it).
    return new TextDecoder(encoding, { fatal: true, ignoreBOM: true }).decode(bytes);
  } catch (error) {
    if (!(error instanceof TypeError || error instanceof RangeError)) throw error;
    throw new SrpParseError(
      { file, line: 1, column: 1 },
      `the file is not valid ${encoding} text; expected UTF-8 (or the encoding its XML declaration names)`,
    );
  }
}

function detectEncoding(bytes: Uint8Array): string {
  const [a, b, c, d] = bytes;
  if (a === 0xef && b === 0xbb && c === 0xbf) return 'utf-8';
  if (a === 0xff && b === 0xfe) return 'utf-16le';
  if (a === 0xfe && b === 0xff) return 'utf-16be';
  // "<?" in UTF-16 without a byte-order mark.
  if (a === 0x3c && b === 0x00 && c === 0x3f && d === 0x00) return 'utf-16le';
  if (a === 0x00 && b === 0x3c && c === 0x00 && d === 0x3f) return 'utf-16be';
  // The declaration is ASCII in every encoding it may name, so read it before knowing the encoding.
  const head = String.fromCharCode(...bytes.subarray(0, 200));
  const declared = /^<\?xml[^>]*\sencoding\s*=\s*["']([A-Za-z0-9._-]+)["']/.exec(head)?.[1];
  if (!declared) return 'utf-8';
  try {
    const canonical = new TextDecoder(declared).encoding;
    // A single-byte file cannot really be UTF-16 whatever it claims; trust the bytes.
    return canonical.startsWith('utf-16') ? 'utf-8' : canonical;
  } catch {
    return 'utf-8';
  }
}
